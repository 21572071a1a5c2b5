// Read-only records (src/db/read-rows.ts) carry exactly what the ORM's own mapping gives, for every entity
// and every stored row, while the ORM never manages them; references between them load in batches and
// cost nothing when the record was read already.
import { ReferenceKind, type EntityProperty } from '@mikro-orm/core';
import { createContext } from '../../src/context';
import { entities } from '../../src/db/entities';
import { joinRecord, readJoined, readRows, readWhereIn, rowsByPrimaryKey } from '../../src/db/read-rows';
import { selectEntity } from '../../src/db/sql';
import { countStatements } from '../../src/db/statement-counter';
import { Hub } from '../../src/modules/hub/hub.entity';
import { Province } from '../../src/modules/region/province.entity';
import { Regency } from '../../src/modules/region/regency.entity';
import { loadRef } from '../../src/graphql/refs';
import { openTestApi, type TestApi } from '../support/harness';
import { buildNetwork } from '../support/network';

type Row = Record<string, unknown>;

describe('read-only records', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await openTestApi();
    await buildNetwork(api, 7);
    // A session with dates, arrays and regencies, so every kind of column has a row to compare.
    await api.sql(
      `insert into mentoring_session (programme_id, held_on, mode, topic, participant_count, mentor_names, dataset, confidence, sources)
       select id, '2021-08-03', 'ONLINE', 'Replication plan (DEMO)', 12, '{"A. Mentor"}', 'DEMO', 'UNCONFIRMED', '{test}'
       from mentoring_programme order by id limit 1`,
    );
    // JSON columns, an API key with a reference, and a nullable timestamp that is set.
    await api.sql(
      `insert into audit_event (role, action, entity_type, entity_id, before, after, request_id)
       values ('MINISTRY_ADMIN', 'test.read', 'Hub', 'x', '{"stage": "COMMITTED"}', '{"stage": "DESIGNATED", "list": [1, null, "a"]}', 'r-1')`,
    );
    await api.sql(`insert into idempotency_record (owner, operation, key, request_hash, response) values ('o', 'op', 'k', 'h', '{"data": {"ok": true}}')`);
    await api.sql(
      `insert into api_key (label, role, province_code, prefix, hash, revoked_at) values ('read test', 'HUB_OPERATOR', '35', 'jipp_readtest', 'x', now())`,
    );
  });

  afterAll(() => api.close());

  /** The stored value of each column property as a comparable value: a relation by its target's key. */
  function columnsOf(meta: { props: EntityProperty<object>[] }, entity: Row): Row {
    const out: Row = {};
    for (const prop of meta.props) {
      if (prop.persist === false || prop.lazy || !prop.fieldNames?.length) continue;
      const value = entity[prop.name] as Row | null | undefined;
      if (prop.kind === ReferenceKind.SCALAR) out[prop.name] = value;
      else if (prop.kind === ReferenceKind.MANY_TO_ONE || (prop.kind === ReferenceKind.ONE_TO_ONE && prop.owner)) {
        out[prop.name] = value == null ? null : value[prop.targetMeta!.primaryKeys[0]];
      }
    }
    return out;
  }

  it.each(entities.map((entity) => [entity.name, entity] as const))('%s: every row reads as the ORM maps it', async (_name, entity) => {
    const ctx = createContext(api.orm);
    const meta = api.orm.getMetadata().get(entity.name);
    const pk = meta.primaryKeys[0];
    const records = readRows(ctx, entity as never, await ctx.em.execute(selectEntity(ctx.em, entity, 't').orderBy(`t.${meta.properties[pk].fieldNames[0]}`)));
    const managed = await api.orm.em.fork().find(entity as never, {}, { orderBy: { [pk]: 'asc' } as never });
    expect(records.length).toBe(managed.length);
    expect(records.length).toBeGreaterThan(0);
    for (let i = 0; i < records.length; i++) {
      expect(records[i]).toBeInstanceOf(entity);
      expect(columnsOf(meta, records[i] as Row)).toEqual(columnsOf(meta, managed[i] as Row));
    }
    // Not managed: the request's unit of work holds nothing, so a flush can never write them.
    expect(ctx.em.getUnitOfWork().getIdentityMap().values()).toEqual([]);

    // Looked up by key and joined into another query, records travel as one JSON value per record: the
    // same values again (text[] as arrays, timestamps as the same instants, jsonb as objects).
    const pkField = meta.properties[pk].fieldNames[0];
    const keys = managed.map((m) => (m as Row)[pk] as string | number);
    const byKey = await readWhereIn(createContext(api.orm), entity as never, pkField, keys, `t.${pkField}`);
    expect(byKey.map((r) => columnsOf(meta, r as Row))).toEqual(managed.map((m) => columnsOf(meta, m as Row)));
    const joinCtx = createContext(api.orm);
    const knex = joinCtx.em.getKnex();
    // Every key, and one that matches nothing: a record joined to nothing reads as null.
    const keyType = typeof keys[0] === 'number' ? 'int' : 'text';
    const keyList = `{${[...keys, -1].map((k) => `"${k}"`).join(',')}}`;
    const qb = knex.select('k.key').from(knex.raw(`unnest(?::${keyType}[]) with ordinality as k(key, n)`, [keyList]));
    joinRecord(joinCtx.em, qb, entity, 'j', 'k.key');
    const rows = await joinCtx.em.execute<Row[]>(qb.orderBy('k.n'));
    const joined = rows.map((row) => readJoined(joinCtx, entity as never, row, 'j'));
    expect(joined.pop()).toBeNull();
    expect(joined.map((r) => columnsOf(meta, r as Row))).toEqual(managed.map((m) => columnsOf(meta, m as Row)));
    expect(joined[0]).toBeInstanceOf(entity);
  });

  it('loads references in one statement per entity, and not at all for records already read', async () => {
    const ctx = createContext(api.orm);
    const tally = { count: 0 };
    const hubs = await countStatements(tally, async () =>
      readRows(ctx, Hub, await ctx.em.execute(selectEntity(ctx.em, Hub, 'h').whereNotNull('h.province_code').orderBy('h.province_code'))),
    );
    expect(tally.count).toBe(1);
    const provinces = await countStatements(tally, () => Promise.all(hubs.map((hub) => loadRef(hub.province))));
    expect(tally.count).toBe(2);
    expect(provinces.map((p) => p!.code)).toEqual(hubs.map((h) => h.province!.code));
    expect(provinces[0]).toBeInstanceOf(Province);
    // Loaded once, then shared: the same record for the same key, and no statement the second time.
    expect(await countStatements(tally, () => loadRef(hubs[0].province))).toBe(provinces[0]);
    expect(tally.count).toBe(2);
    // Records read by a list prime the lookup by key.
    const regencies = readRows(ctx, Regency, await ctx.em.execute(selectEntity(ctx.em, Regency, 'r').where('r.province_code', '35')));
    expect(await countStatements(tally, () => rowsByPrimaryKey(ctx, Regency).load(regencies[3].code))).toBe(regencies[3]);
    expect(tally.count).toBe(2);
    expect(await countStatements(tally, () => rowsByPrimaryKey(ctx, Regency).load('99.99'))).toBeNull();
    expect(tally.count).toBe(3);
  });

  it('reads a record joined into many rows once per request', async () => {
    const ctx = createContext(api.orm);
    const qb = selectEntity(ctx.em, Regency, 'r').where('r.province_code', '35');
    joinRecord(ctx.em, qb, Province, 'jp', 'r.province_code');
    const rows = await ctx.em.execute(qb);
    expect(rows.length).toBe(38);
    const provinces = rows.map((row) => readJoined(ctx, Province, row, 'jp'));
    expect(new Set(provinces).size).toBe(1);
    expect(provinces[0]).toMatchObject({ code: '35', name: 'JAWA TIMUR' });
    expect(await rowsByPrimaryKey(ctx, Province).load('35')).toBe(provinces[0]);
  });

  it('forgets what a request read once it is released, also through the copies Apollo makes of the context', async () => {
    const ctx = createContext(api.orm);
    // Apollo shallow-copies the context per operation: the copy uses the request's one EntityManager.
    const copy = Object.assign(Object.create(Object.getPrototypeOf(ctx) as object) as object, ctx) as typeof ctx;
    expect(copy.em).toBe(ctx.em);
    const tally = { count: 0 };
    const [first] = await countStatements(tally, () => readWhereIn(ctx, Province, 'code', ['35']));
    expect(await countStatements(tally, () => rowsByPrimaryKey(copy, Province).load('35'))).toBe(first);
    await countStatements(tally, () => copy.em.findOne(Province, '35'));
    expect(tally.count).toBe(2);
    expect(ctx.em.getUnitOfWork().getIdentityMap().values()).toHaveLength(1);

    ctx.release();
    expect(copy.em.getUnitOfWork().getIdentityMap().values()).toEqual([]);
    const again = await countStatements(tally, () => rowsByPrimaryKey(ctx, Province).load('35'));
    expect(tally.count).toBe(3);
    expect(again).not.toBe(first);
    expect(again).toMatchObject({ code: '35', name: 'JAWA TIMUR' });
  });
});
