// Which subfields of the current field a client selected (fragments included), so analytics compute
// only what is asked: a dashboard that wants five counts does not pay for series and rankings.
import {
  getArgumentValues,
  getNamedType,
  isObjectType,
  Kind,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLResolveInfo,
  type SelectionSetNode,
} from 'graphql';

type Fragments = Record<string, FragmentDefinitionNode>;

export function selectedFields(info: GraphQLResolveInfo): ReadonlySet<string> {
  return selectedPaths(info, 1);
}

/** Selected subfields as dotted paths down to the given depth: `totals`, `totals.innovations`, ... */
export function selectedPaths(info: GraphQLResolveInfo, depth: number): ReadonlySet<string> {
  return pathsUnder(info.fieldNodes, info.fragments, depth);
}

/** selectedPaths for a field's nodes outside a resolver (a compiled read, src/graphql/compiled). */
export function pathsUnder(nodes: readonly FieldNode[], fragments: Fragments, depth: number): Set<string> {
  const paths = new Set<string>();
  const visit = (set: SelectionSetNode | undefined, prefix: string, level: number) => {
    forEachField(set, fragments, (field) => {
      const path = prefix + field.name.value;
      paths.add(path);
      if (level < depth) visit(field.selectionSet, `${path}.`, level + 1);
    });
  };
  nodes.forEach((node) => visit(node.selectionSet, '', 1));
  return paths;
}

function forEachField(set: SelectionSetNode | undefined, fragments: Fragments, visit: (field: FieldNode) => void): void {
  for (const selection of set?.selections ?? []) {
    if (selection.kind === Kind.FIELD) visit(selection);
    else if (selection.kind === Kind.INLINE_FRAGMENT) forEachField(selection.selectionSet, fragments, visit);
    else forEachField(fragments[selection.name.value]?.selectionSet, fragments, visit);
  }
}

/** One occurrence of a subfield of the current field: its arguments (as its resolver will get them) and its own subfields. */
export interface ChildField {
  args: Record<string, unknown>;
  selected: Set<string>;
}

/**
 * The occurrences of a subfield of the current field, one per response name (an alias, or the name),
 * merged as GraphQL merges them, for a resolver that fetches ahead what that subfield will ask for. An
 * occurrence whose arguments do not coerce is left out: its own resolver reports the error. Like
 * selectedFields, it does not read @skip and @include: a skipped subfield is fetched for nothing.
 */
export function childFields(info: GraphQLResolveInfo, name: string): ChildField[] {
  const parent = getNamedType(info.returnType);
  const definition = isObjectType(parent) ? parent.getFields()[name] : undefined;
  if (!definition) return [];
  const byResponseName = new Map<string, FieldNode[]>();
  for (const node of info.fieldNodes) {
    forEachField(node.selectionSet, info.fragments, (field) => {
      if (field.name.value !== name) return;
      const key = field.alias?.value ?? name;
      byResponseName.set(key, [...(byResponseName.get(key) ?? []), field]);
    });
  }
  const found: ChildField[] = [];
  for (const fields of byResponseName.values()) {
    try {
      // Validation guarantees that merged occurrences have the same arguments.
      found.push({ args: getArgumentValues(definition, fields[0], info.variableValues), selected: pathsUnder(fields, info.fragments, 1) });
    } catch {
      // Left to the subfield's resolver, which reports it with the argument's name.
    }
  }
  return found;
}

/** The fields selected on the nodes of a connection, through nodes or edges.node. */
export function selectedNodeFields(info: GraphQLResolveInfo): Set<string> {
  const fields = new Set<string>();
  for (const path of selectedPaths(info, 3)) {
    const match = /^(?:nodes|edges\.node)\.([^.]+)$/.exec(path);
    if (match) fields.add(match[1]);
  }
  return fields;
}
