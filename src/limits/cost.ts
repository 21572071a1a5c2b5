// The cost of an operation, computed before it runs the way GitHub counts nodes: what a query can make the
// server load grows with the product of the page sizes it nests, not with its length.
//
//   cost = max(1, sum over connections and lists of records:  size   x multiplier
//                 + sum over analytics fields:                 weight x multiplier)
//
// A connection's size is first (or last), 20 when neither is given, clamped to 0..100. A plain list of
// records (Node types) counts its size too: nodes(ids:) the number of ids, other lists the bound or typical
// size their field declares beside its SQL (@Sql(compiler, { listSize })), else 10; an analytics field
// declares its weight the same way. The multiplier of a field is the product of the sizes of the
// connections and plain lists around it (lists of values, such as provenance sources or a graph's edges,
// multiply what they hold without costing anything themselves). Scalars and single objects cost 0.
// Fragments count where they are spread, every branch of a type condition counts (an upper bound),
// @skip/@include are ignored. Introspection costs what its answer weighs: the whole schema (__schema) is a
// large answer, so a few aliases of it cannot be had for the price of one field.
import {
  Kind,
  getNamedType,
  getNullableType,
  isCompositeType,
  isListType,
  isObjectType,
  isInterfaceType,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
  valueFromASTUntyped,
} from 'graphql';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../graphql/paging';
import { MAX_PLANS_PER_OPERATION } from '../graphql/sql/engine';
import { fieldSql } from '../graphql/sql/field-sql';

/** Plain lists of records whose field declares no size count this many. */
export const DEFAULT_LIST_SIZE = 10;

/** __schema answers the whole schema (about 160 KB): five of them make an operation's limit. */
export const SCHEMA_INTROSPECTION_COST = 10_000;
/** __type(name:) answers one type. */
export const TYPE_INTROSPECTION_COST = 100;

type Variables = Readonly<Record<string, unknown>> | undefined;

interface Walk {
  schema: GraphQLSchema;
  fragments: Map<string, FragmentDefinitionNode>;
  variables: Variables;
  defaults: Map<string, ValueNode>;
  /** Cost of each fragment at multiplier 1: cost is linear in the multiplier, and memoising keeps a
   *  document that spreads fragments within fragments from costing exponential time to price. */
  fragmentCosts: Map<string, number>;
}

// Apollo keeps one parsed document per distinct query text: a dashboard repeating its questions is priced
// once per set of variables, as many kept per document as the read engine keeps plans (a smaller memo was
// emptied by a year slider before a question came round again).
const MEMO_PER_DOCUMENT = MAX_PLANS_PER_OPERATION;
const memo = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, Map<string, number>>>();

export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Variables,
): number {
  let bySchema = memo.get(schema);
  if (!bySchema) memo.set(schema, (bySchema = new WeakMap()));
  let costs = bySchema.get(document);
  if (!costs) bySchema.set(document, (costs = new Map()));
  const key = `${operation.name?.value ?? ''}|${JSON.stringify(variables ?? {})}`;
  let cost = costs.get(key);
  if (cost === undefined) {
    cost = priceOperation(schema, document, operation, variables);
    if (costs.size >= MEMO_PER_DOCUMENT) costs.clear();
    costs.set(key, cost);
  }
  return cost;
}

function priceOperation(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Variables): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const defaults = new Map<string, ValueNode>();
  for (const definition of operation.variableDefinitions ?? []) {
    if (definition.defaultValue) defaults.set(definition.variable.name.value, definition.defaultValue);
  }
  const root = schema.getRootType(operation.operation);
  if (!root) return 1;
  const walk: Walk = { schema, fragments, variables, defaults, fragmentCosts: new Map() };
  const cost = selectionCost(walk, root, operation.selectionSet, 1, new Set());
  return Math.max(1, Math.min(cost, Number.MAX_SAFE_INTEGER));
}

function selectionCost(walk: Walk, parent: GraphQLCompositeType, set: SelectionSetNode, multiplier: number, spread: Set<string>): number {
  let total = 0;
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      total += fieldCost(walk, parent, selection, multiplier, spread);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      const type = selection.typeCondition ? walk.schema.getType(selection.typeCondition.name.value) : parent;
      if (type && isCompositeType(type)) total += selectionCost(walk, type, selection.selectionSet, multiplier, spread);
    } else {
      // A fragment spread twice on one path would be a cycle, which validation has already refused.
      const fragment = walk.fragments.get(selection.name.value);
      if (!fragment || spread.has(fragment.name.value)) continue;
      let unit = walk.fragmentCosts.get(fragment.name.value);
      if (unit === undefined) {
        const type = walk.schema.getType(fragment.typeCondition.name.value);
        const inner = new Set(spread).add(fragment.name.value);
        unit = type && isCompositeType(type) ? selectionCost(walk, type, fragment.selectionSet, 1, inner) : 0;
        walk.fragmentCosts.set(fragment.name.value, unit);
      }
      total += unit * multiplier;
    }
  }
  return total;
}

function fieldCost(walk: Walk, parent: GraphQLCompositeType, node: FieldNode, multiplier: number, spread: Set<string>): number {
  if (node.name.value === '__schema') return SCHEMA_INTROSPECTION_COST * multiplier;
  if (node.name.value === '__type') return TYPE_INTROSPECTION_COST * multiplier;
  if (node.name.value.startsWith('__') || !(isObjectType(parent) || isInterfaceType(parent))) return 0;
  const field = parent.getFields()[node.name.value] as GraphQLField<unknown, unknown> | undefined;
  if (!field) return 0;
  const key = `${parent.name}.${field.name}`;
  const named = getNamedType(field.type);
  const declared = fieldSql(field)?.cost;
  // An argument not given is its default, as execution will see it.
  const argument = (name: string) => rawArgument(walk, node, name) ?? field.args.find((arg) => arg.name === name)?.defaultValue;
  const weight = typeof declared?.weight === 'function' ? declared.weight(argument) : (declared?.weight ?? 0);
  let own = weight * multiplier;
  let inner = multiplier;
  if (isConnection(field)) {
    const first = intArgument(walk, node, 'first');
    const last = intArgument(walk, node, 'last');
    const size = first === undefined && last === undefined ? DEFAULT_PAGE_SIZE : Math.max(first ?? 0, last ?? 0);
    inner = multiplier * clamp(size, 0, MAX_PAGE_SIZE);
    own += inner;
  } else if (isListType(getNullableType(field.type)) && !isConnectionType(parent)) {
    inner = multiplier * listSize(walk, node, key, declared?.listSize);
    if (isRecord(named)) own += inner;
  }
  if (!node.selectionSet || !isCompositeType(named)) return own;
  return own + selectionCost(walk, named, node.selectionSet, inner, spread);
}

/** Types with an identity, loaded from the database: the Node interface and its implementations. */
function isRecord(type: GraphQLNamedType): boolean {
  if (isInterfaceType(type)) return type.name === 'Node';
  return isObjectType(type) && type.getInterfaces().some((i) => i.name === 'Node');
}

function isConnectionType(type: GraphQLCompositeType): boolean {
  return type.name.endsWith('Connection');
}

function isConnection(field: GraphQLField<unknown, unknown>): boolean {
  const named = getNamedType(field.type);
  return isObjectType(named) && isConnectionType(named) && field.args.some((arg) => arg.name === 'first');
}

function listSize(walk: Walk, node: FieldNode, key: string, declared: number | undefined): number {
  if (key === 'Query.nodes') {
    const ids = argumentValue(walk, node, 'ids');
    // A single id where a list is expected is coerced to a list of one.
    if (ids) return ids.kind === 'list' ? ids.length : 1;
  }
  return declared ?? DEFAULT_LIST_SIZE;
}

/** An argument's value as given (a literal, a variable or its default), not coerced; undefined when absent. */
function rawArgument(walk: Walk, node: FieldNode, name: string): unknown {
  const literal = node.arguments?.find((arg) => arg.name.value === name)?.value;
  if (!literal) return undefined;
  const variables: Record<string, unknown> = { ...walk.variables };
  for (const [variable, fallback] of walk.defaults) if (!(variable in variables)) variables[variable] = valueFromASTUntyped(fallback);
  return valueFromASTUntyped(literal, variables);
}

function intArgument(walk: Walk, node: FieldNode, name: string): number | undefined {
  const value = argumentValue(walk, node, name);
  return value?.kind === 'int' ? value.value : undefined;
}

type Argument = { kind: 'int'; value: number } | { kind: 'list'; length: number } | { kind: 'other' };

/** The argument as given, a literal or a variable (not yet coerced: execution will refuse what is invalid). */
function argumentValue(walk: Walk, node: FieldNode, name: string): Argument | undefined {
  const literal = node.arguments?.find((arg) => arg.name.value === name)?.value;
  if (!literal) return undefined;
  if (literal.kind !== Kind.VARIABLE) return fromLiteral(literal);
  const variable = literal.name.value;
  if (walk.variables && variable in walk.variables) {
    const raw = walk.variables[variable];
    if (typeof raw === 'number' && Number.isInteger(raw)) return { kind: 'int', value: raw };
    if (Array.isArray(raw)) return { kind: 'list', length: raw.length };
    return raw == null ? undefined : { kind: 'other' };
  }
  const fallback = walk.defaults.get(variable);
  return fallback ? fromLiteral(fallback) : undefined;
}

function fromLiteral(value: ValueNode): Argument | undefined {
  if (value.kind === Kind.INT) return { kind: 'int', value: Number(value.value) };
  if (value.kind === Kind.LIST) return { kind: 'list', length: value.values.length };
  if (value.kind === Kind.NULL) return undefined;
  return { kind: 'other' };
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
