// node(id:) and nodes(ids:): any object by its global id, looked up in its type's table.
import { Arg, ID, Query, Resolver } from 'type-graphql';
import { sql, type SqlFragment } from '../db/sql';
import { BadUserInputError } from '../errors';
import { decodeGlobalId } from './global-id';
import { Node } from './node';
import { byKey } from './sql/compilers';
import { Sql, type FieldCall } from './sql/field-sql';
import type { Planner } from './sql/planner';
import { Answer } from './sql/reads';

export const MAX_NODES = 100;

interface NodeKey {
  type: string;
  key: string | number;
}

function nodeKey(id: string, argument: string, q: Planner): NodeKey {
  const decoded = decodeGlobalId(id);
  if (!decoded) throw new BadUserInputError(`"${id.slice(0, 80)}" is not a valid id.`, argument);
  const table = q.table(q.objectType(decoded.type));
  // A type only some callers may read (the audit log) is refused by id as it is by its list.
  table.authorize?.(q.viewer, argument === 'id' ? 'node' : 'nodes');
  const numeric = table.key === 'id';
  return { type: decoded.type, key: numeric ? Number(decoded.key) : decoded.key };
}

/** The object a key names (fields of its own type only), null when it does not exist. */
function nodeSql({ type, key }: NodeKey, call: FieldCall, q: Planner, all: readonly NodeKey[] = []): SqlFragment {
  const siblings = all.filter((other) => other.type === type).map((other) => other.key);
  return byKey(call, q, key, { type: q.objectType(type), abstract: true, ...(siblings.length ? { siblings } : {}) });
}

@Resolver()
export class NodeResolver {
  @Query(() => Node, { nullable: true, description: 'Any object by its global id; null when it does not exist.' })
  @Sql((call, _row, q) => nodeSql(nodeKey(call.args.id as string, 'id', q), call, q))
  node(@Arg('id', () => ID) _id: string, @Answer() answer: unknown): unknown {
    return answer;
  }

  @Query(() => [Node], { nullable: 'items', description: `Objects by global ids (at most ${MAX_NODES}), null where missing.` })
  @Sql((call, _row, q) => {
    const ids = call.args.ids as string[];
    if (ids.length > MAX_NODES) throw new BadUserInputError(`ids takes at most ${MAX_NODES} ids; got ${ids.length}.`, 'ids');
    // Every id is checked before any is looked up; the objects of a type are one set (their statistics,
    // diffusion trees run once for all of them).
    const keys = ids.map((id, i) => nodeKey(id, `ids[${i}]`, q));
    return sql`json_build_array(${sql.join(keys.map((key) => nodeSql(key, call, q, keys)))})`;
  })
  nodes(@Arg('ids', () => [ID]) _ids: string[], @Answer() answer: unknown): unknown {
    return answer;
  }
}
