// Per-operation limits over real HTTP: depth, aliases, directives and tokens are refused with 400 and
// Apollo's codes, cost over the limit with 400 QUERY_TOO_COMPLEX, and every response reports its cost.
// The cost formula itself is pinned on the built schema, without a database.
import { getOperationAST, parse, type GraphQLSchema } from 'graphql';
import { DEFAULT_QUERY_LIMITS } from '../../src/limits/limits';
import { operationCost } from '../../src/limits/cost';
import { getSchema } from '../../src/schema';
import { createTestDatabase } from '../support/harness';
import { codes, postGraphQL, startTestServer, type TestServer } from './support';

describe('operationCost (GitHub-style: first x nested first)', () => {
  let schema: GraphQLSchema;
  beforeAll(async () => {
    schema = await getSchema();
  });

  const cost = (query: string, variables?: Record<string, unknown>) => {
    const document = parse(query);
    return operationCost(schema, document, getOperationAST(document)!, variables);
  };

  it.each([
    ['a query without lists costs the minimum, 1', '{ province(code: "35") { code name hub { stage } } }', 1],
    ['a plain list of records counts its bound (38 provinces)', '{ provinces { code } }', 38],
    ['a connection without first costs the default page, 20', '{ innovations { totalCount } }', 20],
    ['nested connections multiply', '{ innovations(first: 50) { nodes { replications(first: 10) { totalCount } } } }', 50 + 50 * 10],
    ['last counts like first; a nested connection without one counts 20', '{ innovations(last: 5) { edges { node { replications { nodes { id } } } } } }', 5 + 5 * 20],
    ['page sizes are clamped to 0..100', '{ a: regencies(first: 100000) { totalCount } b: regencies(first: -3) { totalCount } }', 100],
    ['a plain list multiplies what it holds', '{ provinces { innovations(first: 10) { totalCount } } }', 38 + 38 * 10],
    ['nodes(ids:) counts its ids', '{ nodes(ids: ["a", "b", "c"]) { ... on Province { innovations(first: 10) { totalCount } } } }', 3 + 3 * 10],
    ['lists of values (sources) cost nothing; small lists of records (awards) their typical size', '{ innovations(first: 10) { nodes { provenance { sources { label } } awards { tier } } } }', 10 + 10 * 3],
    ['analytics fields carry a weight, multiplied like the rest', '{ replicationGraph { totals { replications } } provinces { statistics { innovations } } }', 10 + 38 + 38 * 5],
    ['a cycle through a list grows geometrically', '{ province(code: "35") { regencies { province { regencies { province { regencies { code } } } } } } }', 40 + 40 ** 2 + 40 ** 3],
    ['introspection costs what it answers: the whole schema 10,000, one type 100', '{ __schema { types { name fields { name } } } __type(name: "Hub") { name } }', 10_100],
    ['a search costs its weight besides its page', '{ innovations(first: 5, filter: { search: "sampah" }) { totalCount } }', 5 + 100],
    ['the REGENCY graph weighs 100 (regency flows), the PROVINCE graph 10', '{ a: replicationGraph(level: REGENCY) { level } b: replicationGraph { level } }', 110],
  ])('%s', (_name, query, expected) => {
    expect(cost(query)).toBe(expected);
  });

  it('reads page sizes from variables, and from variable defaults', () => {
    const query = 'query($n: Int = 9) { regencies(first: $n) { totalCount } }';
    expect([cost(query, { n: 7 }), cost(query, {}), cost(query, { n: 'x' })]).toEqual([7, 9, 20]);
  });

  it('prices one parsed document anew for each set of variables (Apollo reuses the document of a repeated query)', () => {
    const document = parse('query($n: Int) { innovations(first: $n) { nodes { replications(first: $n) { totalCount } } } }');
    const operation = getOperationAST(document)!;
    expect(operationCost(schema, document, operation, { n: 10 })).toBe(10 + 10 * 10);
    expect(operationCost(schema, document, operation, { n: 50 })).toBe(50 + 50 * 50);
    expect(operationCost(schema, document, operation, { n: 10 })).toBe(10 + 10 * 10);
    expect(operationCost(schema, document, operation, {})).toBe(20 + 20 * 20);
  });

  it('counts a fragment where it is spread, each time it is spread', () => {
    const query = `query { a: innovations(first: 10) { ...Page } b: innovations(first: 3) { ...Page } }
      fragment Page on InnovationConnection { nodes { replications(first: 2) { totalCount } } }`;
    expect(cost(query)).toBe(10 + 10 * 2 + 3 + 3 * 2);
  });
});

describe('limits over HTTP', () => {
  let database: { url: string; drop: () => Promise<void> };
  let api: TestServer;

  beforeAll(async () => {
    database = await createTestDatabase();
    api = await startTestServer({ databaseUrl: database.url });
  });
  afterAll(async () => {
    await api.close();
    await database.drop();
  });

  /** innovations > nodes > origin > origin ... > title: `depth` selection levels, one object per level. */
  const nested = (depth: number) => {
    let inner = 'title';
    for (let i = 0; i < depth - 3; i += 1) inner = `origin { ${inner} }`;
    return `{ innovations(first: 1) { nodes { ${inner} } } }`;
  };

  it('publishes these defaults', () => {
    expect(DEFAULT_QUERY_LIMITS).toEqual({ maxDepth: 15, maxAliases: 30, maxDirectives: 20, maxTokens: 5_000, maxCost: 50_000 });
  });

  it('answers an operation at the depth limit, and refuses one level more with 400 GRAPHQL_VALIDATION_FAILED', async () => {
    const atLimit = await postGraphQL(api.url, nested(15));
    expect([atLimit.status, atLimit.body.errors]).toEqual([200, undefined]);

    const over = await postGraphQL(api.url, nested(16));
    expect(over.status).toBe(400);
    expect(over.body.errors).toEqual([{ message: 'Query depth limit of 15 exceeded, found 16.', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }]);
    expect(over.body.extensions).toMatchObject({ sqlStatements: 0, cost: { requested: 0, limit: 50_000 } });
  });

  it('refuses more than 30 aliases with 400 GRAPHQL_VALIDATION_FAILED', async () => {
    const aliases = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `p${i}: province(code: "35") { code }`).join(' ')} }`;
    expect((await postGraphQL(api.url, aliases(30))).status).toBe(200);

    const over = await postGraphQL(api.url, aliases(31));
    expect(over.status).toBe(400);
    expect(over.body.errors).toEqual([{ message: 'Aliases limit of 30 exceeded, found 31.', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }]);
  });

  it('refuses more than 20 directives with 400 GRAPHQL_VALIDATION_FAILED', async () => {
    const directives = (n: number) => `{ provinces { ${Array.from({ length: n }, (_, i) => `c${i}: code @include(if: true)`).join(' ')} } }`;
    expect((await postGraphQL(api.url, directives(20))).status).toBe(200);

    const over = await postGraphQL(api.url, directives(21));
    expect(over.status).toBe(400);
    expect(over.body.errors).toEqual([{ message: 'Directives limit of 20 exceeded, found 21.', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }]);
  });

  it('refuses a document of more than 5,000 tokens with 400 GRAPHQL_PARSE_FAILED, before validating it', async () => {
    const over = await postGraphQL(api.url, `{ provinces { ${'code '.repeat(5_000)}} }`);
    expect(over.status).toBe(400);
    expect(over.body.errors).toEqual([
      // graphql-js's wording, typo included.
      {
        message: 'Syntax Error: Document contains more that 5000 tokens. Parsing aborted.',
        locations: [{ line: 1, column: 25_000 }],
        extensions: { code: 'GRAPHQL_PARSE_FAILED' },
      },
    ]);
  });

  it('refuses an operation costing more than 50,000 with 400 QUERY_TOO_COMPLEX, running no SQL', async () => {
    // 100 innovations x 100 replications x 5 replications of each source: 100 + 10,000 + 50,000.
    const query = `query Deep($n: Int) { innovations(first: 100) { nodes { replications(first: 100) { nodes {
      source { replications(first: $n) { totalCount } } } } } } }`;
    const over = await postGraphQL(api.url, query, { n: 5 });

    expect(over.status).toBe(400);
    expect(over.body).toEqual({
      errors: [
        {
          message: expect.stringContaining('This operation costs 60100, over the limit of 50000 per operation.'),
          extensions: { code: 'QUERY_TOO_COMPLEX', cost: 60_100, maxCost: 50_000 },
        },
      ],
      extensions: { requestId: over.headers['x-request-id'], sqlStatements: 0, cost: { requested: 60_100, limit: 50_000 } },
    });

    const under = await postGraphQL(api.url, query, { n: 3 });
    expect([under.status, codes(under)]).toEqual([200, []]);
    expect(under.body.extensions.cost).toEqual({ requested: 100 + 10_000 + 30_000, limit: 50_000 });
  });

  it('refuses the geometric growth of a cycle through lists (province > regencies > province ...)', async () => {
    const cycle = '{ province(code: "35") { regencies { province { regencies { province { regencies { code } } } } } } }';
    const over = await postGraphQL(api.url, cycle);
    expect([over.status, codes(over), over.body.extensions.cost.requested]).toEqual([400, ['QUERY_TOO_COMPLEX'], 65_640]);
  });

  it('prices at once, and refuses, fragments that spread the next one 60 times over, level after level', async () => {
    // 60^5 copies of one field within the depth limit (a spread counts as a level): walking them one by
    // one would take minutes.
    const levels = 6;
    const fragments = Array.from({ length: levels }, (_, i) =>
      i === levels - 1
        ? `fragment F${i} on Query { regencies(first: 1) { totalCount } }`
        : `fragment F${i} on Query { ${`...F${i + 1} `.repeat(60)}}`,
    );
    const reply = await postGraphQL(api.url, `{ ...F0 } ${fragments.join(' ')}`);

    expect([reply.status, codes(reply), reply.body.extensions.cost.requested]).toEqual([400, ['QUERY_TOO_COMPLEX'], 60 ** 5]);
    expect(reply.ms).toBeLessThan(5_000);
  });

  it('reports the cost in extensions of every response, errors included', async () => {
    const ok = await postGraphQL(api.url, '{ regencies(first: 7) { totalCount } }');
    const badArgument = await postGraphQL(api.url, '{ regencies(first: 101) { totalCount } }');
    const syntax = await postGraphQL(api.url, '{ regencies(');

    expect([ok.status, ok.body.extensions.cost]).toEqual([200, { requested: 7, limit: 50_000 }]);
    expect([badArgument.status, codes(badArgument), badArgument.body.extensions.cost]).toEqual([200, ['BAD_USER_INPUT'], { requested: 100, limit: 50_000 }]);
    expect([syntax.status, codes(syntax), syntax.body.extensions.cost]).toEqual([400, ['GRAPHQL_PARSE_FAILED'], { requested: 0, limit: 50_000 }]);
  });
});
