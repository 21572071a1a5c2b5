// Property-based fuzz (fast-check) over real HTTP: every argument of every Query field, and of every field
// reachable through node(id:), gets random values (out of range, malformed, forged ids and cursors, huge
// strings and lists, wrong types), as variables or inline literals, anonymously or with a ministry key.
// Whatever comes in, the answer is never a 500 and never INTERNAL_SERVER_ERROR: bad input is the
// client's error, coded as such. Then the same for whole requests: bodies, content types and methods.
import fc from 'fast-check';
import {
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isUnionType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
} from 'graphql';
import { createKey } from '../../src/auth/keys.cli';
import { Role } from '../../src/auth/viewer';
import { toGlobalId, type NodeType } from '../../src/graphql/global-id';
import { getSchema } from '../../src/schema';
import { createTestDatabase } from '../support/harness';
import { plausibleArbitrary, sometimes, valueArbitrary, type Samples } from './fuzz-arbitraries';
import { codes, postGraphQL, send, startTestServer, type Reply, type TestServer } from './support';

const RUNS_PER_FIELD = 40;
const CLIENT_CODES = new Set([
  'BAD_USER_INPUT',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'QUERY_TOO_COMPLEX',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

let database: { url: string; drop: () => Promise<void> };
let api: TestServer;
let schema: GraphQLSchema;
let ministryKey: string;
let samples: Samples;
const idsByType = new Map<string, string[]>();

beforeAll(async () => {
  database = await createTestDatabase();
  api = await startTestServer({ databaseUrl: database.url });
  schema = await getSchema();
  ({ key: ministryKey } = await createKey(api.orm, { role: Role.MINISTRY_ADMIN, label: 'fuzz' }));
  const keys = async (table: string, column = 'id') =>
    (await api.orm.em.fork().getConnection().execute<{ key: string }[]>(`select ${column}::text as key from ${table} order by ${column} limit 3`)).map((r) => r.key);
  const tables: [NodeType, string, string?][] = [
    ['Province', 'province', 'code'],
    ['Regency', 'regency', 'code'],
    ['Hub', 'hub'],
    ['Innovation', 'innovation'],
    ['Institution', 'institution'],
    ['Replication', 'replication'],
    ['MentoringProgramme', 'mentoring_programme'],
    ['University', 'university'],
    ['LegalInstrument', 'legal_instrument'],
  ];
  for (const [type, table, column] of tables) idsByType.set(type, (await keys(table, column)).map((key) => toGlobalId(type, key)));
  const page = await postGraphQL(api.url, '{ innovations(first: 2) { pageInfo { endCursor } } regencies(first: 2) { pageInfo { endCursor } } }');
  samples = {
    ids: [...idsByType.values()].flat(),
    cursors: [page.body.data.innovations.pageInfo.endCursor, page.body.data.regencies.pageInfo.endCursor],
    codes: ['35', '73', '33', '35.25', '99', '00.00', 'UNTAN'],
  };
}, 60_000);

afterAll(async () => {
  await api.close();
  await database.drop();
});

/** Leaves (and, one level down, objects and connections) that need no arguments. */
function selection(type: GraphQLOutputType, depth = 0): string {
  const named = getNamedType(type);
  if (isLeafType(named)) return '';
  if (isUnionType(named) || isInterfaceType(named)) return '{ __typename }';
  const object = named as GraphQLObjectType;
  if (object.name.endsWith('Connection')) {
    return `{ totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node ${selection(object.getFields().nodes.type, 1)} } }`;
  }
  const parts = ['__typename'];
  for (const field of Object.values(object.getFields())) {
    if (field.args.some((a) => isNonNullType(a.type) && a.defaultValue === undefined)) continue;
    if (isLeafType(getNamedType(field.type))) parts.push(field.name);
    else if (depth < 1) parts.push(`${field.name} ${selection(field.type, depth + 1)}`);
  }
  return `{ ${parts.join(' ')} }`;
}

const NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;

/** The value written inline as a GraphQL literal (which may well be invalid: that is the point). */
function literal(value: unknown, type: GraphQLInputType): string {
  const inner = getNullableType(type) as GraphQLInputType;
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map((v) => literal(v, isListType(inner) ? inner.ofType : inner)).join(', ')}]`;
  if (typeof value === 'object') {
    const fields = isInputObjectType(inner) ? inner.getFields() : {};
    const entries = Object.entries(value as Record<string, unknown>).filter(([k]) => NAME.test(k));
    return `{ ${entries.map(([k, v]) => `${k}: ${literal(v, fields[k]?.type ?? inner)}`).join(', ')} }`;
  }
  if (typeof value === 'string') return isEnumType(getNamedType(inner)) && NAME.test(value) ? value : JSON.stringify(value);
  return String(value);
}

interface Target {
  label: string;
  field: GraphQLField<unknown, unknown>;
  /** Wraps the field's call in the query body, e.g. node(id:) { ... on Province { <call> } }. */
  wrap: (call: string) => string;
  extraVariables: string;
  extraValues: Record<string, unknown>;
}

function targets(): Target[] {
  const root = Object.values(schema.getQueryType()!.getFields()).map<Target>((field) => ({
    label: `Query.${field.name}`,
    field,
    wrap: (call) => call,
    extraVariables: '',
    extraValues: {},
  }));
  const nested = [...idsByType.entries()].flatMap(([typeName, ids]) => {
    const type = schema.getType(typeName);
    if (!isObjectType(type) || !ids.length) return [];
    return Object.values(type.getFields())
      .filter((field) => field.args.length > 0)
      .map<Target>((field) => ({
        label: `${typeName}.${field.name}`,
        field,
        wrap: (call) => `node(id: $nodeId) { ... on ${typeName} { ${call} } }`,
        extraVariables: '$nodeId: ID!',
        extraValues: { nodeId: ids[0] },
      }));
  });
  return [...root, ...nested];
}

/** Cursors of real pages, so later fields get cursors that decode (of the right list or of another). */
function harvestCursors(data: unknown, into: string[]): void {
  if (!data || typeof data !== 'object' || into.length >= 200) return;
  for (const [key, value] of Object.entries(data)) {
    if ((key === 'endCursor' || key === 'cursor') && typeof value === 'string' && !into.includes(value)) into.push(value);
    else harvestCursors(value, into);
  }
}

function violation(reply: Reply): string | null {
  if (reply.status >= 500) return `HTTP ${reply.status}`;
  if (typeof reply.body !== 'object') return `not JSON: ${reply.text.slice(0, 200)}`;
  const errors = (reply.body.errors ?? []) as { message: string; extensions?: { code?: string } }[];
  const bad = errors.filter((e) => !CLIENT_CODES.has(String(e.extensions?.code)));
  return bad.length ? `codes ${bad.map((e) => `${e.extensions?.code}: ${e.message}`).join('; ')}` : null;
}

describe('every argument of every field', () => {
  it('never answers 500 or INTERNAL_SERVER_ERROR, whatever the arguments', async () => {
    const all = targets();
    expect(all.length).toBeGreaterThan(25);
    for (const target of all) {
      const args = target.field.args;
      const requiredKeys = args.filter((a) => isNonNullType(a.type) && a.defaultValue === undefined).map((a) => a.name);
      const hostile = fc.record(Object.fromEntries(args.map((a) => [a.name, valueArbitrary(a.type, samples)])), { requiredKeys });
      const plausible = fc.record(
        Object.fromEntries(args.map((a) => [a.name, requiredKeys.includes(a.name) ? plausibleArbitrary(a.type, samples, a.name) : sometimes(plausibleArbitrary(a.type, samples, a.name))])),
      );
      // Mostly hostile values; a third plausible ones, which get past argument checks into filters and paging.
      const values = fc.oneof({ arbitrary: hostile, weight: 2 }, { arbitrary: plausible, weight: 1 });
      await fc.assert(
        fc.asyncProperty(values, fc.boolean(), fc.boolean(), async (chosen, inline, asMinistry) => {
          const given = args.filter((a) => a.name in chosen && chosen[a.name] !== undefined);
          const call = given.length
            ? `${target.field.name}(${given.map((a, i) => `${a.name}: ${inline ? literal(chosen[a.name], a.type) : `$v${i}`}`).join(', ')})`
            : target.field.name;
          const declared = [target.extraVariables, ...(inline ? [] : given.map((a, i) => `$v${i}: ${String(a.type)}`))].filter(Boolean);
          const query = `query Fuzz${declared.length ? `(${declared.join(', ')})` : ''} { ${target.wrap(`${call} ${selection(target.field.type)}`)} }`;
          const variables = { ...target.extraValues, ...(inline ? {} : Object.fromEntries(given.map((a, i) => [`v${i}`, chosen[a.name]]))) };
          const headers: Record<string, string> = asMinistry ? { authorization: `Bearer ${ministryKey}` } : {};
          const reply = await postGraphQL(api.url, query, variables, { headers });
          harvestCursors(reply.body?.data, samples.cursors);
          const problem = violation(reply);
          if (problem) throw new Error(`${target.label}: ${problem}\nquery: ${query.slice(0, 2_000)}\nvariables: ${JSON.stringify(variables).slice(0, 2_000)}`);
        }),
        { numRuns: RUNS_PER_FIELD },
      );
    }
  }, 180_000);

  it('answers more than 50 invalid variable values with BAD_USER_INPUT only (graphql-js stops at 50)', async () => {
    const reply = await postGraphQL(api.url, 'query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: Array.from({ length: 60 }, () => null) });
    expect([reply.status, reply.body.errors.length, [...new Set(codes(reply))]]).toEqual([400, 51, ['BAD_USER_INPUT']]);
    expect(reply.body.errors[50].message).toBe('Too many errors processing variables, error limit reached. Execution aborted.');
  });

  it('answers huge id lists and over-long ids with BAD_USER_INPUT', async () => {
    const many = Array.from({ length: 10_000 }, (_, i) => toGlobalId('Innovation', i + 1));
    const tooMany = await postGraphQL(api.url, 'query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: many });
    const long = await postGraphQL(api.url, 'query($id: ID!) { node(id: $id) { id } }', { id: 'A'.repeat(100_000) });
    for (const reply of [tooMany, long]) {
      expect([reply.status, violation(reply)]).toEqual([expect.any(Number), null]);
      expect(reply.status).toBeLessThan(500);
    }
    expect(tooMany.body.errors.map((e: { extensions: { code: string } }) => e.extensions.code)).toEqual(['BAD_USER_INPUT']);
  });
});

describe('whole requests', () => {
  const contentTypes = [
    'application/json',
    'application/json; charset=utf-8',
    'application/graphql-response+json',
    'application/graphql',
    'text/plain',
    'multipart/form-data; boundary=x',
    'application/x-www-form-urlencoded',
    'application/octet-stream',
    '',
  ];
  const bodies = fc.oneof(
    fc.string({ maxLength: 200 }),
    fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
    fc
      .record(
        {
          query: fc.oneof(fc.constant('{ provinces { code } }'), fc.constant('mutation { __typename }'), fc.string({ maxLength: 60 }), fc.jsonValue({ maxDepth: 1 })),
          variables: fc.oneof(fc.constant(undefined), fc.jsonValue({ maxDepth: 2 })),
          operationName: fc.oneof(fc.constant(undefined), fc.string({ maxLength: 10 }), fc.integer()),
          extensions: fc.oneof(
            fc.constant(undefined),
            fc.jsonValue({ maxDepth: 2 }),
            fc.stringMatching(/^[0-9a-f]{64}$/).map((sha256Hash) => ({ persistedQuery: { version: 1, sha256Hash } })),
          ),
        },
        { requiredKeys: [] },
      )
      .map((v) => JSON.stringify(v)),
  );

  it('never answers 500, whatever the method, content type, query string and body', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('POST', 'POST', 'POST', 'GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'),
        fc.constantFrom(...contentTypes),
        bodies,
        fc.option(fc.string({ maxLength: 80 }), { nil: undefined }),
        fc.boolean(),
        async (method, contentType, body, search, preflight) => {
          const headers: Record<string, string> = {};
          if (contentType) headers['content-type'] = contentType;
          if (preflight) headers['apollo-require-preflight'] = 'true';
          const url = search === undefined ? api.url : `${api.url}?query=${encodeURIComponent(search)}`;
          const reply = await send(url, { method, headers, body: method === 'GET' ? undefined : body });
          if (reply.status >= 500) throw new Error(`${method} ${contentType} -> ${reply.status}: ${reply.text.slice(0, 300)}\nbody: ${body.slice(0, 300)}`);
        },
      ),
      { numRuns: 300 },
    );
  }, 60_000);

  it('refuses a mutation sent as GET with 405, and a body over 1 MB with 413', async () => {
    const mutation = encodeURIComponent('mutation { __typename }');
    const get = await send(`${api.url}?query=${mutation}`, { headers: { 'apollo-require-preflight': 'true' } });
    const large = await send(api.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: Buffer.alloc(2_000_000, 32) });
    expect([get.status, get.headers.allow, large.status]).toEqual([405, 'POST', 413]);
  });
});
