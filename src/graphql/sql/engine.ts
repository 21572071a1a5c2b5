// The read engine: the SQL declared on the schema's fields, checked once at start-up, and a plan per
// operation (compiled once per operation and set of variables, and per caller where a field reads the
// caller), run as one statement on the read pool.
import { ReferenceKind, type MetadataStorage } from '@mikro-orm/core';
import {
  defaultFieldResolver,
  getNamedType,
  GraphQLError,
  isObjectType,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLFieldResolver,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import type { Viewer } from '../../auth/viewer';
import { HeavyGate } from '../../db/heavy-gate';
import type { ReadPoolSettings } from '../../db/read-pool';
import { ReadServers, type ReplicaSettings } from '../../db/read-servers';
import { ErrorCode } from '../../errors';
import { getSchema } from '../../schema';
import { sql } from '../../db/sql';
import { ROLLUP_TABLES } from '../../db/rollups';
import { CHANGE_TABLES } from '../../changes/change-tables';
import { column } from './compilers';
import { fieldSql, tableSql, type FieldCompiler, type TableDeclaration } from './field-sql';
import { Planner, type Compilers } from './planner';

export interface Plan {
  /** The statement, or null when no root field is answered in SQL. */
  text: string | null;
  /** Kept prepared on the connection (not a one-off text such as a page after a cursor). */
  prepare: boolean;
  /** Root response names the statement answers. */
  sqlRoots: readonly string[];
  /** The keys of the statement's JSON object, in order: the SQL roots and any root __typename. */
  dataKeys: readonly string[];
  /** Root response names graphql-js answers through their resolvers (viewer, introspection). */
  resolverRoots: readonly string[];
  /** Fields that could not be compiled, by static path: graphql-js raises them where they occur. */
  errors: ReadonlyMap<string, GraphQLError>;
  /** The statement's data is the whole answer: nothing for resolvers, no error. */
  complete: boolean;
  /** Some field read the caller: the plan is the caller's own. */
  viewerDependent: boolean;
  /** A weighted field (analytics, a search) is in it: it runs under the heavy statements' bound. */
  heavy: boolean;
  /** The tables the statement reads (what a cached answer depends on); see ReadEngine.tablesRead. */
  tables: readonly string[];
}

export interface EngineSettings {
  /** The largest answer a statement may return, in characters of JSON; past it, a coded refusal. */
  maxAnswerChars: number;
  /** Heavy statements at once, overall and per caller (src/db/heavy-gate.ts). */
  heavy: { overall: number; perCaller: number; waitMs: number };
}

export const DEFAULT_ENGINE_SETTINGS: EngineSettings = { maxAnswerChars: 8_000_000, heavy: { overall: 5, perCaller: 2, waitMs: 5_000 } };

/** A statement that failed: the error of the database (or the driver), with the statement for the log. */
export class StatementFailed extends Error {
  constructor(
    readonly statement: string,
    override readonly cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = 'StatementFailed';
  }
}

/** An answer past the size limit: refused with the same code as an operation past the cost limit. */
function answerTooLarge(size: number, limit: number): GraphQLError {
  return new GraphQLError(
    `The answer would be ${size} characters of JSON, more than the ${limit} one answer may carry: ask for less (a narrower filter, a higher minimum, fewer fields or aliases).`,
    { extensions: { code: ErrorCode.QUERY_TOO_COMPLEX, reason: 'ANSWER_TOO_LARGE', size, limit } },
  );
}

export interface StatementOptions {
  /** A heavy statement, run under the bound on heavy statements, charged to this caller. */
  heavy?: { caller: string };
  onPrimary?: boolean;
}

/** Plans kept per operation: one per set of variables (and caller, where it matters), up to this many. */
export const MAX_PLANS_PER_OPERATION = 256;

interface Entry {
  shared?: Plan;
  byViewer?: Map<string, Plan>;
}

export class ReadEngine implements Compilers {
  private readonly compilers = new Map<string, Map<string, FieldCompiler>>();
  private readonly tables = new Map<string, TableDeclaration>();
  /** Object types whose values are answers built in SQL, keyed by response name. */
  private readonly answered = new Set<string>();
  private readonly plans = new WeakMap<OperationDefinitionNode, Map<string, Entry>>();
  /** Bounds the heavy statements running at once (analytics, searches). */
  readonly heavy: HeavyGate;
  /** Matches the name of any table of the database in a statement. */
  private readonly tableNames: RegExp;
  /** Statements running, by text, for questions asked again meanwhile to join. */
  private readonly running = new Map<string, Promise<string>>();
  private joinedCount = 0;

  constructor(
    readonly schema: GraphQLSchema,
    metadata: MetadataStorage,
    /** Where the statements run: the primary or a standby (also asked by /readyz and /metrics). */
    readonly pool: ReadServers,
    private readonly settings: EngineSettings = DEFAULT_ENGINE_SETTINGS,
  ) {
    const problems = this.declare(metadata);
    if (problems.length) throw new Error(`The schema's SQL declarations are incomplete:\n  ${problems.join('\n  ')}`);
    this.heavy = new HeavyGate(settings.heavy);
    const tables = [...new Set([...Object.values(metadata.getAll()).map((meta) => meta.tableName), ...ROLLUP_TABLES, ...CHANGE_TABLES])];
    this.tableNames = new RegExp(`\\b(?:${tables.filter(Boolean).join('|')})\\b`, 'g');
  }

  /**
   * The tables a statement reads. Every relation a statement reads is named in its text (the engine's SQL
   * reads tables only, no views or functions), so the names of the database's tables found in it are all of
   * them; a name can only be over-reported (a response name or a literal equal to a table's name), which
   * costs a cached answer an early drop, never a stale one. test/changes/plan-tables.test.ts checks it
   * against the relations PostgreSQL's own plan scans.
   */
  tablesRead(text: string): string[] {
    return [...new Set(text.match(this.tableNames) ?? [])].sort();
  }

  /** The engine for a built schema and the ORM's metadata (the entities' columns), on pools of its own. */
  static async open(
    metadata: MetadataStorage,
    pool: ReadPoolSettings,
    settings: EngineSettings = DEFAULT_ENGINE_SETTINGS,
    replicas?: ReplicaSettings,
  ): Promise<ReadEngine> {
    return new ReadEngine(await getSchema(), metadata, await ReadServers.open(pool, replicas), settings);
  }

  close(): Promise<void> {
    return this.pool.close();
  }

  field(type: GraphQLObjectType, name: string): FieldCompiler | undefined {
    return this.compilers.get(type.name)?.get(name);
  }

  table(type: GraphQLObjectType): TableDeclaration | undefined {
    return this.tables.get(type.name);
  }

  /** Whether values of the type are answers built in SQL (read by response name). */
  isAnswered(type: GraphQLObjectType): boolean {
    return this.answered.has(type.name);
  }

  /**
   * graphql-js's default resolver for the fields without one: an answer built in SQL is read by response
   * name (aliases with different arguments are different keys); other values (a mutation's payload) as usual.
   */
  readonly fieldResolver: GraphQLFieldResolver<unknown, { reads: { field(source: unknown, info: Parameters<GraphQLFieldResolver<unknown, unknown>>[3]): unknown } }> = (
    source,
    args,
    context,
    info,
  ) => (this.answered.has(info.parentType.name) ? context.reads.field(source, info) : defaultFieldResolver(source, args, context, info));

  /** The plan of a query operation for these (coerced) variables and this caller. */
  plan(operation: OperationDefinitionNode, fragments: Readonly<Record<string, FragmentDefinitionNode>>, variables: Readonly<Record<string, unknown>>, viewer: Viewer): Plan {
    let byVariables = this.plans.get(operation);
    if (!byVariables) this.plans.set(operation, (byVariables = new Map()));
    const key = JSON.stringify(variables);
    let entry = byVariables.get(key);
    if (entry?.shared) return entry.shared;
    const viewerKey = `${viewer.role}|${viewer.provinceCode ?? ''}|${viewer.universityId ?? ''}`;
    const kept = entry?.byViewer?.get(viewerKey);
    if (kept) return kept;
    const plan = this.compile(operation, fragments, variables, viewer);
    if (!entry) {
      if (byVariables.size >= MAX_PLANS_PER_OPERATION) byVariables.clear();
      byVariables.set(key, (entry = {}));
    }
    if (plan.viewerDependent) (entry.byViewer ??= new Map()).set(viewerKey, plan);
    else entry.shared = plan;
    return plan;
  }

  /**
   * A record a resolver names by key (a mutation's payload), answered for the selection under the field
   * it resolves: one statement, compiled for this call. Null when there is no such record.
   */
  recordPlan(
    type: GraphQLObjectType,
    nodes: readonly FieldNode[],
    key: string | number,
    context: { fragments: Readonly<Record<string, FragmentDefinitionNode>>; variables: Readonly<Record<string, unknown>>; viewer: Viewer; path: readonly string[] },
  ): { text: string; errors: ReadonlyMap<string, GraphQLError> } {
    const q = new Planner({ schema: this.schema, compilers: this, walk: true, pathPrefix: context.path, ...context });
    const t = q.alias();
    const { table, key: keyColumn } = q.table(type);
    const object = q.object(type, nodes, t);
    return { text: q.statement(sql`(select ${object} from ${sql.raw(table)} ${t} where ${t}.${sql.raw(keyColumn)} = ${key})`), errors: q.errors };
  }

  /** Runs a statement (see `text`); its JSON parsed. */
  async execute<T>(text: string, prepare: boolean, options: StatementOptions = {}): Promise<T> {
    return JSON.parse(await this.text(text, prepare, options)) as T;
  }

  /**
   * Runs a statement; its JSON text. The same statement already running (the same question: values are in
   * the text) is joined, not run again: a dashboard's users opening the same view at once cost one
   * statement. A heavy one waits for its turn among the heavy statements; one that joins takes no turn.
   * `onPrimary`: not on a standby (a mutation's payload, read right after its write); it joins only
   * statements that run on the primary too.
   */
  async text(text: string, prepare: boolean, options: StatementOptions = {}): Promise<string> {
    const { heavy, onPrimary = false } = options;
    const key = onPrimary ? `primary:${text}` : text;
    let json: string;
    try {
      const running = this.running.get(key);
      if (running) this.joinedCount += 1;
      json = running
        ? await running
        : heavy
          ? await this.heavy.run(heavy.caller, () => this.runOnce(key, text, prepare, onPrimary))
          : await this.runOnce(key, text, prepare, onPrimary);
    } catch (error) {
      // A coded refusal (a caller over its heavy statements) is the caller's to see as it is.
      if (error instanceof GraphQLError) throw error;
      throw new StatementFailed(text, error);
    }
    if (json.length > this.settings.maxAnswerChars) throw answerTooLarge(json.length, this.settings.maxAnswerChars);
    return json;
  }

  /**
   * Statements that start from now on do not join one already running: a commit was heard, and a statement
   * that began before it may not see it (a caller reads its own writes: src/pipeline.ts).
   */
  forgetRunning(): void {
    this.running.clear();
  }

  /** Statements answered by joining one already running, since the engine opened (for /metrics). */
  get joined(): number {
    return this.joinedCount;
  }

  /** Runs a statement, or joins it when it was started since the last commit heard and still runs. */
  private runOnce(key: string, text: string, prepare: boolean, onPrimary: boolean): Promise<string> {
    const running = this.running.get(key);
    if (running) {
      this.joinedCount += 1;
      return running;
    }
    const started = this.pool.json(text, prepare, onPrimary).finally(() => {
      if (this.running.get(key) === started) this.running.delete(key);
    });
    this.running.set(key, started);
    return started;
  }

  private compile(
    operation: OperationDefinitionNode,
    fragments: Readonly<Record<string, FragmentDefinitionNode>>,
    variables: Readonly<Record<string, unknown>>,
    viewer: Viewer,
  ): Plan {
    const queryType = this.schema.getQueryType()!;
    const plan = (walk: boolean) => {
      const q = new Planner({ schema: this.schema, compilers: this, fragments, variables, viewer, walk });
      return { q, root: q.root(queryType, operation.selectionSet) };
    };
    let { q, root } = plan(false);
    // An answer graphql-js walks (a resolver's root field beside, or an error to raise where it occurs)
    // carries what the walk needs (the type of an abstract field's objects).
    if (root.resolverRoots.length || q.errors.size) ({ q, root } = plan(true));
    const text = root.data ? q.statement(root.data) : null;
    return {
      text,
      tables: text ? this.tablesRead(text) : [],
      prepare: !q.isOneOff,
      sqlRoots: root.sqlRoots,
      dataKeys: root.dataKeys,
      resolverRoots: root.resolverRoots,
      errors: q.errors,
      complete: root.data !== null && !root.resolverRoots.length && !q.errors.size,
      viewerDependent: q.dependsOnViewer,
      heavy: q.isHeavy,
    };
  }

  /** Reads every declaration from the schema; returns what is missing (a field no SQL answers). */
  private declare(metadata: MetadataStorage): string[] {
    const problems: string[] = [];
    const objectTypes = Object.values(this.schema.getTypeMap()).filter(
      (type): type is GraphQLObjectType => isObjectType(type) && !type.name.startsWith('__'),
    );
    for (const type of objectTypes) {
      const table = tableSql(type);
      if (table) this.tables.set(type.name, table);
      const meta = table ? metadata.find(table.entity().name) : undefined;
      if (table && !meta) problems.push(`${type.name}: ${table.entity().name} is not an entity`);
      const compilers = new Map<string, FieldCompiler>();
      for (const field of Object.values(type.getFields())) {
        const declared = fieldSql(field)?.compile;
        const property = meta?.properties[field.name as never] as { kind: ReferenceKind; fieldNames: string[] } | undefined;
        if (declared) compilers.set(field.name, declared);
        else if (property?.kind === ReferenceKind.SCALAR) compilers.set(field.name, column(property.fieldNames[0]));
      }
      if (compilers.size) {
        this.compilers.set(type.name, compilers);
        this.answered.add(type.name);
      }
    }
    // Every field of an answered type, and every object type such a field returns, must be answered in SQL;
    // their fields are read by response name, so none may have a resolver of type-graphql's own making.
    for (const type of objectTypes) {
      if (!this.answered.has(type.name) || type === this.schema.getQueryType()) continue;
      for (const field of Object.values(type.getFields())) {
        if (!this.compilers.get(type.name)!.has(field.name)) problems.push(`${type.name}.${field.name} has neither @Sql nor a column`);
        if (field.resolve && !fieldSql(field)?.onMethod) problems.push(`${type.name}.${field.name} has a resolver of type-graphql's: declare ${type.name} with simpleResolvers`);
        const returned = getNamedType(field.type);
        if (isObjectType(returned) && !this.answered.has(returned.name)) problems.push(`${type.name}.${field.name} returns ${returned.name}, which has no SQL`);
      }
    }
    return problems;
  }
}

