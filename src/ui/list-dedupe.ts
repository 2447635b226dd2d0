// A list view (`:vs`, `:pods`…) shows each object once: the tree repeats objects under the nodes that reference them
// (a VirtualService under its Gateway, labelled `ns/name`), so rows are keyed by the object and its own node wins.
import type { TreeNode } from '../mesh/tree-types.js';

export function onePerObject(nodes: TreeNode[]): TreeNode[] {
  const own = (n: TreeNode) => !!n.ref && n.id === `${n.ref.context}/${n.ref.kind}/${n.ref.namespace ?? ''}/${n.ref.name}`;
  const chosen = new Map<string, TreeNode>();
  const order: string[] = [];
  for (const n of nodes) {
    const key = n.ref ? `${n.ref.context}/${n.ref.kind}/${n.ref.namespace ?? ''}/${n.ref.name}` : n.id;
    const cur = chosen.get(key);
    if (!cur) { chosen.set(key, n); order.push(key); } else if (!own(cur) && own(n)) chosen.set(key, n);
  }
  return order.map((k) => chosen.get(k)!);
}
