// Importing replications: the source innovation is found by its registry id (it must be stored already,
// e.g. by an earlier innovations import or an earlier batch), and the database's rules on adopters are
// checked per row first, so one bad row cannot fail the statement that writes its whole batch.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Viewer } from '../../auth/viewer';
import { mayReferenceProvince } from '../../auth/authorize';
import { replicationRow, type ReplicationRow, type RowError } from './import-rows';
import type { ImportTarget, LineRow } from './import-target';
import { selectByRegistryKeys, type Column } from './registry-upsert';

interface SourceInnovation {
  id: number;
  province_code: string | null;
  regency_code: string | null;
}

const sourceKey = (r: ReplicationRow) => `${r.sourceRegistry}|${r.sourceExternalId}`;

export const REPLICATIONS: ImportTarget<ReplicationRow> = {
  kind: 'replications',
  table: 'replication',
  entityType: 'Replication',
  schema: replicationRow,
  regionFields: { province: 'adopterProvinceCode', regency: 'adopterRegencyCode' },
  scopeColumn: 'adopter_province_code',
  async prepare(em, rows, { reference: { hubs }, viewer, errors }) {
    const sources = await sourceInnovations(em, rows);
    const ready = rows.filter(({ line, row }) => {
      const problem = adopterProblem(row, sources.get(sourceKey(row)), hubs, viewer);
      if (problem) errors.push({ line, ...problem });
      return !problem;
    });
    const columns: Column<ReplicationRow>[] = [
      { name: 'source_id', type: 'int', value: (r) => sources.get(sourceKey(r))!.id },
      { name: 'adopter_scope', type: 'text', value: (r) => r.adopterScope },
      { name: 'adopter_province_code', type: 'text', value: (r) => r.adopterRegencyCode?.slice(0, 2) ?? r.adopterProvinceCode ?? null },
      { name: 'adopter_regency_code', type: 'text', value: (r) => r.adopterRegencyCode ?? null },
      { name: 'kind', type: 'text', value: (r) => r.kind },
      { name: 'status', type: 'text', value: (r) => r.status },
      { name: 'year', type: 'int', value: (r) => r.year },
      { name: 'implementation_year', type: 'int', value: (r) => r.implementationYear ?? null },
      { name: 'facilitating_hub_id', type: 'int', value: (r) => (r.facilitatingHubCode ? hubs.get(r.facilitatingHubCode)! : null) },
      { name: 'sources', type: 'text[]', value: (r) => r.sources },
      { name: 'confidence', type: 'text', value: (r) => r.confidence },
      { name: 'note', type: 'text', value: (r) => r.note ?? null },
    ];
    return { ready, columns };
  },
};

function adopterProblem(row: ReplicationRow, source: SourceInnovation | undefined, hubs: Map<string, number>, viewer: Viewer): Omit<RowError, 'line'> | null {
  const scope = row.adopterScope;
  if (!source) {
    return { field: 'sourceExternalId', code: 'NOT_FOUND', message: `There is no innovation ${row.sourceRegistry} ${row.sourceExternalId} (import it first).` };
  }
  if (scope === 'NATIONAL' && (row.adopterProvinceCode || row.adopterRegencyCode)) {
    return { field: 'adopterScope', code: 'BAD_USER_INPUT', message: 'A NATIONAL adopter has no province or regency.' };
  }
  if (scope === 'REGENCY' && !row.adopterRegencyCode) {
    return { field: 'adopterRegencyCode', code: 'BAD_USER_INPUT', message: 'A REGENCY adopter needs adopterRegencyCode.' };
  }
  if ((scope === 'PROVINCE' || scope === 'PROVINCE_WIDE') && (!row.adopterProvinceCode || row.adopterRegencyCode)) {
    return { field: 'adopterProvinceCode', code: 'BAD_USER_INPUT', message: `A ${scope} adopter needs adopterProvinceCode and no adopterRegencyCode.` };
  }
  if (row.implementationYear !== undefined && row.implementationYear < row.year) {
    return { field: 'implementationYear', code: 'BAD_USER_INPUT', message: `implementationYear ${row.implementationYear} is before year ${row.year}.` };
  }
  if (row.facilitatingHubCode !== undefined && !hubs.has(row.facilitatingHubCode)) {
    return { field: 'facilitatingHubCode', code: 'NOT_FOUND', message: `Province ${row.facilitatingHubCode} has no hub.` };
  }
  // A hub's record of what it facilitated is that hub's to claim: hub operators name their own hub only.
  if (row.facilitatingHubCode !== undefined && !mayReferenceProvince(viewer, row.facilitatingHubCode)) {
    return { field: 'facilitatingHubCode', code: 'FORBIDDEN', message: `Your key may name its own province's hub as facilitator, not ${row.facilitatingHubCode}'s.` };
  }
  // Mirrors the replication_before_write trigger (imports name no adopting institution).
  const adopterRegion = scope === 'REGENCY' ? row.adopterRegencyCode : scope === 'PROVINCE' ? row.adopterProvinceCode : undefined;
  if (row.kind !== 'SCALING_UP' && adopterRegion !== undefined && adopterRegion === (source.regency_code ?? source.province_code)) {
    return { field: 'adopterScope', code: 'BAD_USER_INPUT', message: 'An innovation cannot be replicated to its own region by its own owner; import it as SCALING_UP.' };
  }
  return null;
}

async function sourceInnovations(em: EntityManager, rows: LineRow<ReplicationRow>[]): Promise<Map<string, SourceInnovation>> {
  const keys = [...new Map(rows.map(({ row }) => [sourceKey(row), row])).values()];
  const found = await selectByRegistryKeys<SourceInnovation & { registry: string; external_id: string }>(
    em,
    'innovation',
    't.id, t.registry, t.external_id, t.province_code, t.regency_code',
    keys.map((r) => ({ registry: r.sourceRegistry, externalId: r.sourceExternalId })),
  );
  return new Map(found.map((f) => [`${f.registry}|${f.external_id}`, f]));
}
