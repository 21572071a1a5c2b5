// A request's reads: the plan of its operation, run once, and what graphql-js asks of the answer.
//
// The path of a query: the request pipeline (src/pipeline.ts) plans the operation and, when the statement
// answers all of it (the usual dashboard question), hands its data to Apollo as the response: graphql-js
// never walks it.
// Otherwise (a root field answered by a resolver, such as viewer; a field whose input was refused; a
// failed statement), graphql-js executes the operation as usual: the root fields' resolvers take their
// part of the same answer (@Answer), and fields of answered types are read by response name, raising the
// refused field's error where it occurs. Either way the statement runs once.
import type { FragmentDefinitionNode, GraphQLError, GraphQLResolveInfo, OperationDefinitionNode } from 'graphql';
import type { Path } from 'graphql/jsutils/Path';
import { createParameterDecorator } from 'type-graphql';
import type { Viewer } from '../../auth/viewer';
import type { SqlFragment } from '../../db/sql';
import { namedObjectType } from './planner';
import { textAnswer } from './answer-text';
import type { Plan, ReadEngine } from './engine';

interface Answer {
  plan: Plan;
  /** The statement's answer, parsed when a field of it is first read (answer-text.ts). */
  data: Record<string, unknown>;
  /** Its JSON text; empty when no statement ran. */
  text: string;
}

type Fragments = Readonly<Record<string, FragmentDefinitionNode>>;

/** The request's side of the engine; one per request, in the context as `reads`. */
export class Reads {
  private readonly answers = new Map<OperationDefinitionNode, Promise<Answer>>();
  private readonly errors = new Map<string, GraphQLError>();
  /** Statements this request ran on the read pool. */
  statements = 0;

  constructor(
    private readonly engine: ReadEngine,
    private readonly viewer: () => Viewer,
    /** Who is asking, for the bound on heavy statements: an API key, or an anonymous client's address. */
    private readonly caller: () => string,
  ) {}

  /** The operation's answer: planned (or taken from the plan cache) and run once per request. */
  answer(operation: OperationDefinitionNode, fragments: Fragments, variables: Readonly<Record<string, unknown>>): Promise<Answer> {
    let answer = this.answers.get(operation);
    if (!answer) {
      answer = this.run(operation, fragments, variables);
      this.answers.set(operation, answer);
    }
    return answer;
  }

  /** A root field's part of the answer (its resolver's value). */
  async root(info: GraphQLResolveInfo): Promise<unknown> {
    const { data } = await this.answer(info.operation, info.fragments, info.variableValues);
    const error = this.errors.get(String(info.path.key));
    if (error) throw error;
    return data[info.path.key];
  }

  /** A field of an answer, as graphql-js walks it: by response name, or the error compiling it raised. */
  field(source: unknown, info: GraphQLResolveInfo): unknown {
    if (this.errors.size) {
      const error = this.errors.get(staticPath(info.path));
      if (error) throw error;
    }
    return (source as Record<string, unknown>)[info.path.key];
  }

  /** The record of `key` for the selection under the field being resolved (a mutation's payload). */
  async record(info: GraphQLResolveInfo, key: string | number): Promise<unknown> {
    const plan = this.engine.recordPlan(namedObjectType(info.returnType), info.fieldNodes, key, {
      fragments: info.fragments,
      variables: info.variableValues,
      viewer: this.viewer(),
      path: staticPath(info.path).split('.'),
    });
    for (const [path, error] of plan.errors) this.errors.set(path, error);
    this.statements += 1;
    // Read right after the write: on the primary, which has it whatever the standbys have replayed.
    return this.engine.execute<unknown>(plan.text, false, { onPrimary: true });
  }

  /**
   * After a mutation: once the standbys have replayed it (bounded; src/db/read-servers.ts), so that whatever
   * the caller reads next, through any process, sees it. Nothing to wait for without standbys.
   */
  async afterWrite(): Promise<void> {
    if (this.engine.pool.hasReplicas) await this.engine.pool.awaitReplay();
  }

  /** An operation of the server's own, planned like any query and run now, every time (a subscription asks again). */
  async fresh(operation: OperationDefinitionNode, variables: Readonly<Record<string, unknown>>): Promise<Record<string, unknown>> {
    const plan = this.engine.plan(operation, {}, variables, this.viewer());
    if (!plan.text) return {};
    this.statements += 1;
    return this.engine.execute<Record<string, unknown>>(plan.text, plan.prepare);
  }

  /** A statement of a resolver's own, for what no plan can read (the change log's state): its JSON `data`. */
  async json<T>(statement: SqlFragment): Promise<T> {
    this.statements += 1;
    return this.engine.execute<T>(statement.text, false);
  }

  private async run(operation: OperationDefinitionNode, fragments: Fragments, variables: Readonly<Record<string, unknown>>): Promise<Answer> {
    const plan = this.engine.plan(operation, fragments, variables, this.viewer());
    for (const [path, error] of plan.errors) this.errors.set(path, error);
    if (!plan.text) return { plan, data: {}, text: '' };
    this.statements += 1;
    const text = await this.engine.text(plan.text, plan.prepare, plan.heavy ? { heavy: { caller: this.caller() } } : {});
    return { plan, data: textAnswer(text, plan.dataKeys), text };
  }
}

/** The response names from the root to a field, list indexes left out: "province.innovations.edges.node.title". */
function staticPath(path: Path): string {
  const keys: string[] = [];
  for (let at: Path | undefined = path; at; at = at.prev) if (typeof at.key === 'string') keys.push(at.key);
  return keys.reverse().join('.');
}

/**
 * The value of a field answered in SQL, for the resolver that declares the field's arguments: a root
 * field's part of the operation's answer, or a field of an answer graphql-js walks.
 */
export function Answer(): ReturnType<typeof createParameterDecorator> {
  return createParameterDecorator<{ reads: Reads }>(({ root, context, info }) =>
    info.parentType === info.schema.getQueryType() ? context.reads.root(info) : context.reads.field(root, info),
  );
}
