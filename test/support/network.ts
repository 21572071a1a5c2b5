// A small random replication network with multi-generation local versions and deliberate cycles, written
// straight into a test database, for checking analytics against brute-force walks.
import type { TestApi } from './harness';

export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface NetworkReplication {
  id: number;
  source_id: number;
  adopted_as_id: number | null;
  adopter_scope: string;
  adopter_province_code: string | null;
  adopter_regency_code: string | null;
  year: number;
}

const lit = (v: string | number | null) => (v === null ? 'null' : typeof v === 'number' ? String(v) : `'${v.replace(/'/g, "''")}'`);

/** Adds DEMO innovations and replications; returns the ids of the roots (originals). */
export async function buildNetwork(api: TestApi, seed: number, roots = 30): Promise<number[]> {
  const random = prng(seed);
  const regencies = (await api.sql<{ code: string }>('select code from regency order by code')).map((r) => r.code);
  const [{ id: ownerId }] = await api.sql<{ id: number }>(
    `insert into institution (name, kind, dataset, confidence, sources) values ('Test owner (DEMO)', 'OTHER', 'DEMO', 'UNCONFIRMED', '{test}') returning id`,
  );
  const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)];
  const newInnovation = async (regency: string, title: string) => {
    const [{ id }] = await api.sql<{ id: number }>(
      `insert into innovation (title, owner_id, province_code, regency_code, launch_year, dataset, confidence, sources)
       values (${lit(title)}, ${ownerId}, ${lit(regency.slice(0, 2))}, ${lit(regency)}, ${2014 + Math.floor(random() * 8)}, 'DEMO', 'UNCONFIRMED', '{test}') returning id`,
    );
    return { id, regency };
  };
  const rootIds: number[] = [];
  const deep: { id: number; regency: string; root: number }[] = [];
  let frontier: { id: number; regency: string; generation: number; root: number }[] = [];
  for (let i = 0; i < roots; i++) {
    const root = await newInnovation(pick(regencies), `Root ${i} (DEMO)`);
    rootIds.push(root.id);
    frontier.push({ ...root, generation: 0, root: root.id });
  }
  while (frontier.length) {
    const next: typeof frontier = [];
    for (const parent of frontier) {
      const children = parent.generation >= 4 ? 0 : Math.floor(random() * random() * 5);
      for (let c = 0; c < children; c++) {
        const scope = random() < 0.1 ? 'NATIONAL' : random() < 0.15 ? 'PROVINCE_WIDE' : 'REGENCY';
        let regency = pick(regencies);
        while (regency === parent.regency) regency = pick(regencies);
        const local = scope === 'REGENCY' && random() < 0.6 ? await newInnovation(regency, `Local version (DEMO)`) : null;
        await api.sql(
          `insert into replication (source_id, adopter_scope, adopter_province_code, adopter_regency_code, kind, status, year, adopted_as_id, dataset, confidence, sources)
           values (${parent.id}, ${lit(scope)}, ${scope === 'NATIONAL' ? 'null' : lit(regency.slice(0, 2))}, ${scope === 'REGENCY' ? lit(regency) : 'null'},
                   ${lit(pick(['REPLICATION', 'SCALING_UP', 'DISSEMINATION']))}, 'IMPLEMENTED', ${2016 + parent.generation + Math.floor(random() * 4)},
                   ${local ? local.id : 'null'}, 'DEMO', 'UNCONFIRMED', '{test}')`,
        );
        if (local) {
          next.push({ ...local, generation: parent.generation + 1, root: parent.root });
          if (parent.generation >= 2) deep.push({ ...local, root: parent.root });
        }
      }
    }
    frontier = next;
  }
  // Bad data on purpose: a deep local version whose replication is adopted as its own root closes a cycle.
  const closed = new Set<number>();
  for (const node of deep) {
    if (closed.size === 3 || closed.has(node.root)) continue;
    const [{ regency_code }] = await api.sql<{ regency_code: string }>(`select regency_code from innovation where id = ${node.root}`);
    if (regency_code === node.regency) continue;
    closed.add(node.root);
    await api.sql(
      `insert into replication (source_id, adopter_scope, adopter_province_code, adopter_regency_code, kind, status, year, adopted_as_id, dataset, confidence, sources)
       values (${node.id}, 'REGENCY', ${lit(regency_code.slice(0, 2))}, ${lit(regency_code)}, 'REPLICATION', 'PROPOSED', 2024, ${node.root}, 'DEMO', 'UNCONFIRMED', '{test}')`,
    );
  }
  return rootIds;
}

export interface BruteTree {
  depth: number;
  adoptions: number;
  regencies: number;
  provinces: number;
  national: boolean;
  nodes: Map<number, { generation: number; parent: number | null }>;
  timeline: { year: number; adoptions: number; cumulative: number }[];
}

/** Depth-first walk through local versions that never revisits an innovation on its own path. */
export function walk(all: NetworkReplication[], root: number, maxDepth: number): BruteTree {
  const bySource = new Map<number, NetworkReplication[]>();
  for (const r of all) bySource.set(r.source_id, [...(bySource.get(r.source_id) ?? []), r]);
  const nodes = new Map<number, { generation: number; parent: number | null }>();
  const found: NetworkReplication[] = [];
  const visit = (innovation: number, generation: number, parent: number | null, path: Set<number>) => {
    for (const r of bySource.get(innovation) ?? []) {
      nodes.set(r.id, { generation, parent });
      found.push(r);
      if (r.adopted_as_id !== null && generation < maxDepth && !path.has(r.adopted_as_id)) {
        visit(r.adopted_as_id, generation + 1, r.id, new Set([...path, r.adopted_as_id]));
      }
    }
  };
  visit(root, 1, null, new Set([root]));
  const years = new Map<number, number>();
  for (const r of found) years.set(r.year, (years.get(r.year) ?? 0) + 1);
  let cumulative = 0;
  return {
    depth: Math.max(0, ...[...nodes.values()].map((n) => n.generation)),
    adoptions: found.length,
    regencies: new Set(found.map((r) => r.adopter_regency_code).filter(Boolean)).size,
    provinces: new Set(found.map((r) => r.adopter_province_code).filter(Boolean)).size,
    national: found.some((r) => r.adopter_scope === 'NATIONAL'),
    nodes,
    timeline: [...years.entries()].sort(([a], [b]) => a - b).map(([year, adoptions]) => ({ year, adoptions, cumulative: (cumulative += adoptions) })),
  };
}
