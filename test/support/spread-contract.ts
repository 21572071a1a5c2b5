// The spread rollup's contract, checked against the replications themselves: for year ranges (and none),
// sets of kinds, datasets and both levels, the innovations of each node with a replication in the range.
// Used after the writes of the rollups test and after the DEMO network's bulk load.

type Query = (text: string) => Promise<unknown[]>;

const KIND_SETS: [number, string[]][] = [
  [7, ['REPLICATION', 'SCALING_UP', 'DISSEMINATION']],
  [1, ['REPLICATION']],
  [2, ['SCALING_UP']],
  [3, ['REPLICATION', 'SCALING_UP']],
  [6, ['SCALING_UP', 'DISSEMINATION']],
];
const NODE_OF = { PROVINCE: "coalesce(source_province_code, 'NATIONAL')", REGENCY: "coalesce(source_regency_code, source_province_code, 'NATIONAL')" };

const literal = (value: number | string | null) => (value === null ? 'null' : typeof value === 'number' ? String(value) : `'${value}'`);

export async function expectSpreadCounts(query: Query): Promise<void> {
  const years = (await query('select distinct year as y from replication order by 1')) as { y: number }[];
  const bounds: [number | null, number | null][] = [[null, null]];
  for (const { y } of years.filter((_, i) => i % 3 === 0)) bounds.push([y, y], [y, null], [null, y], [y, y + 2]);
  // Every set of kinds over all datasets; DEMO alone with two of them.
  const cases = [...KIND_SETS.map(([kinds, kind]) => ({ kinds, kind, dataset: 'ALL' })), ...KIND_SETS.slice(0, 2).map(([kinds, kind]) => ({ kinds, kind, dataset: 'DEMO' }))];
  for (const [from, to] of bounds) {
    for (const { kinds, kind, dataset } of cases) {
      for (const [lvl, node] of Object.entries(NODE_OF)) {
        const where = [`kind in (${kind.map(literal).join(', ')})`];
        if (from !== null) where.push(`year >= ${from}`);
        if (to !== null) where.push(`year <= ${to}`);
        if (dataset !== 'ALL') where.push(`dataset = ${literal(dataset)}`);
        const fresh = await query(`select ${node} as node, count(distinct source_id)::int as n from replication where ${where.join(' and ')} group by 1 order by 1`);
        // The rollup keeps REGENCY nodes; a province's count is the sum of its nodes.
        const keptNode = lvl === 'PROVINCE' ? "case when node = 'NATIONAL' then node else left(node, 2) end" : 'node';
        const kept = await query(
          `select ${keptNode} as node, sum(innovations)::int as n from replication_spread_rollup
            where kinds = ${kinds} and dataset_key = ${literal(dataset)} and prev < ${from ?? 1}
              ${from !== null ? `and year >= ${from}` : ''} ${to !== null ? `and year <= ${to}` : ''}
            group by 1 having sum(innovations) > 0 order by 1`,
        );
        expect({ lvl, kind, dataset, from, to, nodes: kept }).toEqual({ lvl, kind, dataset, from, to, nodes: fresh });
      }
    }
  }
}
