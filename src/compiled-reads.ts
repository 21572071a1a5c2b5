// The explicit list of SQL compilers for read fields (src/graphql/compiled/sql-json.ts), merged by type.
import { nodeCompilers } from './graphql/compiled/node-sql';
import { provenanceCompilers } from './graphql/compiled/provenance-sql';
import type { CompilerMap } from './graphql/compiled/sql-json';
import { diffusionCompilers } from './modules/analytics/diffusion.compiled';
import { graphCompilers } from './modules/analytics/graph.compiled';
import { impactCompilers } from './modules/analytics/impact.compiled';
import { statisticsCompilers } from './modules/analytics/statistics.compiled';
import { hubCompilers } from './modules/hub/hub.compiled';
import { innovationCompilers } from './modules/innovation/innovation.compiled';
import { legalCompilers } from './modules/legal/legal.compiled';
import { mentoringCompilers } from './modules/mentoring/mentoring.compiled';
import { regionCompilers } from './modules/region/region.compiled';
import { replicationCompilers } from './modules/replication/replication.compiled';

function merge(...maps: CompilerMap[]): CompilerMap {
  const merged: CompilerMap = {};
  for (const map of maps) {
    for (const [type, fields] of Object.entries(map)) {
      for (const name of Object.keys(fields)) {
        if (merged[type]?.[name]) throw new Error(`Two compilers for ${type}.${name}`);
      }
      merged[type] = Object.assign(merged[type] ?? {}, fields);
    }
  }
  return merged;
}

export const compiledReads: CompilerMap = merge(nodeCompilers, provenanceCompilers, regionCompilers, hubCompilers, legalCompilers, statisticsCompilers, graphCompilers, impactCompilers, diffusionCompilers, innovationCompilers, mentoringCompilers, replicationCompilers);
