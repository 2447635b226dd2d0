// A pod whose Envoy config could not be read carries the error on its own tree node, not only on its proxy child.
import type { Mesh } from './join.js';
import type { TreeNode } from './tree-types.js';
import { walkTree } from './tree-walk.js';

export function markProxyErrors(roots: TreeNode[], mesh: Mesh): void {
  const failed = new Map(mesh.proxies().filter((p) => p.error && p.pod).map((p) => [p.pod!.id, p.error!]));
  if (failed.size === 0) return;
  walkTree(roots, (n) => {
    const err = n.kind === 'Pod' ? failed.get(n.id) : undefined;
    if (err) n.badges = { ...n.badges, problems: [...(n.badges.problems ?? []), { severity: 'error', message: `Envoy config: ${err}` }] };
  });
}
