// Text rendering and filtering of the tree (for `meshscope tree`); the TUI draws its own rows.
import { sanitizeLine } from '../core/sanitize.js';
import type { Badges, TreeNode } from './tree-types.js';
import { withChildren } from './tree-nodes.js';
import { walkTree } from './tree-walk.js';

const KIND_ALIASES: Record<string, string> = {
  vs: 'VirtualService', virtualservice: 'VirtualService', virtualservices: 'VirtualService',
  dr: 'DestinationRule', destinationrule: 'DestinationRule', destinationrules: 'DestinationRule',
  gw: 'Gateway', gateway: 'Gateway', gateways: 'Gateway',
  se: 'ServiceEntry', serviceentry: 'ServiceEntry', serviceentries: 'ServiceEntry',
  svc: 'Service', service: 'Service', services: 'Service',
  po: 'Pod', pod: 'Pod', pods: 'Pod', workload: 'Workload', workloads: 'Workload',
  sidecar: 'Sidecar', sidecars: 'Sidecar', we: 'WorkloadEntry', workloadentry: 'WorkloadEntry', wg: 'WorkloadGroup',
  workloadgroup: 'WorkloadGroup', envoyfilter: 'EnvoyFilter', ef: 'EnvoyFilter',
  rule: 'rule', rules: 'rule', destination: 'destination', destinations: 'destination', subset: 'subset', mirror: 'mirror',
  proxy: 'proxy', proxies: 'proxy', cluster: 'envoy-cluster', clusters: 'envoy-cluster', 'envoy-cluster': 'envoy-cluster',
  route: 'envoy-route', routes: 'envoy-route', 'envoy-route': 'envoy-route', listener: 'envoy-listener', listeners: 'envoy-listener',
  'envoy-listener': 'envoy-listener', endpoint: 'endpoint', endpoints: 'endpoint', 'envoy-endpoint': 'envoy-endpoint',
  link: 'link', links: 'link', dangling: 'dangling', namespace: 'namespace', ns: 'namespace', context: 'context',
};

/** Normalises a --kind word (`vs`, `VirtualService`, `dangling`...) to a NodeKind, or undefined if unknown. */
export function normalizeKind(k: string): string | undefined {
  return KIND_ALIASES[k.toLowerCase()];
}

/**
 * Keeps the nodes of one kind (with their whole subtrees) and the path down to them. Link nodes (references to
 * a node elsewhere) do not count as that kind, except for `link` and `dangling` themselves.
 */
export function filterByKind(roots: TreeNode[], kind: string): TreeNode[] {
  /** Node → what is kept of it: itself when it is of the kind, else a copy with its kept children. */
  const kept = new Map<TreeNode, TreeNode>();
  walkTree(roots, (n) => {
    if (n.kind === kind && (!n.linkTo || kind === 'link' || n.id === n.linkTo)) {
      kept.set(n, n);
      return false;
    }
  }, (n) => {
    if (kept.has(n)) return;
    const kids: TreeNode[] = [];
    for (const c of n.children) {
      const k = kept.get(c);
      if (k) kids.push(k);
    }
    if (kids.length > 0) kept.set(n, withChildren(n, kids));
  });
  const out: TreeNode[] = [];
  for (const r of roots) {
    const k = kept.get(r);
    if (k) out.push(k);
  }
  return out;
}

/** Keeps, under each context, only the namespace node(s) named `ns`. */
export function filterByNamespace(roots: TreeNode[], ns: string): TreeNode[] {
  return roots.map((r) => (r.kind === 'context' ? withChildren(r, r.children.filter((c) => c.kind !== 'namespace' || c.label === ns)) : r));
}

export function badgeText(b: Badges): string {
  const parts: string[] = [];
  if (b.weight !== undefined) parts.push(`${fmtPct(b.weight)}%`);
  if (b.mirrorPercent !== undefined) parts.push(`mirror ${fmtPct(b.mirrorPercent)}%`);
  if (b.total !== undefined) parts.push(`${b.healthy ?? 0}/${b.total}`);
  for (const p of b.problems ?? []) parts.push(`${p.drift ? '≠' : p.severity === 'error' ? '✗' : p.severity === 'warning' ? '⚠' : 'ℹ'} ${p.code ? `[${p.code}] ` : ''}${sanitizeLine(p.message)}`);
  return parts.join('  ');
}

function fmtPct(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

/** One line per node, indented two spaces per level: `label  detail  [badges]  → link`. */
export function renderTreeText(roots: TreeNode[]): string {
  const out: string[] = [];
  walkTree(roots, (n, parents) => {
    let line = '  '.repeat(parents.length) + sanitizeLine(n.label);
    if (n.detail) line += `  ${sanitizeLine(n.detail)}`;
    const badges = badgeText(n.badges);
    if (badges) line += `  [${badges}]`;
    if (n.linkTo && n.kind !== 'envoy-cluster' && !n.label.startsWith('→')) line += `  → ${sanitizeLine(n.linkTo)}`;
    else if (n.linkTo && n.label.startsWith('→')) line += `  (${sanitizeLine(n.linkTo)})`;
    if (n.dangling && n.kind !== 'dangling') line += `  ✗ dangling: ${sanitizeLine(n.dangling)}`;
    out.push(line);
  });
  return out.length > 0 ? `${out.join('\n')}\n` : '';
}
