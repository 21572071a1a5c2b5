// Innovation.diffusion, .ancestors and .origin against a brute-force walk on a generated network with cycles.
import { toGlobalId } from '../../src/graphql/global-id';
import { dataOf, openTestApi, type TestApi } from '../support/harness';
import { buildNetwork, walk, type NetworkReplication } from '../support/network';

const TREES = `query Trees($ids: [ID!]!, $depth: Int!) {
  nodes(ids: $ids) {
    ... on Innovation {
      id
      diffusion(maxDepth: $depth) {
        depth adoptions truncated
        reach { regencies provinces national }
        nodes { generation parentId replication { id } }
        timeline { year adoptions cumulative }
      }
    }
  }
}`;

describe('Innovation.diffusion', () => {
  let api: TestApi;
  let roots: number[];
  let all: NetworkReplication[];

  beforeAll(async () => {
    api = await openTestApi();
    roots = await buildNetwork(api, 20261122);
    all = await api.sql<NetworkReplication>(
      'select id, source_id, adopted_as_id, adopter_scope, adopter_province_code, adopter_regency_code, year from replication',
    );
  });
  afterAll(() => api.close());

  it.each([20, 2])('equals a brute-force walk for every root (maxDepth %i), in one statement for all', async (depth) => {
    const result = await api.run(TREES, { ids: roots.map((id) => toGlobalId('Innovation', id)), depth });
    const trees = dataOf(result).nodes;
    expect(result.statements).toBe(1);
    let deepest = 0;
    roots.forEach((root, i) => {
      const expected = walk(all, root, depth);
      const tree = trees[i].diffusion;
      deepest = Math.max(deepest, tree.depth);
      expect({ depth: tree.depth, adoptions: tree.adoptions, reach: tree.reach, timeline: tree.timeline }).toEqual({
        depth: expected.depth,
        adoptions: expected.adoptions,
        reach: { regencies: expected.regencies, provinces: expected.provinces, national: expected.national },
        timeline: expected.timeline,
      });
      const nodes = new Map(
        tree.nodes.map((n: { replication: { id: string }; generation: number; parentId: string | null }) => [n.replication.id, n]),
      );
      for (const [id, node] of expected.nodes) {
        expect(nodes.get(toGlobalId('Replication', id))).toEqual({
          replication: { id: toGlobalId('Replication', id) },
          generation: node.generation,
          parentId: node.parent === null ? null : toGlobalId('Replication', node.parent),
        });
      }
    });
    if (depth === 20) expect(deepest).toBeGreaterThanOrEqual(3);
    if (depth === 2) expect(trees.some((t: { diffusion: { truncated: boolean } }) => t.diffusion.truncated)).toBe(true);
  });

  it('gives the same numbers when the nodes are not listed (computed by PostgreSQL alone)', async () => {
    const result = await api.run(
      `query($ids: [ID!]!) { nodes(ids: $ids) { ... on Innovation { diffusion(maxDepth: 20) {
          depth adoptions truncated reach { regencies provinces national } timeline { year adoptions cumulative } } } } }`,
      { ids: roots.map((id) => toGlobalId('Innovation', id)) },
    );
    expect(result.statements).toBe(1);
    dataOf(result).nodes.forEach((node: { diffusion: Record<string, unknown> }, i: number) => {
      const expected = walk(all, roots[i], 20);
      expect(node.diffusion).toEqual({
        depth: expected.depth,
        adoptions: expected.adoptions,
        truncated: false,
        reach: { regencies: expected.regencies, provinces: expected.provinces, national: expected.national },
        timeline: expected.timeline,
      });
    });
  });

  it('answers an innovation named twice in the ids once for each', async () => {
    const twice = [roots[0], roots[1], roots[0]];
    const result = await api.run(`query($ids: [ID!]!) { nodes(ids: $ids) { ... on Innovation { diffusion(maxDepth: 20) { depth adoptions } } } }`, {
      ids: twice.map((id) => toGlobalId('Innovation', id)),
    });
    expect(result.statements).toBe(1);
    expect(dataOf(result).nodes).toEqual(
      twice.map((root) => {
        const expected = walk(all, root, 20);
        return { diffusion: { depth: expected.depth, adoptions: expected.adoptions } };
      }),
    );
  });

  it('answers innovation(id:) with its diffusion numbers as node(id:) does, in one statement', async () => {
    const SUMMARY = 'depth adoptions truncated reach { regencies provinces national } timeline { year adoptions cumulative }';
    for (const root of roots.slice(0, 5)) {
      const id = toGlobalId('Innovation', root);
      const folded = await api.run(`query($id: ID!) { innovation(id: $id) { id deep: diffusion(maxDepth: 20) { ${SUMMARY} } } }`, { id });
      expect(folded.statements).toBe(1);
      const alone = await api.run(`query($ids: [ID!]!) { nodes(ids: $ids) { ... on Innovation { id deep: diffusion(maxDepth: 20) { ${SUMMARY} } } } }`, {
        ids: [id],
      });
      expect(alone.statements).toBe(1);
      expect(folded.body).toEqual({ data: { innovation: dataOf(alone).nodes[0] } });
    }
  });

  it('answers several diffusions of one innovation (nodes listed, other depths) in the same statement', async () => {
    const id = toGlobalId('Innovation', roots[0]);
    const result = await api.run(
      `query($id: ID!, $depth: Int!) { innovation(id: $id) {
         listed: diffusion(maxDepth: 20) { adoptions nodes { generation } }
         deep: diffusion(maxDepth: $depth) { adoptions }
         shallow: diffusion(maxDepth: 1) { adoptions truncated } } }`,
      { id, depth: 20 },
    );
    expect(result.statements).toBe(1);
    const expected = walk(all, roots[0], 20);
    const innovation = dataOf(result).innovation;
    expect(innovation.listed.adoptions).toBe(expected.adoptions);
    expect(innovation.listed.nodes).toHaveLength(expected.adoptions);
    expect(innovation.deep).toEqual({ adoptions: expected.adoptions });
    // Cut short at depth 1 when a first-generation local version was replicated again (the SQL's rule).
    const cut = all.some((r) => r.source_id === roots[0] && r.adopted_as_id !== null && all.some((c) => c.source_id === r.adopted_as_id));
    expect(innovation.shallow).toEqual({ adoptions: walk(all, roots[0], 1).adoptions, truncated: cut });
    expect(cut).toBe(expected.depth > 1);
  });

  it('answers null in one statement when the innovation of a folded diffusion does not exist', async () => {
    const result = await api.run(`query($id: ID!) { innovation(id: $id) { id diffusion { adoptions } } }`, {
      id: toGlobalId('Innovation', 999_999_999),
    });
    expect(result.statements).toBe(1);
    expect(result.body).toEqual({ data: { innovation: null } });
  });

  it('leaves a bad maxDepth under innovation(id:) to the field, which rejects it', async () => {
    const result = await api.run(`query($id: ID!) { innovation(id: $id) { id diffusion(maxDepth: 0) { adoptions } } }`, {
      id: toGlobalId('Innovation', roots[0]),
    });
    expect(result.body.data).toEqual({ innovation: null });
    expect(result.body.errors?.map((e) => [e.extensions?.code, e.extensions?.argument, e.path])).toEqual([['BAD_USER_INPUT', 'maxDepth', ['innovation', 'diffusion']]]);
  });

  it('ends a walk that comes back to an innovation on its path (cyclic bad data)', async () => {
    const cyclic = all.filter((r) => r.adopted_as_id !== null && roots.includes(r.adopted_as_id));
    expect(cyclic.length).toBeGreaterThan(0);
    const root = cyclic[0].adopted_as_id!;
    const tree = dataOf(await api.run(TREES, { ids: [toGlobalId('Innovation', root)], depth: 20 })).nodes[0].diffusion;
    expect(tree.adoptions).toBe(walk(all, root, 20).adoptions);
    expect(tree.truncated).toBe(false);
  });

  it('reports an innovation that never spread as an empty tree', async () => {
    const [{ id }] = await api.sql<{ id: number }>(
      'select id from innovation i where not exists (select 1 from replication r where r.source_id = i.id) order by id limit 1',
    );
    const tree = dataOf(await api.run(TREES, { ids: [toGlobalId('Innovation', id)], depth: 5 })).nodes[0].diffusion;
    expect(tree).toEqual({ depth: 0, adoptions: 0, truncated: false, reach: { regencies: 0, provinces: 0, national: false }, nodes: [], timeline: [] });
  });

  it.each([0, 21])('rejects maxDepth %i', async (depth) => {
    const result = await api.run(TREES, { ids: [toGlobalId('Innovation', roots[0])], depth });
    expect(result.body.errors?.map((e) => [e.extensions?.code, e.extensions?.argument])).toEqual([['BAD_USER_INPUT', 'maxDepth']]);
  });
});

describe('Innovation.ancestors and .origin', () => {
  let api: TestApi;
  let all: NetworkReplication[];

  beforeAll(async () => {
    api = await openTestApi();
    await buildNetwork(api, 7);
    all = await api.sql<NetworkReplication>('select id, source_id, adopted_as_id, adopter_scope, adopter_province_code, adopter_regency_code, year from replication');
  });
  afterAll(() => api.close());

  it('walks up through the replications each local version came from, in one statement for all', async () => {
    const locals = all.filter((r) => r.adopted_as_id !== null).map((r) => r.adopted_as_id!);
    const parentOf = new Map(all.filter((r) => r.adopted_as_id !== null).map((r) => [r.adopted_as_id!, r.source_id]));
    const expectedChain = (id: number) => {
      const chain: number[] = [];
      const seen = new Set([id]);
      for (let at = parentOf.get(id); at !== undefined && !seen.has(at); at = parentOf.get(at)) {
        chain.push(at);
        seen.add(at);
      }
      return chain;
    };
    const ids = locals.slice(0, 100);
    const result = await api.run(
      `query($ids: [ID!]!) { nodes(ids: $ids) { ... on Innovation { ancestors { id } origin { id } } } }`,
      { ids: ids.map((id) => toGlobalId('Innovation', id)) },
    );
    expect(result.statements).toBe(1);
    dataOf(result).nodes.forEach((node: { ancestors: { id: string }[]; origin: { id: string } }, i: number) => {
      const chain = expectedChain(ids[i]).map((id) => toGlobalId('Innovation', id));
      expect(node.ancestors.map((a) => a.id)).toEqual(chain);
      expect(node.origin.id).toBe(chain[chain.length - 1]);
    });
  });

  it('names an original innovation as its own origin', async () => {
    const data = dataOf(await api.run(`{ innovations(filter: { search: "TOSS" }) { nodes { title ancestors { id } origin { title } } } }`));
    expect(data.innovations.nodes).toEqual([{ title: 'TOSS (Tempat Olah Sampah Setempat)', ancestors: [], origin: { title: 'TOSS (Tempat Olah Sampah Setempat)' } }]);
  });
});
