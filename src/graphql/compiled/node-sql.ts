// SQL twins of node(id:) and nodes(ids:): the object a global id names, its fields compiled as its own
// type's (fragments on other types do not apply), null when it does not exist.
import { decodeGlobalId, type NodeType } from '../global-id';
import { MAX_NODES } from '../node.resolver';
import { byKey, NotCompilable, type CompilerMap, type FieldCall, type SqlJson } from './sql-json';

/** Each node type's table and key column, as the node resolver reads them (rowsByPrimaryKey). */
const TABLES: Record<NodeType, { table: string; key: string; numeric: boolean }> = {
  Province: { table: 'province', key: 'code', numeric: false },
  Regency: { table: 'regency', key: 'code', numeric: false },
  LegalInstrument: { table: 'legal_instrument', key: 'id', numeric: true },
  Hub: { table: 'hub', key: 'id', numeric: true },
  Institution: { table: 'institution', key: 'id', numeric: true },
  Innovation: { table: 'innovation', key: 'id', numeric: true },
  Award: { table: 'award', key: 'id', numeric: true },
  Replication: { table: 'replication', key: 'id', numeric: true },
  University: { table: 'university', key: 'id', numeric: true },
  MentoringProgramme: { table: 'mentoring_programme', key: 'id', numeric: true },
  MentoringSession: { table: 'mentoring_session', key: 'id', numeric: true },
};

function nodeSql(id: unknown, call: FieldCall, q: SqlJson): string {
  // A malformed id is the resolver's to refuse, with its code and argument name.
  const decoded = typeof id === 'string' ? decodeGlobalId(id) : null;
  if (!decoded) throw new NotCompilable('not a global id');
  const { table, key, numeric } = TABLES[decoded.type];
  return byKey(table, key, numeric ? Number(decoded.key) : decoded.key, call, q, q.objectType(decoded.type));
}

export const nodeCompilers: CompilerMap = {
  Query: {
    node: (call, _row, q) => nodeSql(call.args.id, call, q),
    nodes: (call, _row, q) => {
      const ids = call.args.ids as unknown[];
      if (ids.length > MAX_NODES) throw new NotCompilable('too many ids');
      return `json_build_array(${ids.map((id) => nodeSql(id, call, q)).join(', ')})`;
    },
  },
};
