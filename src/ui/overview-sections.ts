// Which sections a node's details start with: the landing overview on a context node; on a pod whose proxy runs a
// config that differs from intent (a drift finding), what differs, with a jump to the object it differs from. Pure.
import type { TreeNode } from '../mesh/tree-types.js';
import type { ProblemItem } from './problems/reducer.js';
import type { ContextInfo, DetailsSection } from './types.js';
import { DRIFT_CODES, overviewSections } from './overview.js';

export function landingSections(node: TreeNode, contexts: readonly ContextInfo[], items: readonly ProblemItem[]): DetailsSection[] | undefined {
  if (node.kind === 'context') {
    return overviewSections(contexts, items, { proxyNode: (_ctx, _proxy) => items.find((i) => i.context === _ctx && i.proxy === _proxy && i.proxyNodeId)?.proxyNodeId });
  }
  if ((node.kind === 'Pod' || node.kind === 'proxy') && node.ref) {
    const proxy = `${node.ref.namespace}/${node.ref.name}`;
    const drift = items.filter((i) => DRIFT_CODES.has(i.code) && i.context === node.ref!.context && i.proxy === proxy);
    if (drift.length === 0) return undefined;
    return [{
      title: `STALE: this proxy does not run what intent says (${drift.length} finding${drift.length === 1 ? '' : 's'})`,
      items: drift.map((i) => ({ mark: '≠' as const, text: `${i.origin}${i.path ? ` ${i.path}` : ''}: ${i.message}`, targetId: i.nodeId })),
    }];
  }
  return undefined;
}
