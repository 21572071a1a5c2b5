// An innovation's diffusion tree, each field over the row the diffusion field builds (diffusion.resolver.ts):
// the root's id (__root) and its numbers (summarySql's columns, null when nothing spread), whose alias also
// knows the relation of the walk's rows (for the nodes and the timeline).
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { sql, type SqlFragment } from '../../db/sql';
import { column, globalIdSql, jsonArray, knownRows, ownRow, rowsOf } from '../../graphql/sql/compilers';
import { Sql, type FieldCompiler } from '../../graphql/sql/field-sql';
import type { Planner } from '../../graphql/sql/planner';
import { Innovation } from '../innovation/innovation.entity';
import { Replication } from '../replication/replication.entity';
import { timelineSql } from './diffusion.queries';

const TREE = 'diffusion tree';

/** Records, on the diffusion row's alias, the relation of the walk's rows its nodes are read from. */
export function walkRows(q: Planner, row: SqlFragment, tree: SqlFragment): void {
  q.setContext(row, TREE, tree);
}

/** A number of the summary, or `otherwise` when there is none (a tree with no adoption has no summary row). */
const summaryValue =
  (column: string, cast: string, otherwise: string): FieldCompiler =>
  (_call, row) =>
    sql`coalesce(${row}.${sql.raw(column)}, ${sql.raw(otherwise)})::${sql.raw(cast)}`;

function treeOf(q: Planner, row: SqlFragment): SqlFragment {
  const tree = q.context<SqlFragment>(row, TREE);
  if (!tree) throw new TypeError('a diffusion field compiled outside a diffusion');
  return tree;
}

/** Over a node's row: its replication's columns, with the walk's __generation and __parent. */
@ObjectType({ description: 'One adoption in a diffusion tree.', simpleResolvers: true })
export class DiffusionNode {
  @Field(() => Replication)
  @Sql(ownRow)
  replication!: Replication;

  @Field(() => Int, { description: '1 for direct adoptions of the root, 2 for adoptions of their local versions, and so on.' })
  @Sql((_call, row) => sql`${row}.__generation`)
  generation!: number;

  @Field(() => ID, { nullable: true, description: 'Global id of the replication whose local version was adopted here; null in generation 1.' })
  @Sql((_call, row) => sql`case when ${row}.__parent is null then null else ${globalIdSql('Replication', sql`${row}.__parent`)} end`)
  parentId!: string | null;
}

@ObjectType({ description: 'How far a diffusion tree reaches.', simpleResolvers: true })
export class DiffusionReach {
  @Field(() => Int, { description: 'Distinct regencies named as adopters (province-wide commitments are not expanded).' })
  @Sql(summaryValue('regencies', 'int', '0'))
  regencies!: number;

  @Field(() => Int, { description: 'Distinct adopting provinces, regency adopters included.' })
  @Sql(summaryValue('provinces', 'int', '0'))
  provinces!: number;

  @Field({ description: 'Whether the tree includes a national adoption.' })
  @Sql(summaryValue('national', 'boolean', 'false'))
  national!: boolean;
}

/** Over a row of timelineSql. */
@ObjectType({ simpleResolvers: true })
export class DiffusionYear {
  @Field(() => Int)
  @Sql(column('year'))
  year!: number;

  @Field(() => Int)
  @Sql(column('adoptions'))
  adoptions!: number;

  @Field(() => Int, { description: 'Adoptions up to and including this year.' })
  @Sql(column('cumulative'))
  cumulative!: number;
}

@ObjectType({ description: 'The whole downstream tree of an innovation through local versions (adoptedAs), by generation.', simpleResolvers: true })
export class Diffusion {
  @Field(() => Innovation)
  @Sql((call, row, q) => {
    const i = q.alias();
    const keys = rowsOf(q, row);
    if (keys) knownRows(q, i, keys);
    return sql`(select ${q.object(q.returnType(call), call.nodes, i)} from innovation ${i} where ${i}.id = ${row}.__root)`;
  })
  root!: Innovation;

  @Field(() => Int, { description: 'Deepest generation reached (0 when the innovation never spread).' })
  @Sql(summaryValue('depth', 'int', '0'))
  depth!: number;

  @Field(() => Int, { description: 'Adoptions in the tree.' })
  @Sql(summaryValue('adoptions', 'int', '0'))
  adoptions!: number;

  @Field({ description: 'True when maxDepth cut the tree short.' })
  @Sql(summaryValue('truncated', 'boolean', 'false'))
  truncated!: boolean;

  /** Over the same row: the reach's numbers are columns of the summary. */
  @Field(() => DiffusionReach)
  @Sql(ownRow)
  reach!: DiffusionReach;

  @Field(() => [DiffusionNode], { description: 'Adoptions by generation, then year, then id.' })
  @Sql((call, row, q) => {
    const tree = treeOf(q, row);
    const t = q.alias();
    const n = q.alias();
    return jsonArray(
      q,
      call,
      n,
      sql`${tree} ${t} cross join lateral (select (${t}.rep).*, ${t}.generation as __generation, ${t}.parent_id as __parent) ${n} where ${t}.root = ${row}.__root`,
      sql`${n}.__generation, ${n}.year, ${n}.id`,
    );
  })
  nodes!: DiffusionNode[];

  @Field(() => [DiffusionYear], { description: 'Adoptions per year, oldest first.' })
  @Sql((call, row, q) => {
    const y = q.alias();
    return jsonArray(q, call, y, sql`(${timelineSql(treeOf(q, row), sql`${row}.__root`)}) ${y}`, sql`${y}.year`);
  })
  timeline!: DiffusionYear[];
}
