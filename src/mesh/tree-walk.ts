// The one tree walker: depth-first, in child order, without recursion (deep trees must not overflow the stack).
import type { TreeNode } from './tree-types.js';

/**
 * Visits every node once with its parent chain. `enter` returning false skips the node's children; `leave` runs after
 * them (post-order).
 */
export function walkTree(
  roots: readonly TreeNode[],
  enter: (n: TreeNode, parents: readonly TreeNode[]) => unknown,
  leave?: (n: TreeNode, parents: readonly TreeNode[]) => void,
): void {
  const seen = new Set<TreeNode>();
  const parents: TreeNode[] = [];
  const next: number[] = [];
  const open = (n: TreeNode): boolean => {
    if (seen.has(n)) return false;
    seen.add(n);
    if (enter(n, parents) === false) {
      leave?.(n, parents);
      return false;
    }
    parents.push(n);
    next.push(0);
    return true;
  };
  for (const root of roots) {
    open(root);
    while (parents.length > 0) {
      const top = parents[parents.length - 1]!;
      const i = next[next.length - 1]!;
      if (i < top.children.length) {
        next[next.length - 1] = i + 1;
        open(top.children[i]!);
        continue;
      }
      parents.pop();
      next.pop();
      leave?.(top, parents);
    }
  }
}

/** Id → node over a whole tree (each id is kept once, its first node found). */
export function nodesById(roots: readonly TreeNode[]): Map<string, TreeNode> {
  const byId = new Map<string, TreeNode>();
  walkTree(roots, (n) => {
    if (byId.has(n.id)) return false;
    byId.set(n.id, n);
  });
  return byId;
}
