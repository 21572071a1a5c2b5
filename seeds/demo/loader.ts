// Writes a generated DEMO network with bulk statements, table by table in dependency order, swapping the
// network's row indexes for the ids PostgreSQL assigns. Runs inside the caller's transaction.
import type { ClientBase } from 'pg';
import { bulkInsert, column, type InsertSpec } from './bulk-insert';
import type { DemoAward, DemoInnovation, DemoInstitution, DemoNetwork, DemoReplication } from './model';
import type { LoadProgress } from './progress';
import { demoInstitutionNote, demoSources } from './provenance';

export interface TableLoad {
  table: string;
  rows: number;
  ms: number;
}

export async function loadDemoNetwork(client: ClientBase, network: DemoNetwork, progress: LoadProgress): Promise<TableLoad[]> {
  const sources = demoSources(network.seed);
  const loads: TableLoad[] = [];
  const timed = async <T, R>(table: string, rows: readonly T[], load: (onBatch: (n: number) => void) => Promise<R>): Promise<R> => {
    const startedAt = Date.now();
    progress.start(table, rows.length);
    try {
      return await load((n) => progress.advance(n));
    } finally {
      progress.finish();
      loads.push({ table, rows: rows.length, ms: Date.now() - startedAt });
    }
  };

  const note = demoInstitutionNote(network.scale, network.seed);
  const institutionSpec: InsertSpec<DemoInstitution> = {
    table: 'institution',
    sources,
    returning: 'id, name',
    columns: [
      column('name', 'text', (i) => i.name),
      column('kind', 'text', (i) => i.kind),
      column('province_code', 'text', (i) => i.provinceCode),
      column('regency_code', 'text', (i) => i.regencyCode),
      column('note', 'text', () => note),
    ],
  };
  const institutionRows = await timed('institution', network.institutions, (onBatch) =>
    bulkInsert<DemoInstitution, { id: number; name: string }>(client, institutionSpec, network.institutions, onBatch),
  );
  const institutionIds = idsInOrder(network.institutions, (i) => i.name, institutionRows, (r) => r.name);

  const innovationSpec: InsertSpec<DemoInnovation> = {
    table: 'innovation',
    sources,
    returning: 'id, external_id',
    columns: [
      column('title', 'text', (i) => i.title),
      column('summary', 'text', (i) => i.summary),
      column('owner_id', 'int', (i) => institutionIds[i.owner]),
      column('province_code', 'text', (i) => i.provinceCode),
      column('regency_code', 'text', (i) => i.regencyCode),
      column('launch_year', 'int', (i) => i.launchYear),
      column('registry', 'text', (i) => i.registry),
      column('external_id', 'text', (i) => i.externalId),
      column('stage', 'text', (i) => i.stage),
      column('is_digital', 'bool', (i) => i.isDigital),
      column('category', 'text', (i) => i.category),
      column('sustainability', 'text', (i) => i.sustainability),
    ],
  };
  const innovationRows = await timed('innovation', network.innovations, (onBatch) =>
    bulkInsert<DemoInnovation, { id: number; external_id: string }>(client, innovationSpec, network.innovations, onBatch),
  );
  const innovationIds = idsInOrder(network.innovations, (i) => i.externalId, innovationRows, (r) => r.external_id);

  const awardSpec: InsertSpec<DemoAward> = {
    table: 'award',
    sources,
    columns: [
      column('innovation_id', 'int', (a) => innovationIds[a.innovation]),
      column('competition', 'text', (a) => a.competition),
      column('year', 'int', (a) => a.year),
      column('tier', 'text', (a) => a.tier),
    ],
  };
  await timed('award', network.awards, (onBatch) => bulkInsert(client, awardSpec, network.awards, onBatch));

  const optionalId = (ids: number[], index: number | null) => (index === null ? null : ids[index]);
  const replicationSpec: InsertSpec<DemoReplication> = {
    table: 'replication',
    sources,
    columns: [
      column('source_id', 'int', (r) => innovationIds[r.source]),
      column('adopter_scope', 'text', (r) => r.scope),
      column('adopter_province_code', 'text', (r) => r.adopterProvinceCode),
      column('adopter_regency_code', 'text', (r) => r.adopterRegencyCode),
      column('adopter_institution_id', 'int', (r) => optionalId(institutionIds, r.adopterInstitution)),
      column('kind', 'text', (r) => r.kind),
      column('status', 'text', (r) => r.status),
      column('year', 'int', (r) => r.year),
      column('implementation_year', 'int', (r) => r.implementationYear),
      column('committed_on', 'date', (r) => r.committedOn),
      column('implemented_on', 'date', (r) => r.implementedOn),
      column('facilitating_hub_id', 'int', (r) => r.facilitatingHubId),
      column('mentoring_programme_id', 'int', (r) => r.mentoringProgrammeId),
      column('adopted_as_id', 'int', (r) => optionalId(innovationIds, r.adoptedAs)),
    ],
  };
  await timed('replication', network.replications, (onBatch) => bulkInsert(client, replicationSpec, network.replications, onBatch));
  return loads;
}

/** The ids of `rows` in their order, matched by a unique natural key (RETURNING order is not guaranteed). */
function idsInOrder<T, R extends { id: number }>(rows: readonly T[], key: (row: T) => string, returned: R[], returnedKey: (row: R) => string): number[] {
  const byKey = new Map(returned.map((r) => [returnedKey(r), r.id]));
  return rows.map((row) => {
    const id = byKey.get(key(row));
    if (id === undefined) throw new Error(`The database returned no id for DEMO row "${key(row)}"`);
    return id;
  });
}
