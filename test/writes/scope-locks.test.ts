// The scope of the record a mutation changes (or writes under) is read under that record's lock, so it is the
// scope the write commits against. Each case moves the record out of the caller's scope in a concurrent
// transaction that has not committed yet, and without moving its version (a correction in SQL, a trigger):
// the optimistic version check alone would let the write through into another province or university.
import { Client } from 'pg';
import { openTestApi, type TestApi } from '../support/harness';
import { untilBlocked } from '../support/locks';
import { VIEWERS, type ViewerName } from '../support/viewers';
import { dbId, Fixtures, RECORD_SESSION, refused, UPDATE_INNOVATION, UPDATE_REPLICATION_STATUS } from '../support/writes';

let api: TestApi;
let fx: Fixtures;
let other: Client;

beforeAll(async () => {
  api = await openTestApi();
  fx = new Fixtures(api);
  other = new Client({ connectionString: api.databaseUrl, application_name: 'concurrent-mover' });
  await other.connect();
});
afterAll(async () => {
  await other.end();
  await api.close();
});

interface Case {
  name: string;
  mutation: string;
  who: ViewerName;
  /** The record, and the variables of a write that is allowed while the record stays where it is. */
  prepare: () => Promise<{ table: string; id: string; query: string; variables: Record<string, unknown> }>;
  /** The concurrent change that takes the record out of the caller's scope. */
  move: (id: number) => Promise<unknown>;
}

const CASES: Case[] = [
  {
    name: 'an innovation moved from 35 to 33',
    mutation: 'updateInnovation',
    who: 'jatimOperator',
    prepare: async () => {
      const id = await fx.innovation({ regencyCode: '35.25' });
      return { table: 'innovation', id, query: UPDATE_INNOVATION, variables: { input: { id, version: 1, summary: 'Ditulis dari Jawa Timur' } } };
    },
    move: (id) => other.query(`update innovation set province_code = '33', regency_code = '33.26' where id = $1`, [id]),
  },
  {
    name: 'a replication whose adopter moved from 35 to 33',
    mutation: 'updateReplicationStatus',
    who: 'jatimOperator',
    prepare: async () => {
      const id = await fx.replication(await fx.innovation({ regencyCode: '51.08' }), { regencyCode: '35.15' });
      return { table: 'replication', id, query: UPDATE_REPLICATION_STATUS, variables: { input: { id, version: 1, status: 'COMMITTED' } } };
    },
    move: (id) => other.query(`update replication set adopter_province_code = '33', adopter_regency_code = '33.26' where id = $1`, [id]),
  },
  {
    name: "a session on a programme handed from UNTAN to UBB",
    mutation: 'recordMentoringSession',
    who: 'untan',
    prepare: async () => {
      const id = await fx.programme('UNTAN');
      const variables = { input: { programmeId: id, heldOn: '2026-02-01', mode: 'ONLINE', topic: 'Klinik replikasi', mentorNames: ['Dr. Rahasia'] } };
      return { table: 'mentoring_programme', id, query: RECORD_SESSION, variables };
    },
    move: (id) => other.query(`update mentoring_programme set university_id = (select id from university where acronym = 'UBB') where id = $1`, [id]),
  },
];

describe('the scope of the record written is read under its lock', () => {
  it.each(CASES.map((c) => [c.mutation, c.name, c] as const))('%s on %s: FORBIDDEN once the move commits, nothing written', async (mutation, _name, c) => {
    const { table, id, query, variables } = await c.prepare();
    const counts = await fx.picture();
    await other.query('begin');
    await c.move(dbId(id));
    const { rows: moved } = await other.query(`select to_jsonb(t) as row from ${table} t where id = $1`, [dbId(id)]);
    const write = api.run(query, variables, VIEWERS[c.who]);
    await untilBlocked(api, write);
    await other.query('commit');
    expect((await write).body).toEqual(refused(mutation, 'FORBIDDEN'));
    expect(await fx.picture()).toEqual(counts);
    expect(await api.sql(`select to_jsonb(t) as row from ${table} t where id = ?`, [dbId(id)])).toEqual(moved);
  });
});
