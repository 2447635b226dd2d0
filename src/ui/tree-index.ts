// Tree bookkeeping for the TUI: id lookup, parents, and the flattened list of visible rows, kept up to date
// incrementally on expand and collapse (only the affected slice is rebuilt).
import type { TreeNode } from '../mesh/tree-types.js';
import { walkTree } from '../mesh/tree-walk.js';

export interface TreeIndex {
  byId: Map<string, TreeNode>;
  parent: Map<string, string>;
  depth: Map<string, number>;
  /** Every node, pre-order. */
  all: TreeNode[];
  roots: TreeNode[];
}

export function buildIndex(roots: TreeNode[]): TreeIndex {
  const byId = new Map<string, TreeNode>();
  const parent = new Map<string, string>();
  const depth = new Map<string, number>();
  const all: TreeNode[] = [];
  walkTree(roots, (n, parents) => {
    if (byId.has(n.id)) return false; // ids are unique; a repeated id is shown once
    byId.set(n.id, n);
    depth.set(n.id, parents.length);
    const p = parents[parents.length - 1];
    if (p) parent.set(n.id, p.id);
    all.push(n);
  });
  return { byId, parent, depth, all, roots };
}

export interface FlatRow {
  node: TreeNode;
  /** Depth relative to the view's roots. */
  depth: number;
}

/** Visible rows under `nodes` (which sit at `depth`), descending into expanded nodes. */
export function flatten(nodes: TreeNode[], expanded: ReadonlySet<string>, depth = 0): FlatRow[] {
  const out: FlatRow[] = [];
  walkTree(nodes, (node, parents) => {
    out.push({ node, depth: depth + parents.length });
    return expanded.has(node.id);
  });
  return out;
}

/** The row index after the subtree of the row at `i` (its visible descendants). */
export function subtreeEnd(rows: FlatRow[], i: number): number {
  const d = rows[i]!.depth;
  let j = i + 1;
  while (j < rows.length && rows[j]!.depth > d) j++;
  return j;
}

/** Rows after expanding row `i` (expanded must already contain its id). */
export function expandAt(rows: FlatRow[], i: number, expanded: ReadonlySet<string>): FlatRow[] {
  const row = rows[i]!;
  const inserted = flatten(row.node.children, expanded, row.depth + 1);
  const end = subtreeEnd(rows, i); // normally i+1
  return rows.slice(0, i + 1).concat(inserted, rows.slice(end));
}

/** Rows after collapsing row `i`. */
export function collapseAt(rows: FlatRow[], i: number): FlatRow[] {
  const end = subtreeEnd(rows, i);
  if (end === i + 1) return rows;
  return rows.slice(0, i + 1).concat(rows.slice(end));
}

/** Ancestor ids of a node, root first. */
export function ancestors(index: TreeIndex, id: string): string[] {
  const out: string[] = [];
  let p = index.parent.get(id);
  while (p !== undefined) {
    out.push(p);
    p = index.parent.get(p);
  }
  return out.reverse();
}
