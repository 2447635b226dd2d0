// Small node builders shared by the tree files.
import type { Badges, NodeKind, Problem, TreeNode } from './tree-types.js';
import type { EndpointModel, MeshObject, PodModel } from './model.js';
import type { EnvoyEndpoint } from '../model/envoy/types.js';

export function node(id: string, kind: NodeKind, label: string, extra: Partial<TreeNode> = {}): TreeNode {
  return { id, kind, label, badges: extra.badges ?? {}, children: extra.children ?? [], ...extra };
}

export function withProblems(b: Badges, problems: Problem[] | undefined): Badges {
  if (problems && problems.length > 0) b.problems = problems;
  return b;
}

export function labelsText(labels: Record<string, string> | undefined): string {
  if (!labels) return '';
  let s = '';
  for (const k in labels) s += (s ? ',' : '') + `${k}=${labels[k]}`;
  return s;
}

/** A reference to an object node elsewhere in the tree (Enter follows linkTo). */
export function objectLink(parentId: string, o: MeshObject, extra: Partial<TreeNode> = {}): TreeNode {
  const kind = (['Gateway', 'VirtualService', 'DestinationRule', 'ServiceEntry', 'Service', 'Pod'] as const).find((k) => k === o.kind) ?? 'link';
  return node(`${parentId}/->${o.id}`, kind, `${o.namespace ? `${o.namespace}/` : ''}${o.name}`, {
    linkTo: o.id, context: o.context, ref: o.ref, ...extra,
  });
}

export function podLink(parentId: string, p: PodModel, withEndpoints = false, crossContext = false): TreeNode {
  const n = objectLink(parentId, p, {
    detail: `${p.ip ?? 'no IP'}${p.ready ? '' : ' not ready'}${crossContext ? ` (${p.context})` : ''}`,
    badges: { healthy: p.ready ? 1 : 0, total: 1 },
    searchText: `${p.ip ?? ''} ${labelsText(p.labels)}`,
  });
  n.label = p.name;
  if (withEndpoints && p.ip) n.children.push(node(`${n.id}/ep:${p.ip}`, 'endpoint', p.ip, { detail: p.ready ? 'ready' : 'not ready', context: p.context, searchText: p.ip }));
  return n;
}

export function endpointNode(parentId: string, e: EndpointModel, context: string): TreeNode {
  const addr = e.port ? `${e.address}:${e.port}` : e.address;
  const detail = [e.source, e.pod ? `pod ${e.pod.name}` : '', labelsText(e.labels), e.ready === false ? 'not ready' : ''].filter(Boolean).join(' ');
  return node(`${parentId}/ep:${addr}`, 'endpoint', addr, {
    detail, context, searchText: `${e.address} ${labelsText(e.labels)}`,
    badges: e.ready === undefined ? {} : { healthy: e.ready ? 1 : 0, total: 1 },
  });
}

export function envoyEndpointNode(parentId: string, e: EnvoyEndpoint, context: string): TreeNode {
  const addr = `${e.address}:${e.port}`;
  const healthy = e.health === 'HEALTHY';
  return node(`${parentId}/ep:${addr}`, 'envoy-endpoint', addr, {
    detail: `${e.health}${e.outlierFailed ? ' (outlier)' : ''}`, context, searchText: `${e.address} ${e.cluster}`,
    badges: withProblems({ healthy: healthy ? 1 : 0, total: 1 }, healthy ? undefined : [{ severity: 'warning', message: `endpoint ${addr} is ${e.health} in ${e.cluster}` }]),
  });
}

export function sumHealth(children: TreeNode[]): { healthy: number; total: number } {
  let healthy = 0;
  let total = 0;
  for (const c of children) {
    healthy += c.badges.healthy ?? 0;
    total += c.badges.total ?? 0;
  }
  return { healthy, total };
}

export function danglingNode(parentId: string, reason: string, context?: string, severity: Problem['severity'] = 'error'): TreeNode {
  return node(`${parentId}/dangling:${reason}`, 'dangling', reason, {
    dangling: reason, context, badges: { problems: [{ severity, message: reason }] },
  });
}
