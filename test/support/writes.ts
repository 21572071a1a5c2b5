// Shared by the write tests: the mutation documents (selecting whole payloads), fixture rows inserted by SQL
// (so they leave no audit events of their own), and a picture of every writable table to prove that a
// refused write changed nothing.
import { randomUUID } from 'node:crypto';
import type { Viewer } from '../../src/auth/viewer';
import { decodeGlobalId, toGlobalId, type NodeType } from '../../src/graphql/global-id';
import type { GraphQLResponse, TestApi } from './harness';

export const USER_ERRORS = 'userErrors { field message code }';
const PROVENANCE = 'provenance { dataset confidence sources { label url } note }';

export const INNOVATION_FIELDS = `id title summary version launchYear registry externalId stage isDigital category sustainability
  owner { name kind } province { code } regency { code } ${PROVENANCE}`;
export const REPLICATION_FIELDS = `id kind status year implementationYear committedOn implementedOn version registry externalId
  adopter { scope province { code } regency { code } institution { name } } source { id } adoptedAs { id }
  facilitatingHub { province { code } } mentoringProgramme { id } ${PROVENANCE}`;
export const HUB_FIELDS = `id province { code } cohortYear stage isPilot committedOn designatedOn version
  instrument { kind number year title issuer issuedOn } ${PROVENANCE}`;
export const PROGRAMME_FIELDS = `id year province { code } university { acronym } otherPartner periodStart periodEnd periodPrecision
  commitmentSignedOn recommendedBy outputs version ${PROVENANCE}`;
export const SESSION_FIELDS = `id heldOn mode topic participantCount mentorNames regencies { code } programme { id } version ${PROVENANCE}`;

export const CREATE_INNOVATION = `mutation CreateInnovation($input: CreateInnovationInput!, $key: String) {
  createInnovation(input: $input, idempotencyKey: $key) { innovation { ${INNOVATION_FIELDS} } ${USER_ERRORS} replayed } }`;
export const UPDATE_INNOVATION = `mutation UpdateInnovation($input: UpdateInnovationInput!) {
  updateInnovation(input: $input) { innovation { ${INNOVATION_FIELDS} } ${USER_ERRORS} replayed } }`;
export const RECORD_REPLICATION = `mutation RecordReplication($input: RecordReplicationInput!, $key: String) {
  recordReplication(input: $input, idempotencyKey: $key) { replication { ${REPLICATION_FIELDS} } ${USER_ERRORS} replayed } }`;
export const UPDATE_REPLICATION_STATUS = `mutation UpdateReplicationStatus($input: UpdateReplicationStatusInput!) {
  updateReplicationStatus(input: $input) { replication { ${REPLICATION_FIELDS} } ${USER_ERRORS} replayed } }`;
export const DESIGNATE_HUB = `mutation DesignateHub($input: DesignateHubInput!, $key: String) {
  designateHub(input: $input, idempotencyKey: $key) { hub { ${HUB_FIELDS} } ${USER_ERRORS} replayed } }`;
export const CREATE_PROGRAMME = `mutation CreateMentoringProgramme($input: CreateMentoringProgrammeInput!, $key: String) {
  createMentoringProgramme(input: $input, idempotencyKey: $key) { programme { ${PROGRAMME_FIELDS} } ${USER_ERRORS} replayed } }`;
export const RECORD_SESSION = `mutation RecordMentoringSession($input: RecordMentoringSessionInput!, $key: String) {
  recordMentoringSession(input: $input, idempotencyKey: $key) { session { ${SESSION_FIELDS} } ${USER_ERRORS} replayed } }`;

/** Every table a mutation may write to. */
export const WRITABLE_TABLES = [
  'innovation',
  'institution',
  'replication',
  'hub',
  'legal_instrument',
  'mentoring_programme',
  'mentoring_session',
  'mentoring_session_regency',
  'audit_event',
  'idempotency_record',
] as const;

/** The database id behind a global id. */
export function dbId(globalId: string): number {
  const decoded = decodeGlobalId(globalId);
  if (!decoded) throw new Error(`not a global id: ${globalId}`);
  return Number(decoded.key);
}

/** A userError as the API returns it; the message is free text, the field and code are the contract. */
export function userError(field: string | null, code: string, message: unknown = expect.any(String)) {
  return { field, message, code };
}

/**
 * The whole response of a mutation refused with one coded error before it could write anything: the
 * mutation's field is null (mutation fields are nullable, so one refused mutation does not hide what
 * the others of the operation did).
 */
export function refused(field: string, code: string, argument?: string): GraphQLResponse {
  return {
    data: { [field]: null },
    errors: [
      {
        message: expect.any(String),
        locations: expect.any(Array),
        path: [field],
        extensions: argument ? { code, argument } : { code },
      } as never,
    ],
  };
}

export class Fixtures {
  constructor(private readonly api: TestApi) {}

  private async one<T = { id: number }>(sql: string, params: unknown[] = []): Promise<T> {
    const rows = await this.api.sql<T>(sql, params);
    if (rows.length !== 1) throw new Error(`expected one row from ${sql}, got ${rows.length}`);
    return rows[0];
  }

  async institutionId(name: string): Promise<number> {
    return (await this.one(`select id from institution where name = ?`, [name])).id;
  }

  async universityId(acronym: string): Promise<number> {
    return (await this.one(`select id from university where acronym = ?`, [acronym])).id;
  }

  /** An IMPORTED (or REFERENCE) innovation in a regency (or a province, or national), owned by a new institution. */
  async innovation(options: { regencyCode?: string; provinceCode?: string; dataset?: string; title?: string } = {}): Promise<string> {
    const province = options.provinceCode ?? options.regencyCode?.slice(0, 2) ?? null;
    const regency = options.regencyCode ?? null;
    const owner = await this.one(
      `insert into institution (name, kind, province_code, regency_code, dataset) values (?, 'OTHER', ?, ?, 'IMPORTED') returning id`,
      [`Pemilik ${randomUUID()}`, province, regency],
    );
    const row = await this.one(
      `insert into innovation (title, owner_id, province_code, regency_code, dataset, sources)
       values (?, ?, ?, ?, ?, '{https://example.org/asal}') returning id`,
      [options.title ?? `Inovasi Uji ${randomUUID().slice(0, 8)}`, owner.id, province, regency, options.dataset ?? 'IMPORTED'],
    );
    return toGlobalId('Innovation', row.id);
  }

  /** A replication of `source` adopted by a regency (or a province, or nationally). */
  async replication(
    source: string,
    options: { regencyCode?: string; provinceCode?: string; status?: string; dataset?: string } = {},
  ): Promise<string> {
    const scope = options.regencyCode ? 'REGENCY' : options.provinceCode ? 'PROVINCE' : 'NATIONAL';
    const row = await this.one(
      `insert into replication (source_id, adopter_scope, adopter_province_code, adopter_regency_code, kind, status, year, dataset, sources)
       values (?, ?, ?, ?, 'REPLICATION', ?, 2024, ?, '{https://example.org/replikasi}') returning id`,
      [
        dbId(source),
        scope,
        options.provinceCode ?? options.regencyCode?.slice(0, 2) ?? null,
        options.regencyCode ?? null,
        options.status ?? 'PROPOSED',
        options.dataset ?? 'IMPORTED',
      ],
    );
    return toGlobalId('Replication', row.id);
  }

  /** A mentoring programme of a university (by acronym), or with no university. */
  async programme(university: string | null, provinceCode = '61'): Promise<string> {
    const row = await this.one(
      `insert into mentoring_programme (year, province_code, university_id, dataset, sources)
       values (2025, ?, (select id from university where acronym = ?), 'IMPORTED', '{https://example.org/pendampingan}') returning id`,
      [provinceCode, university],
    );
    return toGlobalId('MentoringProgramme', row.id);
  }

  async session(programme: string, mentorNames: string[]): Promise<string> {
    const row = await this.one(
      `insert into mentoring_session (programme_id, held_on, mode, topic, mentor_names, dataset, sources)
       values (?, '2025-08-01', 'ONLINE', 'Klinik inovasi', ?, 'IMPORTED', '{https://example.org/sesi}') returning id`,
      [dbId(programme), `{${mentorNames.map((m) => `"${m}"`).join(',')}}`],
    );
    return toGlobalId('MentoringSession', row.id);
  }

  /** A province that has no hub yet; each call returns another one. */
  async provinceWithoutHub(): Promise<string> {
    const taken = this.provincesHanded;
    const rows = await this.api.sql<{ code: string }>(
      `select code from province where code not in (select province_code from hub where province_code is not null) order by code`,
    );
    const free = rows.map((r) => r.code).find((code) => !taken.has(code));
    if (!free) throw new Error('no province without a hub left');
    taken.add(free);
    return free;
  }
  private readonly provincesHanded = new Set<string>();

  async version(type: NodeType, globalId: string): Promise<number> {
    const table = { Innovation: 'innovation', Replication: 'replication', Hub: 'hub' }[type as 'Innovation' | 'Replication' | 'Hub'];
    return (await this.one<{ version: number }>(`select version from ${table} where id = ?`, [dbId(globalId)])).version;
  }

  /** Row counts of every writable table, and the rows named, as JSON: equal pictures mean nothing was written. */
  async picture(rows: { table: string; id: string }[] = []): Promise<Record<string, unknown>> {
    const counts = await this.api.sql<Record<string, string>>(
      `select ${WRITABLE_TABLES.map((t) => `(select count(*) from ${t}) as ${t}`).join(', ')}`,
    );
    const picture: Record<string, unknown> = { ...counts[0] };
    for (const { table, id } of rows) {
      picture[`${table}:${id}`] = await this.api.sql(`select to_jsonb(t) as row from ${table} t where id = ?`, [dbId(id)]);
    }
    return picture;
  }

  async count(table: string, where = 'true', params: unknown[] = []): Promise<number> {
    return Number((await this.one<{ n: string }>(`select count(*) as n from ${table} where ${where}`, params)).n);
  }
}

/**
 * Runs an operation like api.run, with a request id of our choosing, and returns the body with all its
 * extensions (the audit records the request id, so the test needs to know it).
 */
export async function runWithRequestId(
  api: TestApi,
  query: string,
  variables: Record<string, unknown>,
  viewer: Viewer,
  requestId: string,
): Promise<GraphQLResponse> {
  const response = await api.apollo.executeOperation({ query, variables }, { contextValue: api.context({ viewer, requestId }) });
  if (response.body.kind !== 'single') throw new Error('unexpected incremental response');
  return response.body.singleResult as GraphQLResponse;
}
