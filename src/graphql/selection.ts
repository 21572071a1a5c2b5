// Which subfields of the current field a client selected (fragments included), so analytics compute
// only what is asked: a dashboard that wants five counts does not pay for series and rankings.
import { Kind, type FieldNode, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

export function selectedFields(info: GraphQLResolveInfo): Set<string> {
  return selectedPaths(info, 1);
}

/** Selected subfields as dotted paths down to the given depth: `totals`, `totals.innovations`, ... */
export function selectedPaths(info: GraphQLResolveInfo, depth: number): Set<string> {
  const paths = new Set<string>();
  const visit = (set: SelectionSetNode | undefined, prefix: string, level: number) => {
    for (const selection of set?.selections ?? []) {
      if (selection.kind === Kind.FIELD) {
        const path = prefix + selection.name.value;
        paths.add(path);
        if (level < depth) visit(selection.selectionSet, `${path}.`, level + 1);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) visit(selection.selectionSet, prefix, level);
      else visit(info.fragments[selection.name.value]?.selectionSet, prefix, level);
    }
  };
  info.fieldNodes.forEach((node: FieldNode) => visit(node.selectionSet, '', 1));
  return paths;
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
