// An innovation's diffusion tree, each field over the row (__root, __summary) the diffusion field builds
// (diffusion.resolver.ts), whose alias also knows the walk's rows (for the nodes).
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { sql, type SqlFragment } from '../../db/sql';
import { globalIdSql, jsonArray, knownRows, ownRow, rowsOf } from '../../graphql/sql/compilers';
import { Sql, type FieldCompiler } from '../../graphql/sql/field-sql';
import type { Planner } from '../../graphql/sql/planner';
import { Innovation } from '../innovation/innovation.entity';
import { Replication } from '../replication/replication.entity';

const TREE = 'diffusion tree';

/** Records, on the diffusion row's alias, the relation of the walk's rows its nodes are read from. */
export function walkRows(q: Planner, row: SqlFragment, tree: SqlFragment): void {
  q.setContext(row, TREE, tree);
}

/** A number of a JSON object column, or `otherwise` when there is none (a tree with no adoption has no summary). */
const summaryValue =
  (column: string, path: string, cast: string, otherwise: string): FieldCompiler =>
  (_call, row) =>
    sql`coalesce((${row}.${sql.raw(column)}->>${path})::${sql.raw(cast)}, ${sql.raw(otherwise)})`;

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
  @Sql(summaryValue('__reach', 'regencies', 'int', '0'))
  regencies!: number;

  @Field(() => Int, { description: 'Distinct adopting provinces, regency adopters included.' })
  @Sql(summaryValue('__reach', 'provinces', 'int', '0'))
  provinces!: number;

  @Field({ description: 'Whether the tree includes a national adoption.' })
  @Sql(summaryValue('__reach', 'national', 'boolean', 'false'))
  national!: boolean;
}

@ObjectType({ simpleResolvers: true })
export class DiffusionYear {
  @Field(() => Int)
  @Sql((_call, row) => sql`(${row}.v->'year')`)
  year!: number;

  @Field(() => Int)
  @Sql((_call, row) => sql`(${row}.v->'adoptions')`)
  adoptions!: number;

  @Field(() => Int, { description: 'Adoptions up to and including this year.' })
  @Sql((_call, row) => sql`(${row}.v->'cumulative')`)
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
  @Sql(summaryValue('__summary', 'depth', 'int', '0'))
  depth!: number;

  @Field(() => Int, { description: 'Adoptions in the tree.' })
  @Sql(summaryValue('__summary', 'adoptions', 'int', '0'))
  adoptions!: number;

  @Field({ description: 'True when maxDepth cut the tree short.' })
  @Sql(summaryValue('__summary', 'truncated', 'boolean', 'false'))
  truncated!: boolean;

  @Field(() => DiffusionReach)
  @Sql((call, row, q) => {
    const r = q.alias();
    return sql`(select ${q.object(q.returnType(call), call.nodes, r)} from (select ${row}.__summary->'reach' as __reach) ${r})`;
  })
  reach!: DiffusionReach;

  @Field(() => [DiffusionNode], { description: 'Adoptions by generation, then year, then id.' })
  @Sql((call, row, q) => {
    const tree = q.context<SqlFragment>(row, TREE);
    if (!tree) throw new TypeError('Diffusion.nodes compiled outside a diffusion');
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
    const e = q.alias();
    return jsonArray(q, call, e, sql`json_array_elements(coalesce(${row}.__summary->'timeline', '[]')) with ordinality ${e}(v, n)`, sql`${e}.n`);
  })
  timeline!: DiffusionYear[];
}
