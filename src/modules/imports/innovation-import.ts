// Importing innovations: owners are found by exact name, the missing ones created in one statement.
import type { EntityManager } from '@mikro-orm/postgresql';
import { classifyInstitution } from '../institution/institution.kinds';
import { innovationRow, type InnovationRow } from './import-rows';
import type { ImportTarget, LineRow } from './import-target';
import { arrayLiteral, type Column } from './registry-upsert';

const provinceOf = (r: InnovationRow) => r.regencyCode?.slice(0, 2) ?? r.provinceCode ?? null;

export const INNOVATIONS: ImportTarget<InnovationRow> = {
  kind: 'innovations',
  table: 'innovation',
  entityType: 'Innovation',
  schema: innovationRow,
  regionFields: { province: 'provinceCode', regency: 'regencyCode' },
  scopeColumn: 'province_code',
  async prepare(em, rows) {
    const owners = await ownerIds(em, rows);
    const columns: Column<InnovationRow>[] = [
      { name: 'title', type: 'text', value: (r) => r.title },
      { name: 'summary', type: 'text', value: (r) => r.summary ?? null },
      { name: 'owner_id', type: 'int', value: (r) => owners.get(r.owner)! },
      { name: 'province_code', type: 'text', value: provinceOf },
      { name: 'regency_code', type: 'text', value: (r) => r.regencyCode ?? null },
      { name: 'launch_year', type: 'int', value: (r) => r.launchYear ?? null },
      { name: 'stage', type: 'text', value: (r) => r.stage ?? null },
      { name: 'is_digital', type: 'boolean', value: (r) => r.isDigital ?? null },
      { name: 'category', type: 'text', value: (r) => r.category ?? null },
      { name: 'sustainability', type: 'text', value: (r) => r.sustainability ?? null },
      { name: 'sources', type: 'text[]', value: (r) => r.sources },
      { name: 'confidence', type: 'text', value: (r) => r.confidence },
      { name: 'note', type: 'text', value: (r) => r.note ?? null },
    ];
    return { ready: rows, columns };
  },
};

/**
 * Owner institutions by exact name. A new one takes its kind from its name and its region from the first
 * row that names it, as createInnovation does.
 */
async function ownerIds(em: EntityManager, rows: LineRow<InnovationRow>[]): Promise<Map<string, number>> {
  const firstRow = new Map<string, InnovationRow>();
  for (const { row } of rows) if (!firstRow.has(row.owner)) firstRow.set(row.owner, row);
  if (firstRow.size === 0) return new Map();
  const found = await em.execute<{ id: number; name: string }[]>('select id, name from institution where name = any(?::text[])', [
    arrayLiteral([...firstRow.keys()]),
  ]);
  const ids = new Map(found.map((f) => [f.name, f.id]));
  const missing = [...firstRow.values()].filter((row) => !ids.has(row.owner));
  if (missing.length) {
    // "do update" rather than "do nothing", so a name another import created meanwhile still returns its id.
    const created = await em.execute<{ id: number; name: string }[]>(
      `insert into institution (name, kind, province_code, regency_code, sources, dataset, confidence)
       select v.name, v.kind, v.province_code, v.regency_code, v.sources::text[], 'IMPORTED', 'REPORTED'
         from unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[]) as v(name, kind, province_code, regency_code, sources)
       on conflict (name) do update set name = excluded.name
       returning id, name`,
      [
        arrayLiteral(missing.map((r) => r.owner)),
        arrayLiteral(missing.map((r) => classifyInstitution(r.owner))),
        arrayLiteral(missing.map(provinceOf)),
        arrayLiteral(missing.map((r) => r.regencyCode ?? null)),
        arrayLiteral(missing.map((r) => arrayLiteral(r.sources))),
      ] as never[],
    );
    created.forEach((c) => ids.set(c.name, c.id));
  }
  return ids;
}
