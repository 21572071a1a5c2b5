// An answer of the read engine goes out as the JSON text PostgreSQL built (src/graphql/sql/answer-text.ts):
// no parse and stringify again on the way out, and the same data for whoever reads it as an object.
import { parse, type OperationDefinitionNode } from 'graphql';
import { PUBLIC_VIEWER } from '../../src/auth/viewer';
import { stringifyResult, textAnswer } from '../../src/graphql/sql/answer-text';
import { openTestApi, serveTestApi, type TestApi } from '../support/harness';

let api: TestApi;
let http: Awaited<ReturnType<typeof serveTestApi>>;
beforeAll(async () => {
  api = await openTestApi();
  http = await serveTestApi(api);
});
afterAll(async () => {
  await http.close();
  await api.close();
});

async function post(query: string, variables: Record<string, unknown> = {}): Promise<string> {
  const response = await fetch(http.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  expect(response.status).toBe(200);
  return response.text();
}

/** What PostgreSQL answers to the statement the engine plans for `query`. */
async function statementText(query: string, variables: Record<string, unknown>): Promise<string> {
  const plan = api.engine.plan(parse(query).definitions[0] as OperationDefinitionNode, {}, variables, PUBLIC_VIEWER);
  const [row] = await api.sql<{ data: string }>(plan.text!, []);
  return row.data;
}

describe('a query the statement answers whole', () => {
  const query = `query($code: String!) { __typename province(code: $code) { name regencies(kind: KOTA) { code name } } }`;

  it("is written with the statement's text as its data, byte for byte", async () => {
    const body = await post(query, { code: '35' });
    const text = await statementText(query, { code: '35' });
    // PostgreSQL writes `"key" : value`; a parse and stringify again would have written `"key":value`.
    expect(text).toContain('"province" : {"name" : "JAWA TIMUR"');
    const { extensions } = JSON.parse(body) as { extensions: unknown };
    expect(body).toBe(`{"data":${text},"extensions":${JSON.stringify(extensions)}}\n`);
    const { data } = JSON.parse(body) as { data: { __typename: string; province: { name: string; regencies: { code: string; name: string }[] } } };
    expect(data.__typename).toBe('Query');
    expect(data.province.regencies).toHaveLength(9);
    expect(data.province.regencies[0]).toEqual({ code: '35.71', name: 'KOTA KEDIRI' });
  });

  it('reads as the same data through executeOperation, which writes nothing', async () => {
    const response = await api.apollo.executeOperation({ query, variables: { code: '35' } }, { contextValue: api.context() });
    const data = response.body.kind === 'single' ? response.body.singleResult.data : undefined;
    expect(Object.keys(data!)).toEqual(['__typename', 'province']);
    expect(data!.province).toEqual(JSON.parse(await statementText(query, { code: '35' })).province);
    // Parsed once: every read of a root field gives the same object.
    expect(data!.province).toBe(data!.province);
  });
});

describe('an operation graphql-js walks', () => {
  it('is written by stringify, with the same data as the statement holds', async () => {
    const body = await post(`{ viewer { role } province(code: "35") { name } }`);
    expect(body).toBe(`${JSON.stringify(JSON.parse(body))}\n`);
    expect(JSON.parse(body).data).toEqual({ viewer: { role: 'PUBLIC' }, province: { name: 'JAWA TIMUR' } });
  });
});

describe('stringifyResult', () => {
  it('writes errors, data and extensions in the order given, the answer as its text, and leaves out what is undefined', () => {
    // A number past 2^53 goes out as PostgreSQL wrote it (a parse would have rounded it).
    const text = '{"a" : {"n" : 12345678901234567891, "s" : "\\u0000 and \\"quoted\\""}}';
    const data = textAnswer(text, ['a']);
    expect(stringifyResult({ errors: [{ message: 'm' }], data, extensions: { cost: 1 } })).toBe(`{"errors":[{"message":"m"}],"data":${text},"extensions":{"cost":1}}\n`);
    expect(stringifyResult({ errors: undefined, data, extensions: undefined })).toBe(`{"data":${text}}\n`);
    expect(stringifyResult({ data: null })).toBe('{"data":null}\n');
    expect(stringifyResult({ data: { plain: [1, 'two'] } })).toBe('{"data":{"plain":[1,"two"]}}\n');
  });

  it('writes an answer read as an object (the same data) anywhere but as data, by stringify', () => {
    const data = textAnswer('{"x" : [1, 2], "y" : null}', ['x', 'y']);
    expect(JSON.stringify(data)).toBe('{"x":[1,2],"y":null}');
    expect(stringifyResult({ extensions: { kept: data } })).toBe('{"extensions":{"kept":{"x":[1,2],"y":null}}}\n');
  });
});
