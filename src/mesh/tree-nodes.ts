// Small node builders shared by the tree files.
import type { Badges, NodeKind, Problem, TreeNode } from './tree-types.js';
import type { EndpointModel, MeshObject, PodModel } from './model.js';
import type { EnvoyEndpoint } from '../model/envoy/types.js';

/** Fixed-shape node (one hidden class for every node keeps 100k+ trees small and fast). */
class Node implements TreeNode {
  detail: string | undefined = undefined;
  context: string | undefined = undefined;
  badges: Badges = {};
  children: TreeNode[] = [];
  ref: TreeNode['ref'] = undefined;
  linkTo: string | undefined = undefined;
  dangling: string | undefined = undefined;
  searchText: string | undefined = undefined;
  constructor(public id: string, public kind: NodeKind, public label: string) {}
}

/** Flattens a concatenated (rope) string in place: ids and details are long-lived, ropes of them cost ~1.5×. */
export function flat(s: string): string {
  s.charCodeAt(0);
  return s;
}

export function node(id: string, kind: NodeKind, label: string, extra?: Partial<TreeNode>): TreeNode {
  const n = new Node(flat(id), kind, label);
  if (extra) {
    if (extra.detail !== undefined) n.detail = flat(extra.detail);
    if (extra.context !== undefined) n.context = extra.context;
    if (extra.badges !== undefined) n.badges = extra.badges;
    if (extra.children !== undefined) n.children = extra.children;
    if (extra.ref !== undefined) n.ref = extra.ref;
    if (extra.linkTo !== undefined) n.linkTo = extra.linkTo;
    if (extra.dangling !== undefined) n.dangling = extra.dangling;
    if (extra.searchText !== undefined) n.searchText = extra.searchText;
    if (extra.label !== undefined) n.label = extra.label;
    if (extra.kind !== undefined) n.kind = extra.kind;
    if (extra.id !== undefined) n.id = flat(extra.id);
  }
  return n;
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

const podText = new WeakMap<PodModel, { detail: string; search: string }>();

function podStrings(p: PodModel): { detail: string; search: string } {
  let t = podText.get(p);
  if (!t) {
    t = { detail: `${p.ip ?? 'no IP'}${p.ready ? '' : ' not ready'}`, search: `${p.ip ?? ''} ${labelsText(p.labels)}` };
    podText.set(p, t);
  }
  return t;
}

export function workloadId(p: PodModel): string {
  return `${p.context}/Workload/${p.namespace}/${p.workload}`;
}

/**
 * Pods grouped by workload under another node (a Service, a DR subset): one link per workload, to the Workload
 * node, with ready/total pods. Keeps big meshes' trees small; the pods themselves live under Workloads.
 */
export function workloadLinks(parentId: string, pods: PodModel[]): TreeNode[] {
  const groups = new Map<string, PodModel[]>();
  for (const p of pods) {
    const l = groups.get(p.workload);
    if (l) l.push(p); else groups.set(p.workload, [p]);
  }
  const out: TreeNode[] = [];
  for (const [name, list] of groups) {
    const first = list[0]!;
    let ready = 0;
    let search = '';
    for (const p of list) {
      if (p.ready) ready++;
      search += `${p.name} ${p.ip ?? ''} `;
    }
    out.push(node(`${parentId}/workload:${first.namespace}/${name}`, 'Workload', name, {
      detail: `${list.length} pod${list.length === 1 ? '' : 's'}`, context: first.context, linkTo: workloadId(first),
      badges: { healthy: ready, total: list.length }, searchText: search,
    }));
  }
  return out;
}

/** A pod under another node (subset, Service, Gateway...): links to the pod's own node under Workloads. */
export function podLink(parentId: string, p: PodModel, endpoints?: EndpointModel[], crossContext = false): TreeNode {
  const t = podStrings(p);
  const n = node(`${parentId}/pod:${p.namespace}/${p.name}`, 'Pod', p.name, {
    detail: crossContext ? `${t.detail} (${p.context})` : t.detail,
    badges: { healthy: p.ready ? 1 : 0, total: 1 },
    searchText: t.search, linkTo: p.id, context: p.context, ref: p.ref,
  });
  if (endpoints) for (const e of endpoints) n.children.push(endpointNode(n.id, e, p.context));
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
