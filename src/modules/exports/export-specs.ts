// The exports' statements: one per kind, filtered with the GraphQL lists' own filters (innovationWhere,
// replicationWhere, programmeList) and scoped by the caller as the API is (mentor names through
// mentorNamesSql). Each row is one JSON object built by PostgreSQL: a JSON Lines line as it is, or the
// cells of CSV rows (a programme gives one row per session).
import type { Viewer } from '../../auth/viewer';
import { Dataset } from '../../db/fact.entity';
import { sql, type SqlFragment } from '../../db/sql';
import { BadUserInputError } from '../../errors';
import { globalIdSql } from '../../graphql/sql/compilers';
import { AwardTier } from '../innovation/award.entity';
import { Registry } from '../innovation/innovation.entity';
import type { InnovationFilter } from '../innovation/innovation.inputs';
import { innovationWhere } from '../innovation/innovation.queries';
import type { MentoringFilter } from '../mentoring/mentoring.inputs';
import { mentorNamesSql, programmeList } from '../mentoring/mentoring.queries';
import { AdopterScope, ReplicationKind, ReplicationStatus } from '../replication/replication.entity';
import type { ReplicationFilter } from '../replication/replication.inputs';
import { replicationWhere } from '../replication/replication.queries';
import { EXPORT_PARAMS, type ExportKind, type ExportParam } from './export-params';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type ExportRow = Record<string, Json>;

export interface ExportSpec {
  kind: ExportKind;
  /** The CSV header. */
  columns: string[];
  /** The statement selecting one JSON object per record (column `row`), in a stable order. */
  statement(params: ParsedParams, viewer: Viewer): SqlFragment;
  /** The CSV rows of a record, cells in `columns` order. */
  csvRows(row: ExportRow): Json[][];
}

export type ParsedParams = Record<string, string | number | boolean | string[] | Date>;

/** As a JavaScript Date prints itself: UTC, milliseconds, Z. */
const iso = (column: SqlFragment) => sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** Reads the query parameters (or options) of an export; an unknown or malformed one is bad input naming it. */
export function parseParams(kind: ExportKind, given: Iterable<[string, string]>): ParsedParams {
  const known = new Map(EXPORT_PARAMS[kind].map((p) => [p.name, p]));
  const out: ParsedParams = {};
  for (const [name, raw] of given) {
    const param = known.get(name);
    if (!param) throw new BadUserInputError(`Unknown parameter "${name}" for ${kind}; known: ${[...known.keys()].join(', ')}.`, name);
    if (name in out && param.kind !== 'list') throw new BadUserInputError(`Give ${name} once.`, name);
    const value = parseValue(param, raw);
    out[name] = param.kind === 'list' ? [...((out[name] as string[] | undefined) ?? []), ...(value as string[])] : value;
  }
  return out;
}

function parseValue(param: ExportParam, raw: string): string | number | boolean | string[] | Date {
  const bad = (expected: string) => new BadUserInputError(`${param.name} must be ${expected}; got "${raw.slice(0, 40)}".`, param.name);
  const text = raw.trim();
  switch (param.kind) {
    case 'int':
      if (!/^-?\d{1,9}$/.test(text)) throw bad('a whole number');
      return Number(text);
    case 'bool':
      if (text !== 'true' && text !== 'false') throw bad('true or false');
      return text === 'true';
    case 'list':
      if (!text) throw bad('one value or several separated by commas');
      return text.split(',').map((v) => v.trim());
    case 'time': {
      const time = /^\d{4}-\d{2}-\d{2}/.test(text) ? new Date(text) : new Date(NaN);
      if (Number.isNaN(time.getTime())) throw bad('an ISO 8601 date or time, e.g. 2026-06-01 or 2026-06-01T00:00:00Z');
      return time;
    }
    default:
      if (!text || text.length > 200 || text.includes('\u0000')) throw bad('1 to 200 characters');
      return text;
  }
}

function oneOf<T extends string>(params: ParsedParams, name: string, values: Record<string, T>): T | undefined {
  const value = params[name] as string | undefined;
  if (value === undefined) return undefined;
  if (!Object.values(values).includes(value as T)) throw new BadUserInputError(`${name} must be one of ${Object.values(values).join(', ')}; got "${value.slice(0, 40)}".`, name);
  return value as T;
}

function someOf<T extends string>(params: ParsedParams, name: string, values: Record<string, T>): T[] | undefined {
  const list = params[name] as string[] | undefined;
  if (list === undefined) return undefined;
  for (const value of list) {
    if (!Object.values(values).includes(value as T)) throw new BadUserInputError(`${name} takes ${Object.values(values).join(', ')}; got "${value.slice(0, 40)}".`, name);
  }
  return list as T[];
}

const since = (params: ParsedParams, column: SqlFragment): SqlFragment[] =>
  params.updatedSince instanceof Date ? [sql`${column} >= ${params.updatedSince}::timestamptz`] : [];

const joined = (value: Json): Json => (Array.isArray(value) ? value.map((v) => (v !== null && typeof v === 'object' ? JSON.stringify(v) : v)).join('|') : value);

const INNOVATIONS: ExportSpec = {
  kind: 'innovations',
  columns: ['id', 'registry', 'externalId', 'title', 'summary', 'owner', 'provinceCode', 'regencyCode', 'launchYear', 'stage', 'isDigital', 'category',
    'sustainability', 'awards', 'sources', 'confidence', 'note', 'dataset', 'version', 'updatedAt'],
  statement(params) {
    const filter: InnovationFilter = {
      search: params.search as string | undefined,
      provinceCode: params.provinceCode as string | undefined,
      regencyCode: params.regencyCode as string | undefined,
      registry: oneOf(params, 'registry', Registry),
      yearFrom: params.yearFrom as number | undefined,
      yearTo: params.yearTo as number | undefined,
      hasAward: params.hasAward as boolean | undefined,
      awardTier: oneOf(params, 'awardTier', AwardTier),
      hasReplications: params.hasReplications as boolean | undefined,
      dataset: oneOf(params, 'dataset', Dataset),
    };
    const where = [...innovationWhere(filter), ...since(params, sql`i.updated_at`)];
    return sql`select json_build_object(
        'id', ${globalIdSql('Innovation', sql`i.id`)}, 'registry', i.registry, 'externalId', i.external_id, 'title', i.title,
        'summary', i.summary, 'owner', o.name, 'provinceCode', i.province_code, 'regencyCode', i.regency_code,
        'launchYear', i.launch_year, 'stage', i.stage, 'isDigital', i.is_digital, 'category', i.category,
        'sustainability', i.sustainability,
        'awards', (select coalesce(json_agg(json_build_object('competition', a.competition, 'year', a.year, 'tier', a.tier) order by a.year, a.id), '[]')
                     from award a where a.innovation_id = i.id),
        'sources', i.sources, 'confidence', i.confidence, 'note', i.note, 'dataset', i.dataset, 'version', i.version,
        'updatedAt', ${iso(sql`i.updated_at`)}) as row
      from innovation i join institution o on o.id = i.owner_id
     where ${sql.and(where)}
     order by i.id`;
  },
  csvRows(row) {
    const awards = (row.awards as { competition: string; year: number; tier: string }[]).map((a) => `${a.competition} ${a.year} ${a.tier}`);
    return [this.columns.map((c) => joined(c === 'awards' ? awards : row[c]))];
  },
};

const REPLICATIONS: ExportSpec = {
  kind: 'replications',
  columns: ['id', 'registry', 'externalId', 'sourceId', 'sourceRegistry', 'sourceExternalId', 'sourceTitle', 'sourceProvinceCode', 'sourceRegencyCode',
    'adopterScope', 'adopterProvinceCode', 'adopterRegencyCode', 'adopterInstitution', 'kind', 'status', 'year', 'implementationYear', 'committedOn',
    'implementedOn', 'facilitatingHubCode', 'mentoringProgrammeId', 'adoptedAsId', 'sources', 'confidence', 'note', 'dataset', 'version', 'updatedAt'],
  statement(params) {
    const filter: ReplicationFilter = {
      sourceProvinceCode: params.sourceProvinceCode as string | undefined,
      sourceRegencyCode: params.sourceRegencyCode as string | undefined,
      adopterProvinceCode: params.adopterProvinceCode as string | undefined,
      adopterRegencyCode: params.adopterRegencyCode as string | undefined,
      adopterScope: someOf(params, 'adopterScope', AdopterScope),
      kind: someOf(params, 'kind', ReplicationKind),
      status: someOf(params, 'status', ReplicationStatus),
      yearFrom: params.yearFrom as number | undefined,
      yearTo: params.yearTo as number | undefined,
      facilitatingHubCode: params.facilitatingHubCode as string | undefined,
      dataset: oneOf(params, 'dataset', Dataset),
    };
    const where = [...replicationWhere(filter), ...since(params, sql`r.updated_at`)];
    return sql`select json_build_object(
        'id', ${globalIdSql('Replication', sql`r.id`)}, 'registry', r.registry, 'externalId', r.external_id,
        'sourceId', ${globalIdSql('Innovation', sql`r.source_id`)}, 'sourceRegistry', s.registry, 'sourceExternalId', s.external_id,
        'sourceTitle', s.title, 'sourceProvinceCode', r.source_province_code, 'sourceRegencyCode', r.source_regency_code,
        'adopterScope', r.adopter_scope, 'adopterProvinceCode', r.adopter_province_code, 'adopterRegencyCode', r.adopter_regency_code,
        'adopterInstitution', ai.name, 'kind', r.kind, 'status', r.status, 'year', r.year, 'implementationYear', r.implementation_year,
        'committedOn', r.committed_on, 'implementedOn', r.implemented_on, 'facilitatingHubCode', h.province_code,
        'mentoringProgrammeId', case when r.mentoring_programme_id is not null then ${globalIdSql('MentoringProgramme', sql`r.mentoring_programme_id`)} end,
        'adoptedAsId', case when r.adopted_as_id is not null then ${globalIdSql('Innovation', sql`r.adopted_as_id`)} end,
        'sources', r.sources, 'confidence', r.confidence, 'note', r.note, 'dataset', r.dataset, 'version', r.version,
        'updatedAt', ${iso(sql`r.updated_at`)}) as row
      from replication r
      join innovation s on s.id = r.source_id
      left join institution ai on ai.id = r.adopter_institution_id
      left join hub h on h.id = r.facilitating_hub_id
     where ${sql.and(where)}
     order by r.id`;
  },
  csvRows(row) {
    return [this.columns.map((c) => joined(row[c]))];
  },
};

const PROGRAMME_COLUMNS = ['programmeId', 'year', 'provinceCode', 'university', 'otherPartner', 'periodStart', 'periodEnd', 'outputs'];
const SESSION_COLUMNS = ['sessionId', 'heldOn', 'mode', 'topic', 'participantCount', 'regencyCodes', 'mentorNames'];

const PROGRAMMES: ExportSpec = {
  kind: 'mentoring-programmes',
  columns: [...PROGRAMME_COLUMNS, ...SESSION_COLUMNS],
  statement(params, viewer) {
    const filter: MentoringFilter = {
      year: params.year as number | undefined,
      provinceCode: params.provinceCode as string | undefined,
      universityId: params.universityId as string | undefined,
    };
    const list = programmeList(filter);
    const where = [list.where, ...since(params, sql`m.updated_at`)];
    return sql`select json_build_object(
        'id', ${globalIdSql('MentoringProgramme', sql`m.id`)}, 'year', m.year, 'provinceCode', m.province_code,
        'universityId', case when m.university_id is not null then ${globalIdSql('University', sql`m.university_id`)} end,
        'university', u.acronym, 'otherPartner', m.other_partner, 'periodStart', m.period_start, 'periodEnd', m.period_end,
        'commitmentSignedOn', m.commitment_signed_on, 'recommendedBy', m.recommended_by, 'outputs', m.outputs,
        'sources', m.sources, 'confidence', m.confidence, 'dataset', m.dataset, 'version', m.version, 'updatedAt', ${iso(sql`m.updated_at`)},
        'sessions', (select coalesce(json_agg(json_build_object(
            'id', ${globalIdSql('MentoringSession', sql`s.id`)}, 'heldOn', s.held_on, 'mode', s.mode, 'topic', s.topic,
            'participantCount', s.participant_count,
            'regencyCodes', (select coalesce(json_agg(l.regency_code order by l.regency_code), '[]') from mentoring_session_regency l where l.mentoring_session_id = s.id),
            'mentorNames', ${mentorNamesSql(viewer, sql`s`)}) order by s.held_on, s.id), '[]')
          from mentoring_session s where s.programme_id = m.id)) as row
      from mentoring_programme m left join university u on u.id = m.university_id
     where ${sql.and(where)}
     order by m.id`;
  },
  csvRows(row) {
    const programme = [row.id, row.year, row.provinceCode, row.university, row.otherPartner, row.periodStart, row.periodEnd, joined(row.outputs)];
    const sessions = row.sessions as ExportRow[];
    if (sessions.length === 0) return [[...programme, ...SESSION_COLUMNS.map(() => null)]];
    return sessions.map((s) => [...programme, s.id, s.heldOn, s.mode, s.topic, s.participantCount, joined(s.regencyCodes), joined(s.mentorNames)]);
  },
};

export const EXPORT_SPECS: Record<ExportKind, ExportSpec> = {
  innovations: INNOVATIONS,
  replications: REPLICATIONS,
  'mentoring-programmes': PROGRAMMES,
};
