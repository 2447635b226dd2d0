// Id → node over a whole mesh tree, for the TUI adapters (each id is kept once, its first node found).
import type { TreeNode } from './tree-types.js';

export function nodesById(roots: TreeNode[]): Map<string, TreeNode> {
  const byId = new Map<string, TreeNode>();
  const stack = [...roots];
  while (stack.length) {
    const n = stack.pop()!;
    if (byId.has(n.id)) continue;
    byId.set(n.id, n);
    for (const c of n.children) stack.push(c);
  }
  return byId;
}
