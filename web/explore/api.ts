// The page's only way to data: GraphQL POSTs to the public API, the same operations a dashboard team writes.

export interface GraphQLError {
  message: string;
  extensions?: { code?: string };
}

/** Runs an operation; throws with the API's coded message when it answers errors. */
export async function graphql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await fetch(new URL('/graphql', window.location.href), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: GraphQLError[] };
  if (body.errors?.length || !body.data) {
    const error = body.errors?.[0];
    throw new Error(error ? `${error.extensions?.code ?? 'ERROR'}: ${error.message}` : `HTTP ${response.status}`);
  }
  return body.data;
}

export interface Point {
  lat: number;
  lon: number;
}

export interface ProvinceNode {
  code: string;
  name: string;
  isHub: boolean;
  hub: { cohortYear: number; stage: string; isPilot: boolean } | null;
  centroid: Point | null;
}

export interface GraphEdge {
  source: string;
  target: string;
  count: number;
}

export interface Graph {
  edges: GraphEdge[];
  totals: { replications: number; innovations: number; regions: number; national: number; crossProvinceShare: number | null };
}

export interface ReferenceCount {
  measure: string;
  year: number | null;
  value: number;
  provenance: { confidence: string; sources: { label: string; url: string | null }[] };
}

export interface GraphFilter {
  yearFrom?: number;
  yearTo?: number;
  kind?: string[];
  status?: string[];
  dataset?: string;
}

export const OPENING = `query ExploreOpening {
  provinces { code name isHub hub { cohortYear stage isPilot } centroid { lat lon } }
  referenceCounts(filter: { measures: [KIPP_REGISTRATIONS, JIPPNAS_RECORDS] }) {
    measure year value provenance { confidence sources { label url } }
  }
}`;

export const GRAPH = `query ExploreGraph($filter: ReplicationFilter) {
  replicationGraph(level: PROVINCE, filter: $filter) {
    edges { source target count }
    totals { replications innovations regions national crossProvinceShare }
  }
}`;

export const PROVINCE_PANEL = `query ExploreProvince($code: String!) {
  province(code: $code) {
    code name isHub hub { cohortYear stage }
    statistics {
      innovations replicationsOut replicationsIn adoptionRate
      series { year innovations replicationsIn replicationsOut }
      topInnovations { adoptions innovation { id title } }
    }
  }
  hubImpact(provinceCode: $code, window: 4) {
    activeYear hubBefore hubAfter comparisonBefore comparisonAfter difference
    years { year hub comparisonMean period }
  }
}`;

export const DIFFUSION = `query ExploreDiffusion($id: ID!) {
  innovation(id: $id) {
    id title
    diffusion(maxDepth: 10) {
      depth adoptions truncated
      reach { regencies provinces national }
      nodes {
        generation parentId
        replication { id year kind adopter { scope province { name } regency { name } institution { name } } adoptedAs { title } }
      }
      timeline { year adoptions cumulative }
    }
  }
}`;
