// Production mode over real HTTP: the schema is hidden from anonymous callers (introspection, "Did you
// mean" suggestions) and open to key holders; one JSON log line per operation without secrets or
// variable values; Prometheus metrics; health routes; unexpected errors masked, stacks only in the log.
import { getIntrospectionQuery } from 'graphql';
import { createKey } from '../../src/auth/keys.cli';
import { Role } from '../../src/auth/viewer';
import { MAX_BODY_BYTES } from '../../src/http/http-server';
import { createTestDatabase } from '../support/harness';
import { codes, postGraphQL, send, startTestServer, type TestServer } from './support';

let database: { url: string; drop: () => Promise<void> };
let api: TestServer;
let key: string;
let keyId: number;

beforeAll(async () => {
  database = await createTestDatabase();
  api = await startTestServer({ databaseUrl: database.url, server: { hideSchemaFromAnonymous: true } });
  const created = await createKey(api.orm, { role: Role.INTEGRATION, label: 'production test' });
  key = created.key;
  keyId = created.record.id;
});
afterAll(async () => {
  await api.close();
  await database.drop();
});

const withKey = () => ({ headers: { authorization: `Bearer ${key}` } });
const operationLines = (requestId: unknown) => api.logs.filter((l) => l.msg === 'graphql operation' && l.requestId === requestId);

describe('the schema, for anonymous callers and for key holders', () => {
  it('refuses introspection to anonymous callers with 400 GRAPHQL_VALIDATION_FAILED', async () => {
    for (const query of ['{ __schema { queryType { name } } }', '{ __type(name: "Province") { name } }', getIntrospectionQuery()]) {
      const reply = await postGraphQL(api.url, query);
      expect([reply.status, reply.body.errors]).toEqual([
        400,
        [{ message: 'GraphQL introspection is only open to API key holders; the schema is published with the API.', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }],
      ]);
    }
    const typename = await postGraphQL(api.url, '{ __typename province(code: "35") { __typename } }');
    expect(typename.body.data).toEqual({ __typename: 'Query', province: { __typename: 'Province' } });
  });

  it('answers the full introspection query for a key holder', async () => {
    const reply = await postGraphQL(api.url, getIntrospectionQuery(), undefined, withKey());
    expect([reply.status, reply.body.errors, reply.body.data.__schema.queryType.name]).toEqual([200, undefined, 'Query']);
  });

  it('leaves "Did you mean" suggestions out of errors for anonymous callers, and in for key holders', async () => {
    const field = '{ provinces { nme } }';
    const anonymous = await postGraphQL(api.url, field);
    const partner = await postGraphQL(api.url, field, undefined, withKey());
    expect(anonymous.body.errors.map((e: { message: string }) => e.message)).toEqual(['Cannot query field "nme" on type "Province".']);
    expect(partner.body.errors.map((e: { message: string }) => e.message)).toEqual(['Cannot query field "nme" on type "Province". Did you mean "name"?']);

    const enumValue = 'query($level: GraphLevel!) { replicationGraph(level: $level) { level } }';
    const anonymousEnum = await postGraphQL(api.url, enumValue, { level: 'PROVINCES' });
    expect([anonymousEnum.status, anonymousEnum.body.errors[0].message]).toEqual([
      400,
      'Variable "$level" got invalid value "PROVINCES"; Value "PROVINCES" does not exist in "GraphLevel" enum.',
    ]);
  });
});

describe('the log: one JSON line per operation', () => {
  it('names the operation, the caller, its role, cost, duration, status and codes, and variable names only', async () => {
    const query = 'query ProvinceByCode($code: String!) { province(code: $code) { name innovations(first: 7) { totalCount } } }';
    const reply = await postGraphQL(api.url, query, { code: '35', note: 'Dr. Rahasia' }, withKey());
    const lines = operationLines(reply.headers['x-request-id']);

    expect(lines).toEqual([
      expect.objectContaining({
        level: 30,
        msg: 'graphql operation',
        operation: 'ProvinceByCode',
        type: 'query',
        client: `key:${keyId}`,
        role: 'INTEGRATION',
        cost: 7,
        // The key's lookup, then the answer.
        sqlStatements: 2,
        durationMs: expect.any(Number),
        status: 200,
        codes: [],
        variables: ['code'],
      }),
    ]);
    const everything = JSON.stringify(api.logs);
    expect(everything).not.toContain(key);
    expect(everything).not.toContain('Bearer');
    expect(everything).not.toContain('Rahasia');
  });

  it('logs anonymous callers by address, and requests refused at any stage with their status and codes', async () => {
    const badArgument = await postGraphQL(api.url, '{ province(code: "x") { name } }');
    const badKey = await postGraphQL(api.url, '{ provinces { code } }', undefined, { headers: { authorization: 'Bearer nope' } });
    const tooLarge = await send(api.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: 'x'.repeat(MAX_BODY_BYTES + 1) });

    expect(operationLines(badArgument.headers['x-request-id'])).toEqual([
      expect.objectContaining({ client: '127.0.0.1', role: 'PUBLIC', status: 200, codes: ['BAD_USER_INPUT'], cost: 1 }),
    ]);
    expect([badKey.status, operationLines(badKey.headers['x-request-id'])]).toEqual([
      401,
      [expect.objectContaining({ status: 401, codes: ['UNAUTHENTICATED'], operation: null })],
    ]);
    expect(tooLarge.status).toBe(413);
    expect(api.logs.filter((l) => l.msg === 'graphql operation' && l.status === 413)).toEqual([expect.objectContaining({ codes: ['BAD_REQUEST'] })]);
  });
});

describe('GET /metrics', () => {
  it('exposes operations by name, type, status and code, their durations, and the connection pool, in Prometheus format', async () => {
    await postGraphQL(api.url, 'query Metered { provinces { code } }');
    await postGraphQL(api.url, 'query Metered { province(code: "x") { code } }');
    const reply = await send(`${api.base}/metrics`);

    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toContain('text/plain');
    expect(reply.text).toContain('jipp_graphql_operations_total{operation="Metered",type="query",status="200"} 2');
    expect(reply.text).toContain('jipp_graphql_errors_total{operation="Metered",code="BAD_USER_INPUT"} 1');
    expect(reply.text).toMatch(/jipp_graphql_operation_duration_seconds_count\{operation="Metered",type="query"\} 2/);
    expect(reply.text).toMatch(/jipp_db_pool_connections\{state="used"\} \d+/);
    expect(reply.text).toContain('jipp_db_pool_max 5');
    expect(reply.text).toMatch(/jipp_db_read_pool_connections\{state="busy"\} \d+/);
    expect(reply.text).toContain('jipp_db_read_pool_max 5');
  });

  it('labels at most 100 distinct operation names, so clients cannot blow up the series', async () => {
    for (let i = 0; i < 110; i += 1) await postGraphQL(api.url, `query Name${i} { __typename }`);
    const reply = await send(`${api.base}/metrics`);
    const names = new Set([...reply.text.matchAll(/jipp_graphql_operations_total\{operation="([^"]+)"/g)].map((m) => m[1]));
    expect([...names].filter((n) => !n.startsWith('(')).length).toBe(100);
    expect(names).toContain('(other)');
  });
});

describe('unexpected failures in production', () => {
  it('are masked with the request id; the stack stays in the log', async () => {
    await api.orm.em.fork().getConnection().execute('drop table award cascade');
    const reply = await postGraphQL(api.url, '{ innovations(first: 1) { nodes { awards { tier } } } }');
    const requestId = reply.headers['x-request-id'];

    expect(reply.body.errors).toEqual([
      expect.objectContaining({
        message: `Internal server error. Quote request id ${requestId} when reporting it.`,
        extensions: { code: 'INTERNAL_SERVER_ERROR', requestId },
      }),
    ]);
    expect(reply.text).not.toMatch(/stack|award" does not exist|\.ts:\d+/);
    const logged = api.logs.find((l) => l.msg === 'unexpected error' && l.requestId === requestId);
    expect(logged?.err.stack).toEqual(expect.stringContaining('award'));
  });
});

describe('health', () => {
  it('is live and ready, and stops being ready (asking clients to close) once draining starts', async () => {
    expect([(await send(`${api.base}/livez`)).status, (await send(`${api.base}/readyz`)).body]).toEqual([200, { status: 'ready' }]);

    api.front.startDraining();
    const ready = await send(`${api.base}/readyz`);
    const answer = await postGraphQL(api.url, '{ provinces { code } }');

    expect([ready.status, ready.body, ready.headers.connection]).toEqual([503, { status: 'draining' }, 'close']);
    expect([answer.status, codes(answer), answer.headers.connection]).toEqual([200, [], 'close']);
  });
});
