// The import engine shared by the import mutations and `npm run import`: validates a batch of rows,
// reports bad rows by line and field, and writes the good ones with set-based SQL in the caller's
// transaction, upserting by (registry, external id) so a re-run converges. One audit event per batch.
import type { EntityManager } from '@mikro-orm/postgresql';
import { mayWriteProvince } from '../../auth/authorize';
import { Role } from '../../auth/viewer';
import { pgArray } from '../../db/sql';
import { audit, type Actor } from '../audit/audit.service';
import { classifyInstitution } from '../institution/institution.kinds';
import { innovationRow, parseRow, replicationRow, type ImportKind, type InnovationRow, type ReplicationRow, type RowError } from './import-rows';
import { UNREADABLE } from './import-file';
import { upsertByRegistryId, type Column } from './registry-upsert';

export interface ImportCounts {
  received: number;
  inserted: number;
  updated: number;
  unchanged: number;
  failed: number;
}

export interface ImportReport extends ImportCounts {
  kind: ImportKind;
  dryRun: boolean;
  errors: RowError[];
}

export interface SourceLine {
  line: number;
  record: unknown;
}

interface Reference {
  provinces: Set<string>;
  regencies: Set<string>;
  hubs: Map<string, number>;
}

export const MAX_REPORTED_ERRORS = 1000;

export class Importer {
  private reference?: Reference;
  readonly report: ImportReport;

  constructor(
    readonly kind: ImportKind,
    private readonly actor: Actor,
    readonly dryRun: boolean,
    private readonly idempotencyKey: string | null = null,
  ) {
    this.report = { kind, dryRun, received: 0, inserted: 0, updated: 0, unchanged: 0, failed: 0, errors: [] };
  }

  /** Validates and writes one batch in the given transaction; adds to the report. */
  async processBatch(em: EntityManager, lines: SourceLine[]): Promise<ImportCounts> {
    this.reference ??= await loadReference(em);
    const errors: RowError[] = [];
    const counts =
      this.kind === 'innovations'
        ? await this.innovations(em, this.validate(lines, innovationRow, errors, (r) => r.regencyCode?.slice(0, 2) ?? r.provinceCode ?? null), errors)
        : await this.replications(em, this.validate(lines, replicationRow, errors, (r) => r.adopterRegencyCode?.slice(0, 2) ?? r.adopterProvinceCode ?? null), errors);
    const failedLines = new Set(errors.map((e) => e.line)).size;
    const batch: ImportCounts = { received: lines.length, ...counts, failed: failedLines };
    audit(em, this.actor, {
      action: `import.${this.kind}`,
      entityType: this.kind === 'innovations' ? 'Innovation' : 'Replication',
      after: { ...batch, dryRun: this.dryRun, firstLine: lines[0]?.line ?? null, lastLine: lines[lines.length - 1]?.line ?? null },
      idempotencyKey: this.idempotencyKey,
    });
    await em.flush();
    return this.add(batch, errors);
  }

  private add(batch: ImportCounts, errors: RowError[]): ImportCounts {
    for (const key of ['received', 'inserted', 'updated', 'unchanged', 'failed'] as const) this.report[key] += batch[key];
    const room = MAX_REPORTED_ERRORS - this.report.errors.length;
    if (room > 0) this.report.errors.push(...errors.sort((a, b) => a.line - b.line).slice(0, room));
    return batch;
  }

  /** Schema, region and scope checks; a key twice in one batch keeps its first line. */
  private validate<T extends { registry: string; externalId: string; provinceCode?: string; regencyCode?: string; adopterProvinceCode?: string; adopterRegencyCode?: string }>(
    lines: SourceLine[],
    schema: Parameters<typeof parseRow<T>>[0],
    errors: RowError[],
    provinceOf: (row: T) => string | null,
  ): { line: number; row: T }[] {
    const seen = new Map<string, number>();
    const valid: { line: number; row: T }[] = [];
    for (const { line, record } of lines) {
      const unreadable = typeof record === 'object' && record !== null ? (record as Record<string, unknown>)[UNREADABLE] : undefined;
      if (typeof unreadable === 'string') {
        errors.push({ line, field: null, code: 'BAD_USER_INPUT', message: unreadable });
        continue;
      }
      const parsed = parseRow(schema, line, record);
      if ('errors' in parsed) {
        errors.push(...parsed.errors);
        continue;
      }
      const row = parsed.row;
      const problems = this.regionProblems(line, row.provinceCode ?? row.adopterProvinceCode, row.regencyCode ?? row.adopterRegencyCode, row.adopterRegencyCode !== undefined || row.adopterProvinceCode !== undefined ? 'adopter' : '');
      if (problems.length) {
        errors.push(...problems);
        continue;
      }
      const province = provinceOf(row);
      if (this.actor.viewer.role === Role.HUB_OPERATOR && !mayWriteProvince(this.actor.viewer, province)) {
        errors.push({ line, field: null, code: 'FORBIDDEN', message: `Your key may not write records of province ${province ?? '(national)'}.` });
        continue;
      }
      const key = `${row.registry}|${row.externalId}`;
      const first = seen.get(key);
      if (first !== undefined) {
        errors.push({ line, field: 'externalId', code: 'CONFLICT', message: `${row.registry} ${row.externalId} already appears on line ${first} of this batch.` });
        continue;
      }
      seen.set(key, line);
      valid.push({ line, row });
    }
    return valid;
  }

  private regionProblems(line: number, provinceCode: string | undefined, regencyCode: string | undefined, prefix: string): RowError[] {
    const field = (name: string) => (prefix ? `${prefix}${name[0].toUpperCase()}${name.slice(1)}` : name);
    const { provinces, regencies } = this.reference!;
    if (regencyCode !== undefined && !regencies.has(regencyCode)) {
      return [{ line, field: field('regencyCode'), code: 'NOT_FOUND', message: `There is no regency ${regencyCode}.` }];
    }
    if (regencyCode !== undefined && provinceCode !== undefined && regencyCode.slice(0, 2) !== provinceCode) {
      return [{ line, field: field('regencyCode'), code: 'BAD_USER_INPUT', message: `Regency ${regencyCode} is not in province ${provinceCode}.` }];
    }
    if (provinceCode !== undefined && !provinces.has(provinceCode)) {
      return [{ line, field: field('provinceCode'), code: 'NOT_FOUND', message: `There is no province ${provinceCode}.` }];
    }
    return [];
  }

  private async innovations(em: EntityManager, rows: { line: number; row: InnovationRow }[], errors: RowError[]) {
    const owners = await ownerIds(em, rows.map(({ row }) => row));
    const columns: Column<InnovationRow>[] = [
      { name: 'title', type: 'text', value: (r) => r.title },
      { name: 'summary', type: 'text', value: (r) => r.summary ?? null },
      { name: 'owner_id', type: 'int', value: (r) => owners.get(r.owner)! },
      { name: 'province_code', type: 'varchar', value: (r) => r.regencyCode?.slice(0, 2) ?? r.provinceCode ?? null },
      { name: 'regency_code', type: 'varchar', value: (r) => r.regencyCode ?? null },
      { name: 'launch_year', type: 'int', value: (r) => r.launchYear ?? null },
      { name: 'stage', type: 'text', value: (r) => r.stage ?? null },
      { name: 'is_digital', type: 'boolean', value: (r) => r.isDigital ?? null },
      { name: 'category', type: 'text', value: (r) => r.category ?? null },
      { name: 'sustainability', type: 'text', value: (r) => r.sustainability ?? null },
      { name: 'sources', type: 'text[]', value: (r) => pgArray(r.sources) },
      { name: 'confidence', type: 'text', value: (r) => r.confidence },
      { name: 'note', type: 'text', value: (r) => r.note ?? null },
    ];
    return upsertByRegistryId(em, 'innovation', columns, rows, errors);
  }

  private async replications(em: EntityManager, rows: { line: number; row: ReplicationRow }[], errors: RowError[]) {
    const sources = await sourceInnovations(em, rows.map(({ row }) => row));
    const { hubs } = this.reference!;
    const ready = rows.filter(({ line, row }) => {
      const source = sources.get(`${row.sourceRegistry}|${row.sourceExternalId}`);
      const fail = (field: string | null, code: RowError['code'], message: string) => {
        errors.push({ line, field, code, message });
        return false;
      };
      if (!source) return fail('sourceExternalId', 'NOT_FOUND', `There is no innovation ${row.sourceRegistry} ${row.sourceExternalId} (import it first).`);
      const scope = row.adopterScope;
      if (scope === 'NATIONAL' && (row.adopterProvinceCode || row.adopterRegencyCode)) return fail('adopterScope', 'BAD_USER_INPUT', 'A NATIONAL adopter has no province or regency.');
      if (scope === 'REGENCY' && !row.adopterRegencyCode) return fail('adopterRegencyCode', 'BAD_USER_INPUT', 'A REGENCY adopter needs adopterRegencyCode.');
      if ((scope === 'PROVINCE' || scope === 'PROVINCE_WIDE') && (!row.adopterProvinceCode || row.adopterRegencyCode)) {
        return fail('adopterProvinceCode', 'BAD_USER_INPUT', `A ${scope} adopter needs adopterProvinceCode and no adopterRegencyCode.`);
      }
      if (row.implementationYear !== undefined && row.implementationYear < row.year) return fail('implementationYear', 'BAD_USER_INPUT', 'implementationYear is before year.');
      if (row.facilitatingHubCode !== undefined && !hubs.has(row.facilitatingHubCode)) return fail('facilitatingHubCode', 'NOT_FOUND', `Province ${row.facilitatingHubCode} has no hub.`);
      const adopterRegion = scope === 'REGENCY' ? row.adopterRegencyCode : scope === 'PROVINCE' ? row.adopterProvinceCode : undefined;
      if (row.kind !== 'SCALING_UP' && adopterRegion !== undefined && adopterRegion === (source.regency_code ?? source.province_code)) {
        return fail('adopterScope', 'BAD_USER_INPUT', 'An innovation cannot be replicated to its own region by its own owner; import it as SCALING_UP.');
      }
      return true;
    });
    const columns: Column<ReplicationRow>[] = [
      { name: 'source_id', type: 'int', value: (r) => sources.get(`${r.sourceRegistry}|${r.sourceExternalId}`)!.id },
      { name: 'adopter_scope', type: 'text', value: (r) => r.adopterScope },
      { name: 'adopter_province_code', type: 'varchar', value: (r) => r.adopterRegencyCode?.slice(0, 2) ?? r.adopterProvinceCode ?? null },
      { name: 'adopter_regency_code', type: 'varchar', value: (r) => r.adopterRegencyCode ?? null },
      { name: 'kind', type: 'text', value: (r) => r.kind },
      { name: 'status', type: 'text', value: (r) => r.status },
      { name: 'year', type: 'int', value: (r) => r.year },
      { name: 'implementation_year', type: 'int', value: (r) => r.implementationYear ?? null },
      { name: 'facilitating_hub_id', type: 'int', value: (r) => (r.facilitatingHubCode ? hubs.get(r.facilitatingHubCode)! : null) },
      { name: 'sources', type: 'text[]', value: (r) => pgArray(r.sources) },
      { name: 'confidence', type: 'text', value: (r) => r.confidence },
      { name: 'note', type: 'text', value: (r) => r.note ?? null },
    ];
    return upsertByRegistryId(em, 'replication', columns, ready, errors);
  }
}

async function loadReference(em: EntityManager): Promise<Reference> {
  // One after another: inside a transaction they share one connection.
  const provinces = await em.execute<{ code: string }[]>('select code from province');
  const regencies = await em.execute<{ code: string }[]>('select code from regency');
  const hubs = await em.execute<{ code: string; id: number }[]>('select province_code as code, id from hub where province_code is not null');
  return {
    provinces: new Set(provinces.map((p) => p.code)),
    regencies: new Set(regencies.map((r) => r.code)),
    hubs: new Map(hubs.map((h) => [h.code, h.id])),
  };
}

/** Owner institutions by exact name; the missing ones are created (IMPORTED) in one statement. */
async function ownerIds(em: EntityManager, rows: InnovationRow[]): Promise<Map<string, number>> {
  const names = [...new Set(rows.map((r) => r.owner))];
  if (names.length === 0) return new Map();
  const found = await em.execute<{ id: number; name: string }[]>('select id, name from institution where name = any(?::text[])', [pgArray(names)]);
  const ids = new Map(found.map((f) => [f.name, f.id]));
  const missing = names.filter((n) => !ids.has(n));
  if (missing.length) {
    const first = new Map<string, InnovationRow>();
    for (const row of rows) if (!first.has(row.owner)) first.set(row.owner, row);
    const values = missing.map((name) => {
      const row = first.get(name)!;
      return [name, classifyInstitution(name), row.regencyCode?.slice(0, 2) ?? row.provinceCode ?? null, row.regencyCode ?? null, pgArray(row.sources)];
    });
    const created = await em.execute<{ id: number; name: string }[]>(
      `insert into institution (name, kind, province_code, regency_code, sources, dataset, confidence)
       values ${values.map(() => "(?, ?, ?, ?, ?::text[], 'IMPORTED', 'REPORTED')").join(', ')}
       on conflict (name) do update set name = excluded.name returning id, name`,
      values.flat() as never[],
    );
    created.forEach((c) => ids.set(c.name, c.id));
  }
  return ids;
}

async function sourceInnovations(em: EntityManager, rows: ReplicationRow[]) {
  const keys = [...new Set(rows.map((r) => `${r.sourceRegistry}|${r.sourceExternalId}`))];
  if (keys.length === 0) return new Map<string, { id: number; province_code: string | null; regency_code: string | null }>();
  const found = await em.execute<{ id: number; key: string; province_code: string | null; regency_code: string | null }[]>(
    `select id, registry || '|' || external_id as key, province_code, regency_code from innovation
     where registry || '|' || external_id = any(?::text[]) and registry is not null`,
    [pgArray(keys)],
  );
  return new Map(found.map((f) => [f.key, f]));
}
