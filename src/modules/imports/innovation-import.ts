// Importing innovations: owners are found by exact name, the missing ones created in one statement; a hub
// operator's rows may name owners of its own province only.
import type { EntityManager } from '@mikro-orm/postgresql';
import { mayReferenceProvince } from '../../auth/authorize';
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
  async prepare(em, rows, { viewer, errors }) {
    const owners = await ownersByName(em, rows);
    const ready = rows.filter(({ line, row }) => {
      const owner = owners.get(row.owner)!;
      if (mayReferenceProvince(viewer, owner.province_code)) return true;
      const where = owner.province_code ? `province ${owner.province_code}` : 'no province (national)';
      errors.push({ line, field: 'owner', code: 'FORBIDDEN', message: `${row.owner} is an institution of ${where}; your key may name owners of its own province only.` });
      return false;
    });
    const columns: Column<InnovationRow>[] = [
      { name: 'title', type: 'text', value: (r) => r.title },
      { name: 'summary', type: 'text', value: (r) => r.summary ?? null },
      { name: 'owner_id', type: 'int', value: (r) => owners.get(r.owner)!.id },
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
    return { ready, columns };
  },
};

interface Owner {
  id: number;
  name: string;
  province_code: string | null;
}

/**
 * Owner institutions by exact name, with the province whose scope they are in. A new one takes its kind from
 * its name and its region from the first row that names it, as createInnovation does. Found owners are share
 * locked and created ones are written here, so the province checked is the one at commit.
 */
async function ownersByName(em: EntityManager, rows: LineRow<InnovationRow>[]): Promise<Map<string, Owner>> {
  const firstRow = new Map<string, InnovationRow>();
  for (const { row } of rows) if (!firstRow.has(row.owner)) firstRow.set(row.owner, row);
  if (firstRow.size === 0) return new Map();
  const found = await em.execute<Owner[]>('select id, name, province_code from institution where name = any(?::text[]) for share', [
    arrayLiteral([...firstRow.keys()]),
  ]);
  const owners = new Map(found.map((f) => [f.name, f]));
  const missing = [...firstRow.values()].filter((row) => !owners.has(row.owner));
  if (missing.length) {
    // "do update" rather than "do nothing", so a name another import created meanwhile still returns its row
    // (in whatever province that import put it: the caller's scope is checked on what comes back).
    const created = await em.execute<Owner[]>(
      `insert into institution (name, kind, province_code, regency_code, sources, dataset, confidence)
       select v.name, v.kind, v.province_code, v.regency_code, v.sources::text[], 'IMPORTED', 'REPORTED'
         from unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[]) as v(name, kind, province_code, regency_code, sources)
       on conflict (name) do update set name = excluded.name
       returning id, name, province_code`,
      [
        arrayLiteral(missing.map((r) => r.owner)),
        arrayLiteral(missing.map((r) => classifyInstitution(r.owner))),
        arrayLiteral(missing.map(provinceOf)),
        arrayLiteral(missing.map((r) => r.regencyCode ?? null)),
        arrayLiteral(missing.map((r) => arrayLiteral(r.sources))),
      ] as never[],
    );
    created.forEach((c) => owners.set(c.name, c));
  }
  return owners;
}
