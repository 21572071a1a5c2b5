// Compiled reads (src/graphql/compiled): a query whose every field has a SQL compiler is answered by one
// statement. The harness answers every query of every suite both ways and requires equal responses; this
// file pins what is compiled (one statement), what is left to the resolvers, and pages and random filters
// through both.
import fc from 'fast-check';
import { loadConfig } from '../../src/config';
import { getVariableValues, parse, type OperationDefinitionNode } from 'graphql';
import { compiledReads } from '../../src/compiled-reads';
import { ApolloServer } from '@apollo/server';
import { createContext, type Context } from '../../src/context';
import { countStatements, type StatementTally } from '../../src/db/statement-counter';
import { compiledReadsPlugin, spliceDataText } from '../../src/graphql/compiled/compiled-reads-plugin';
import { SqlJson } from '../../src/graphql/compiled/sql-json';
import { getSchema } from '../../src/schema';
import { dataOf, openTestApi, type TestApi } from '../support/harness';
import { expectError, gid } from '../support/api-assertions';

let api: TestApi;

beforeAll(async () => {
  api = await openTestApi();
});

afterAll(async () => {
  await api.close();
});

/** The compiled statement of a query (one operation, no fragments). */
async function statementText(query: string, variables: Record<string, unknown> = {}): Promise<string> {
  const schema = await getSchema();
  const operation = parse(query).definitions[0] as OperationDefinitionNode;
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
  const q = new SqlJson(api.orm.em.fork(), schema, {}, coerced.coerced!, compiledReads);
  return q.statement(q.root(schema.getQueryType()!, operation));
}

describe('compiled reads', () => {
  it.each([
    ['a province with its regencies and their innovation counts', `{ province(code: "35") { name regencies { code name kind innovations { totalCount } } } }`, 3],
    [
      'awarded innovations, paged, with awards',
      `{ innovations(first: 5, filter: { hasAward: true }, orderBy: { field: LAUNCH_YEAR, direction: DESC }) {
          totalCount pageInfo { hasNextPage endCursor } nodes { id title launchYear awards { competition tier year } } } }`,
      2,
    ],
    [
      'mentoring programmes with provinces, universities and sessions',
      `{ mentoringProgrammes(first: 20) { totalCount nodes { year province { code name } university { acronym } sessions(first: 5) { totalCount nodes { heldOn topic mode } } } } }`,
      2,
    ],
  ])('answers %s in one statement, where the resolvers need more', async (_name, query, resolvedStatements) => {
    const result = await api.run(query);
    dataOf(result);
    expect([result.compiled, result.compiledStatements]).toEqual([true, 1]);
    expect(result.statements).toBe(resolvedStatements);
  });

  it('answers provinces with hubs and statistics, series and top innovations included, in one statement', async () => {
    const result = await api.run(`{ provinces(filter: { isHub: true }) { code isHub hub { __typename level cohortYear stage activeFrom endedOn }
      recent: statistics(yearFrom: 2020, yearTo: 2024) { yearFrom yearTo innovations replicationsIn adoptingRegencies adoptionRate
        series { year replicationsIn } topInnovations { adoptions innovation { title } } }
      all: statistics { yearFrom innovations reachRegencies memberRegencies } } }`);
    const { provinces } = dataOf(result);
    expect(provinces.length).toBeGreaterThan(0);
    expect(provinces.every((p: { isHub: boolean }) => p.isHub)).toBe(true);
    expect([result.compiled, result.compiledStatements]).toEqual([true, 1]);
    // The resolvers: the list with its first statistics folded in, the second alias's, the top innovations.
    expect(result.statements).toBe(3);
  });

  it('answers the statistics of a province and of its regencies, of a regency, of a node and of hubs, in one statement', async () => {
    const stats = 'innovations replicationsOut replicationsIn adoptingRegencies adoptionRate reachRegencies memberRegencies';
    const result = await api.run(`{
      province(code: "51") { name statistics(yearFrom: 2015) { ${stats} series { year replicationsOut } topInnovations { adoptions innovation { title } } }
        regencies { code statistics { ${stats} } } }
      regency(code: "51.05") { statistics(yearTo: 2024) { ${stats} series { year replicationsIn } } }
      node(id: "${gid('Province', '35')}") { ... on Province { statistics { innovations } } }
      hubs { name level statistics { innovations replicationsOut adoptingRegencies topInnovations { adoptions } } }
      missing: province(code: "99") { statistics { innovations } }
    }`);
    const data = dataOf(result);
    expect([result.compiled, result.compiledStatements]).toEqual([true, 1]);
    expect(data.missing).toBeNull();
    expect(data.province.regencies).toHaveLength(9);
    expect(data.hubs.some((hub: { level: string }) => hub.level === 'MINISTRY')).toBe(true);
    expect(data.province.statistics.replicationsOut).toBeGreaterThan(0);
  });

  it('answers replication graphs at both levels, whole or in part, aliased, in one statement', async () => {
    const result = await api.run(`{
      all: replicationGraph { level nodes { code name level isHub outgoing incoming innovations spreadingInnovations }
        edges { source target count byKind { kind count } firstYear lastYear } totals { replications innovations regions national crossProvinceShare } }
      regencies: replicationGraph(level: REGENCY, filter: { sourceProvinceCode: "51", kind: [REPLICATION] }, includeIsolated: true) {
        __typename level size: totals { replications } edges { from: source to: target byKind { count } } }
    }`);
    const { all, regencies } = dataOf(result);
    expect([result.compiled, result.compiledStatements]).toEqual([true, 1]);
    expect(all.edges.length).toBeGreaterThan(0);
    expect(all.edges.every((edge: { count: number; byKind: { count: number }[] }) => edge.byKind.reduce((n, k) => n + k.count, 0) === edge.count)).toBe(true);
    expect(regencies.__typename).toBe('ReplicationGraph');
    expect(regencies.size.replications).toBeGreaterThan(0);
  });

  it('answers hubImpact, means and the hub with its statistics included, and null without a hub, in one statement', async () => {
    const result = await api.run(`{
      bali: hubImpact(provinceCode: "51", window: 3) { activeYear window years { year period hub comparisonMean } comparisonProvinceCodes
        hubBefore hubAfter comparisonBefore comparisonAfter difference hub { name activeFrom statistics { innovations } } }
      none: hubImpact(provinceCode: "11") { activeYear }
    }`);
    const { bali, none } = dataOf(result);
    expect([result.compiled, result.compiledStatements]).toEqual([true, 1]);
    expect(none).toBeNull();
    expect(bali.years).toHaveLength(6);
    expect(bali.comparisonProvinceCodes.length).toBeGreaterThan(0);
  });

  it('answers an innovation with its diffusion tree, numbers and nodes, and one that never spread, in one statement', async () => {
    const [{ id: spread }] = await api.sql<{ id: number }>('select source_id as id from replication group by 1 order by count(*) desc, 1 limit 1');
    const [{ id: alone }] = await api.sql<{ id: number }>('select id from innovation i where not exists (select 1 from replication r where r.source_id = i.id) order by id limit 1');
    const numbers = 'depth adoptions truncated reach { regencies provinces national } timeline { year adoptions cumulative }';
    const result = await api.run(`query($spread: ID!, $alone: ID!) {
      spread: innovation(id: $spread) { title diffusion(maxDepth: 3) { ${numbers} root { title } } shallow: diffusion(maxDepth: 1) { depth truncated }
        listed: diffusion(maxDepth: 3) { adoptions nodes { generation parentId replication { id year adopter { scope regency { name } } provenance { sources { url } } } } } }
      alone: innovation(id: $alone) { diffusion { ${numbers} } }
    }`, { spread: gid('Innovation', spread), alone: gid('Innovation', alone) });
    const data = dataOf(result);
    expect([result.compiled, result.compiledStatements]).toEqual([true, 1]);
    expect(data.spread.diffusion.adoptions).toBeGreaterThan(0);
    expect(data.spread.diffusion.root.title).toBe(data.spread.title);
    expect(data.spread.listed.nodes).toHaveLength(data.spread.listed.adoptions);
    // A local version's line of descent, and an original's (none; its own origin).
    const [{ id: local }] = await api.sql<{ id: number }>('select adopted_as_id as id from replication where adopted_as_id is not null order by id limit 1');
    const lines = await api.run(`query($local: ID!, $alone: ID!) {
      local: innovation(id: $local) { title ancestors { title } origin { title } }
      alone: innovation(id: $alone) { title ancestors { title } origin { title } }
    }`, { local: gid('Innovation', local), alone: gid('Innovation', alone) });
    const { local: version, alone: original } = dataOf(lines);
    expect([lines.compiled, lines.compiledStatements]).toEqual([true, 1]);
    // Both fields of both innovations read one walk of the chains each: identical CTEs are written once.
    const walk = await statementText(`{ innovation(id: "${gid('Innovation', local)}") { ancestors { id } origin { id } } }`);
    expect([walk.match(/with recursive chain/g)?.length, walk.match(/\bcte2\b/)]).toEqual([1, null]);
    expect(version.ancestors.length).toBeGreaterThan(0);
    expect(version.origin).toEqual(version.ancestors[version.ancestors.length - 1]);
    expect(original).toEqual({ title: original.title, ancestors: [], origin: { title: original.title } });
    expect(data.alone.diffusion).toEqual({ depth: 0, adoptions: 0, truncated: false, reach: { regencies: 0, provinces: 0, national: false }, timeline: [] });
  });

  it('answers the statistics and diffusion numbers of a top-level page\'s rows in one statement', async () => {
    const result = await api.run(`{
      regencies(first: 5, filter: { provinceCode: "51" }) { nodes { code statistics { innovations replicationsOut } } }
      innovations(first: 4, orderBy: { field: TITLE, direction: ASC }) { pageInfo { hasNextPage } nodes { title diffusion(maxDepth: 2) { depth adoptions } } }
    }`);
    const data = dataOf(result);
    expect([result.compiled, result.compiledStatements]).toEqual([true, 1]);
    expect(data.regencies.nodes).toHaveLength(5);
    expect(data.innovations.nodes).toHaveLength(4);
  });

  it('answers lookups by key and the regencies list, owners and universities included, in one statement', async () => {
    const [{ id }] = await api.sql<{ id: number }>('select id from innovation order by id limit 1');
    const result = await api.run(`query($id: ID!) {
      innovation(id: $id) { title owner { name kind province { code } innovations(first: 2) { totalCount nodes { id } } } }
      missing: innovation(id: "${gid('Innovation', 999999)}") { title }
      regency(code: "35.25") { name province { name } }
      regencies(first: 3, filter: { kind: KOTA, nameContains: "ma" }) { totalCount pageInfo { hasNextPage } nodes { code name } }
      universities { acronym province { code } programmes { year sessions(first: 2) { nodes { programme { year } regencies { code } } } } }
      replications(first: 2) { nodes { adopterScope } }
    }`, { id: gid('Innovation', id) });
    const data = dataOf(result);
    expect(data.missing).toBeNull();
    expect(data.regency).toEqual({ name: 'KABUPATEN GRESIK', province: { name: 'JAWA TIMUR' } });
    expect([result.compiled, result.compiledStatements]).toEqual([true, 1]);
    expect(result.statements).toBeGreaterThan(3);
  });

  it('answers replications with their adopters, sources and hubs, filtered and ordered, in one statement', async () => {
    const result = await api.run(`{
      replications(first: 5, filter: { kind: [REPLICATION, SCALING_UP], adopterScope: [REGENCY, PROVINCE], yearFrom: 2015 },
                   orderBy: { field: YEAR, direction: DESC }) {
        totalCount pageInfo { hasNextPage endCursor }
        nodes { id kind status year adopter { scope province { code } regency { name } institution { name } }
                source { title adoptedFrom { id } replications(first: 2) { totalCount } } facilitatingHub { name } adoptedAs { title } }
      }
    }`);
    expect(dataOf(result).replications.nodes.length).toBeGreaterThan(0);
    expect([result.compiled, result.compiledStatements]).toEqual([true, 1]);
    expect(result.statements).toBeGreaterThan(2);
  });

  it('answers the provenance of every record type in one statement, sources split into labels and addresses', async () => {
    const p = 'provenance { __typename dataset confidence note sources { label url } }';
    const result = await api.run(`{
      provinces(filter: { isHub: true }) { code ${p} hub { ${p} province { ${p} } } }
      regency(code: "51.08") { ${p} }
      innovations(first: 3, filter: { hasAward: true }) { nodes { ${p} owner { ${p} } awards { ${p} }
        replications(first: 2) { nodes { ${p} } } } }
      universities { ${p} }
      mentoringProgrammes(first: 3) { nodes { ${p} sessions(first: 2) { nodes { ${p} } } } }
    }`);
    const data = dataOf(result);
    expect([result.compiled, result.compiledStatements]).toEqual([true, 1]);
    const innovation = data.innovations.nodes[0];
    expect(innovation.provenance.__typename).toBe('Provenance');
    // Reference records cite their sources; a web address is also given as url.
    const sources = [...data.universities, ...data.provinces.map((province: { hub: unknown }) => province.hub)].flatMap(
      (record: { provenance: { sources: { label: string; url: string | null }[] } }) => record.provenance.sources,
    );
    expect(sources.some((source) => source.url === source.label && /^https?:\/\//.test(source.label))).toBe(true);
    expect(sources.every((source) => source.url === (/^https?:\/\//.test(source.label) ? source.label : null))).toBe(true);
  });

  it('answers hubs with their decrees, and legal instruments with citations, bases and hubs, in one statement', async () => {
    const result = await api.run(`{
      hubs(filter: { instrumentNumber: "94/2020" }) { id name level cohortYear isPilot instrument { key citation legalBasis { citation } } }
      legalInstruments { id key kind number year title issuer issuedOn citation legalBasis { key } hubs { province { code } } }
    }`);
    const { hubs, legalInstruments } = dataOf(result);
    expect([result.compiled, result.compiledStatements]).toEqual([true, 1]);
    expect(hubs).toHaveLength(8);
    expect(hubs[0].instrument).toEqual({ key: 'KEPMENPANRB-94-2020', citation: 'KepMenPANRB No. 94/2020', legalBasis: { citation: 'PermenPANRB No. 89/2020' } });
    expect(legalInstruments.length).toBeGreaterThan(3);
  });

  it('writes citations as the entity does, whatever the issuer: case, Unicode spaces, no title', async () => {
    const issuers = [
      'Menteri PANRB',
      'menteri\u00a0Dalam Negeri',
      'MENTERI\u2003\u3000Kesehatan',
      'Menteri \n\tKeuangan',
      'Menteriku',
      'Menteri',
      ' Menteri Agama',
      'Menter\u0131 Sosial',
      'Menteri\u180eDesa',
      'Menteri\u200bBUMN',
      'Presiden',
    ];
    const rows: [string, string][] = [
      ...issuers.map((issuer, i): [string, string] => [i % 2 ? 'MINISTERIAL_REGULATION' : 'MINISTERIAL_DECREE', issuer]),
      ...['LAW', 'GOVERNMENT_REGULATION', 'PRESIDENTIAL_REGULATION', 'OTHER'].map((kind): [string, string] => [kind, 'Menteri PANRB']),
    ];
    for (const [i, [kind, issuer]] of rows.entries()) {
      await api.sql(
        `insert into legal_instrument (dataset, key, kind, number, year, title, issuer) values ('DEMO', ?, ?, ?, 2024, 'citation test', ?)`,
        [`CITATION-TEST-${String(i).padStart(2, '0')}`, kind, `${i + 1}`, issuer],
      );
    }
    try {
      const result = await api.run(`{ legalInstruments { key issuer citation } }`);
      expect([result.compiled, result.compiledStatements]).toEqual([true, 1]);
      const citations = Object.fromEntries(
        dataOf(result).legalInstruments.filter((l: { key: string }) => l.key.startsWith('CITATION-TEST-')).map((l: { key: string; citation: string }) => [l.key, l.citation]),
      );
      expect(citations).toEqual({
        'CITATION-TEST-00': 'KepMenPANRB No. 1/2024',
        'CITATION-TEST-01': 'PermenDalam Negeri No. 2/2024',
        'CITATION-TEST-02': 'KepMenKesehatan No. 3/2024',
        'CITATION-TEST-03': 'PermenKeuangan No. 4/2024',
        'CITATION-TEST-04': 'KepMenMenteriku No. 5/2024',
        'CITATION-TEST-05': 'PermenMenteri No. 6/2024',
        'CITATION-TEST-06': 'KepMen Menteri Agama No. 7/2024',
        'CITATION-TEST-07': 'PermenMenter\u0131 Sosial No. 8/2024',
        'CITATION-TEST-08': 'KepMenMenteri\u180eDesa No. 9/2024',
        'CITATION-TEST-09': 'PermenMenteri\u200bBUMN No. 10/2024',
        'CITATION-TEST-10': 'KepMenPresiden No. 11/2024',
        'CITATION-TEST-11': 'UU No. 12/2024',
        'CITATION-TEST-12': 'PP No. 13/2024',
        'CITATION-TEST-13': 'Perpres No. 14/2024',
        'CITATION-TEST-14': 'No. 15/2024',
      });
    } finally {
      await api.sql(`delete from legal_instrument where key like 'CITATION-TEST-%'`);
    }
  });

  it('answers node and nodes by the type each id names, fragments on other types left out', async () => {
    const [{ id }] = await api.sql<{ id: number }>('select id from innovation order by id limit 1');
    const fields = `__typename id ... on Province { name regencyCount } ... on Innovation { title province { code } } ... on Regency { kind }`;
    const result = await api.run(`{
      node(id: "${gid('Province', '35')}") { ${fields} }
      nodes(ids: ["${gid('Innovation', id)}", "${gid('Regency', '35.25')}", "${gid('Innovation', 999999)}"]) { ${fields} }
    }`);
    const data = dataOf(result);
    expect(data.node).toEqual({ __typename: 'Province', id: gid('Province', '35'), name: 'JAWA TIMUR', regencyCount: 38 });
    expect(data.nodes.map((n: { __typename: string } | null) => n?.__typename ?? null)).toEqual(['Innovation', 'Regency', null]);
    expect([result.compiled, result.compiledStatements]).toEqual([true, 1]);
    // Every node type compiles; a malformed id is the resolvers' to refuse.
    const [{ id: instrument }] = await api.sql<{ id: number }>(`select id from legal_instrument where key = 'KEPMENPANRB-94-2020'`);
    const decree = await api.run(`{ node(id: "${gid('LegalInstrument', instrument)}") { ... on LegalInstrument { citation } } }`);
    expect([decree.compiled, dataOf(decree).node]).toEqual([true, { citation: 'KepMenPANRB No. 94/2020' }]);
    expect((await api.run(`{ node(id: "nope") { id } }`)).compiled).toBe(false);
  });

  it('answers a province and its regencies as the database has them', async () => {
    const result = await api.run(`{ province(code: "19") { __typename id name regencies(kind: KOTA) { code kind innovations { totalCount } } } }`);
    const kota = await api.sql<{ code: string; n: number }>(
      `select r.code, (select count(*)::int from innovation i where i.regency_code = r.code) as n
         from regency r where r.province_code = '19' and r.kind = 'KOTA' order by r.code`,
    );
    expect(result.body).toEqual({
      data: {
        province: {
          __typename: 'Province',
          id: gid('Province', '19'),
          name: 'KEPULAUAN BANGKA BELITUNG',
          regencies: kota.map((r) => ({ code: r.code, kind: 'KOTA', innovations: { totalCount: r.n } })),
        },
      },
    });
    expect([result.compiled, result.compiledStatements]).toEqual([true, 1]);
  });

  it('reads fragments, aliases, __typename and @skip/@include as graphql-js does', async () => {
    const query = `query($withAwards: Boolean!, $code: String!) {
      __typename
      jatim: province(code: $code) { ...names regencies { ... on Regency { code } } }
      page: innovations(first: 3, filter: { provinceCode: $code }) {
        __typename
        edges { __typename cursor node { ...innovation id } }
        pageInfo { __typename hasNextPage hasPreviousPage startCursor endCursor }
      }
    }
    fragment names on Province { __typename label: name name }
    fragment innovation on Innovation { title awards @include(if: $withAwards) { tier } launchYear @skip(if: $withAwards) }`;
    for (const withAwards of [true, false]) {
      const result = await api.run(query, { withAwards, code: '35' });
      expect(dataOf(result).page.edges).toHaveLength(3);
      expect([result.compiled, result.compiledStatements]).toEqual([true, 1]);
    }
  });

  it('pages backward through a whole list, from the end, with the cursors it writes', async () => {
    const expected = await api.sql<{ id: number }>(`select id from innovation order by coalesce(launch_year, 0), id`);
    const seen: string[] = [];
    let before: string | null = null;
    for (let pages = 0; pages < 20; pages++) {
      const result = await api.run(
        `query($before: String) { innovations(last: 6, before: $before, orderBy: { field: LAUNCH_YEAR }) {
           pageInfo { hasNextPage hasPreviousPage startCursor } edges { cursor node { id } } } }`,
        { before },
      );
      expect([result.compiled, result.compiledStatements]).toEqual([true, 1]);
      const { innovations } = dataOf(result);
      expect(innovations.pageInfo.hasNextPage).toBe(before !== null);
      seen.unshift(...innovations.edges.map((e: { node: { id: string } }) => e.node.id));
      expect(innovations.pageInfo.startCursor).toBe(innovations.edges[0]?.cursor ?? null);
      if (!innovations.pageInfo.hasPreviousPage) break;
      before = innovations.pageInfo.startCursor;
    }
    expect(seen).toEqual(expected.map((r) => gid('Innovation', r.id)));
  });

  it('pages forward through a whole list with the cursors it writes', async () => {
    const expected = await api.sql<{ id: number }>(`select id from innovation order by title, id`);
    const seen: string[] = [];
    let after: string | null = null;
    for (let pages = 0; pages < 20; pages++) {
      const result = await api.run(
        `query($after: String) { innovations(first: 6, after: $after, orderBy: { field: TITLE }) {
           totalCount pageInfo { hasNextPage hasPreviousPage endCursor } nodes { id } } }`,
        { after },
      );
      expect([result.compiled, result.compiledStatements]).toEqual([true, 1]);
      const { innovations } = dataOf(result);
      expect(innovations.totalCount).toBe(expected.length);
      expect(innovations.pageInfo.hasPreviousPage).toBe(after !== null);
      seen.push(...innovations.nodes.map((n: { id: string }) => n.id));
      if (!innovations.pageInfo.hasNextPage) break;
      after = innovations.pageInfo.endCursor;
    }
    expect(seen).toEqual(expected.map((r) => gid('Innovation', r.id)));
    expect(expected.length).toBeGreaterThan(30);
  });

  it.each([
    ['relevance order', `{ innovations(first: 3, filter: { search: "pelayanan publik" }, orderBy: { field: RELEVANCE }) { nodes { id awards { year } } } }`],
    ['a field without a compiler (mentor names: the answer depends on the caller)', `{ mentoringProgrammes(first: 2) { nodes { year sessions(first: 2) { nodes { topic mentorNames } } } } }`],
    ['ancestors of a row reached from another', `{ replications(first: 2) { nodes { source { ancestors { title } } } } }`],
    ['the nodes of a diffusion tree under two aliases', `{ innovation(id: "${gid('Innovation', 1)}") { diffusion { a: nodes { generation } b: nodes { parentId } } } }`],
    ['a root field without a compiler', `{ provinces { code } viewer { role } }`],
  ])('leaves %s to the resolvers', async (_name, query) => {
    const result = await api.run(query);
    dataOf(result);
    expect(result.compiled).toBe(false);
    expect(result.compiledStatements).toBe(result.statements);
  });

  it('leaves bad input to the resolvers, which refuse it with their code', async () => {
    const result = await api.run(`{ province(code: "3") { name } }`);
    expectError(result, { path: ['province'], code: 'BAD_USER_INPUT', argument: 'code', data: { province: null } });
    expect([result.compiled, result.compiledStatements]).toEqual([false, 0]);
    const graph = await api.run(`{ replicationGraph(filter: { yearFrom: 2024, yearTo: 2020 }) { totals { replications } } }`);
    expect([graph.compiled, graph.body.errors?.map((e) => e.extensions?.code)]).toEqual([false, ['BAD_USER_INPUT']]);
  });

  it('leaves a request whose operationName names no operation to Apollo, which refuses it', async () => {
    const response = await api.apollo.executeOperation(
      { query: '{ provinces { code } }', operationName: '' },
      { contextValue: createContext(api.orm) },
    );
    expect(response.http.status).toBe(400);
    expect(response.body).toEqual({
      kind: 'single',
      singleResult: {
        errors: [expect.objectContaining({ message: 'Unknown operation named "".', extensions: expect.objectContaining({ code: 'OPERATION_RESOLUTION_FAILURE' }) })],
        extensions: expect.objectContaining({ sqlStatements: 0 }),
      },
    });
  });

  it('reports a statement the database refuses, answers through the resolvers, and does not send it again', async () => {
    const refused: unknown[] = [];
    const broken = { ...compiledReads, Province: { ...compiledReads.Province, name: () => 'no_such_column' } };
    const server = new ApolloServer<Context>({ schema: await getSchema(), plugins: [compiledReadsPlugin(broken, (error) => refused.push(error))] });
    await server.start();
    try {
      const answers = [];
      for (let i = 0; i < 2; i++) {
        const tally: StatementTally = { count: 0 };
        const response = await countStatements(tally, () =>
          server.executeOperation({ query: '{ province(code: "35") { name } }' }, { contextValue: createContext(api.orm, { tally }) }),
        );
        answers.push({ body: response.body, statements: tally.count, compiled: tally.compiled === true });
      }
      const answer = (statements: number) => ({
        body: { kind: 'single', singleResult: { data: { province: { name: 'JAWA TIMUR' } } } },
        statements,
        compiled: false,
      });
      // The refused statement, then the resolvers' one; the second time the resolvers' alone.
      expect(answers).toEqual([answer(2), answer(1)]);
      expect(refused).toEqual([expect.objectContaining({ message: expect.stringContaining('no_such_column') })]);
    } finally {
      await server.stop();
    }
  });

  it('splices PostgreSQL\'s text in place of the placeholder data, whatever order Apollo wrote the body in', () => {
    const text = '{"province" : {"name" : "BALI"}}';
    expect(spliceDataText('{"data":{},"extensions":{"sqlStatements":1}}\n', text)).toBe(`{"data":${text},"extensions":{"sqlStatements":1}}\n`);
    const reordered = spliceDataText('{"extensions":{"sqlStatements":1},"data":{}}\n', text);
    expect(JSON.parse(reordered)).toEqual({ extensions: { sqlStatements: 1 }, data: { province: { name: 'BALI' } } });
    // An answer that lost its data to a later error keeps the error.
    const failed = '{"errors":[{"message":"Internal server error."}],"extensions":{}}\n';
    expect(spliceDataText(failed, text)).toBe(failed);
  });

  it('writes values into the statement as literals: quotes and backslashes included', async () => {
    const before = await api.sql('select count(*)::int as n from innovation');
    for (const search of [`O'Brien`, 'a\\b', `'; drop table innovation; --`, 'kesehatan']) {
      const result = await api.run(`query($search: String!) { innovations(first: 3, filter: { search: $search }) { totalCount nodes { title } } }`, { search });
      dataOf(result);
      expect([result.compiled, result.compiledStatements]).toEqual([true, 1]);
    }
    expect(await api.sql('select count(*)::int as n from innovation')).toEqual(before);
  });

  it('keeps a statement for its values, and sends a page after a cursor as one of a kind (not prepared)', async () => {
    const page = 'query($code: String!, $after: String) { innovations(first: 2, after: $after, filter: { provinceCode: $code }) { nodes { id } } }';
    const first = await statementText(page, { code: '35' });
    expect(first).toMatch(/^select \(json_build_object\('innovations'/);
    expect(first).toContain(`"i"."province_code" = '35'`);
    expect(await statementText(page, { code: '35' })).toBe(first);
    const after = await statementText(page, { code: '35', after: Buffer.from('["ID",7]').toString('base64url') });
    expect(after).toMatch(/^\/\* one page \*\/ select /);
    expect(after).toContain('> ((7))');
  });

  it('is on unless COMPILED_READS=0, and refuses other values', () => {
    expect(loadConfig({}).COMPILED_READS).toBe(true);
    expect(loadConfig({ COMPILED_READS: '0' }).COMPILED_READS).toBe(false);
    expect(() => loadConfig({ COMPILED_READS: 'off' })).toThrow('Invalid configuration: COMPILED_READS');
  });

  it('agrees with the resolvers on random filters, orders, pages and selections', async () => {
    const filter = fc.record(
      {
        provinceCode: fc.constantFrom('35', '61', '19', '99'),
        hasAward: fc.boolean(),
        yearFrom: fc.integer({ min: 2010, max: 2024 }),
        dataset: fc.constantFrom('REFERENCE', 'DEMO'),
        awardTier: fc.constantFrom('TOP_99', 'TOP_45'),
        hasReplications: fc.boolean(),
      },
      { requiredKeys: [] },
    );
    const order = fc.option(fc.record({ field: fc.constantFrom('ID', 'TITLE', 'LAUNCH_YEAR'), direction: fc.constantFrom('ASC', 'DESC') }), { nil: undefined });
    const size = fc.record({ name: fc.constantFrom('first', 'last'), value: fc.integer({ min: 0, max: 12 }) });
    const nodeFields = fc.subarray(['id', 'title', 'launchYear', 'stage', 'isDigital', 'province { code }', 'regency { name }', 'awards { year tier }'], { minLength: 1 });
    const connectionFields = fc.subarray(['totalCount', 'pageInfo { hasNextPage hasPreviousPage startCursor endCursor }', 'edges { cursor }'], { minLength: 0 });
    await fc.assert(
      fc.asyncProperty(filter, order, size, nodeFields, connectionFields, async (f, o, page, fields, extra) => {
        const query = `query($filter: InnovationFilter, $orderBy: InnovationOrder, $size: Int) {
          innovations(filter: $filter, orderBy: $orderBy, ${page.name}: $size) { ${extra.join(' ')} nodes { ${fields.join(' ')} } } }`;
        // The harness compares the compiled answer with the resolvers' and fails on any difference.
        const result = await api.run(query, { filter: f, orderBy: o, size: page.value });
        dataOf(result);
        expect([result.compiled, result.compiledStatements]).toEqual([true, 1]);
      }),
      { numRuns: 60 },
    );
  });
});
