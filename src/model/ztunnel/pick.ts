// Which ztunnel answers a `zc` command, as istioctl ztunnel-config picks it: --node N → that node's ztunnel; a pod
// argument → that pod if it is a ztunnel, else the ztunnel on the workload's node (and the workload and connections
// views keep only that workload); nothing → any ztunnel (their mesh-wide views are the same), except for the
// per-node certificate and connections views.
import type { KubeObject } from '../resources.js';

export interface ZtunnelPick {
  /** The ztunnel pod to read. */
  pod: string;
  namespace: string;
  /** Set when the argument named a workload pod: the views it filters keep only it. */
  workload?: { name: string; namespace: string };
}

export class ZtunnelPickError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ZtunnelPickError';
  }
}

export interface PickInput {
  /** Pods of the context (at least the Istio namespace's, and the named workload's). */
  pods: KubeObject[];
  /** Ztunnel pods known only by name (snapshot dump folders with no Pod object). */
  dumpPods?: string[];
  podArg?: string;
  node?: string;
  namespaceFlag?: string;
  istioNamespace?: string;
  /** certificate and connections are per node. */
  perNode: boolean;
}

export function isZtunnelPod(pod: KubeObject): boolean {
  const app = pod.metadata.labels?.app;
  return app !== undefined ? app === 'ztunnel' : pod.metadata.name.startsWith('ztunnel');
}

const nodeOf = (p: KubeObject) => (p.spec?.nodeName as string | undefined) ?? '';

interface PodStatus { phase?: string; conditions?: { type: string; status: string; lastTransitionTime?: string }[]; containerStatuses?: { restartCount?: number }[] }

/** kubectl's "best pod" order (ActivePods for logs): scheduled, Running > Unknown > Pending, ready, ready longer, more restarts, older. */
export function bestPodFirst(a: KubeObject, b: KubeObject): number {
  const sa = (a.status ?? {}) as PodStatus;
  const sb = (b.status ?? {}) as PodStatus;
  const scheduled = (p: KubeObject) => (nodeOf(p) !== '' ? 0 : 1);
  if (scheduled(a) !== scheduled(b)) return scheduled(a) - scheduled(b);
  const phase = (s: PodStatus) => ({ Running: 0, Unknown: 1, Pending: 2 } as Record<string, number>)[s.phase ?? ''] ?? 3;
  if (phase(sa) !== phase(sb)) return phase(sa) - phase(sb);
  const ready = (s: PodStatus) => s.conditions?.find((c) => c.type === 'Ready' && c.status === 'True');
  const ra = ready(sa);
  const rb = ready(sb);
  if (Boolean(ra) !== Boolean(rb)) return ra ? -1 : 1;
  if (ra && rb && ra.lastTransitionTime !== rb.lastTransitionTime) return (ra.lastTransitionTime ?? '') < (rb.lastTransitionTime ?? '') ? -1 : 1;
  const restarts = (s: PodStatus) => (s.containerStatuses ?? []).reduce((n, c) => n + (c.restartCount ?? 0), 0);
  if (restarts(sa) !== restarts(sb)) return restarts(sb) - restarts(sa);
  const created = (p: KubeObject) => p.metadata.creationTimestamp ?? '';
  return created(a) < created(b) ? -1 : created(a) > created(b) ? 1 : a.metadata.name < b.metadata.name ? -1 : 1;
}

/** `name[.namespace]` or `type/name[.namespace]`. */
function podRef(arg: string, defaultNs: string): { type?: string; name: string; namespace: string } {
  let rest = arg;
  let type: string | undefined;
  const slash = rest.indexOf('/');
  if (slash >= 0) { type = rest.slice(0, slash).toLowerCase(); rest = rest.slice(slash + 1); }
  const dot = rest.lastIndexOf('.');
  return dot > 0 ? { type, name: rest.slice(0, dot), namespace: rest.slice(dot + 1) } : { type, name: rest, namespace: defaultNs };
}

export function pickZtunnel(input: PickInput): ZtunnelPick {
  const istioNs = input.istioNamespace || 'istio-system';
  const ztunnels = input.pods.filter((p) => (p.metadata.namespace ?? '') === istioNs && isZtunnelPod(p)).sort(bestPodFirst);
  const known = ztunnels.map((p) => p.metadata.name);
  for (const name of input.dumpPods ?? []) if (!known.includes(name)) known.push(name);
  const onNode = (node: string, why: string): ZtunnelPick => {
    const found = ztunnels.find((p) => nodeOf(p) === node);
    if (!found) throw new ZtunnelPickError(`no ztunnel pod runs on node ${node}${why}${ztunnels.length ? ` (ztunnels: ${ztunnels.map((p) => `${p.metadata.name} on ${nodeOf(p) || 'no node'}`).join(', ')})` : ''}`);
    return { pod: found.metadata.name, namespace: istioNs };
  };
  if (input.node) return onNode(input.node, '');
  if (input.podArg) {
    const ref = podRef(input.podArg, input.namespaceFlag || istioNs);
    if (ref.type && ref.type !== 'pod' && ref.type !== 'po' && ref.type !== 'pods') {
      if (known.length === 0) throw new ZtunnelPickError(`no ztunnel pods found for ${input.podArg} in namespace ${istioNs}`);
      return { pod: known[0], namespace: istioNs };
    }
    const pod = input.pods.find((p) => p.metadata.name === ref.name && (p.metadata.namespace ?? '') === ref.namespace);
    if (!pod) {
      if (known.includes(ref.name) && ref.namespace === istioNs) return { pod: ref.name, namespace: istioNs };
      throw new ZtunnelPickError(`pod ${ref.name}.${ref.namespace} not found`);
    }
    if (isZtunnelPod(pod)) return { pod: pod.metadata.name, namespace: ref.namespace };
    const node = nodeOf(pod);
    if (!node) throw new ZtunnelPickError(`pod ${ref.name}.${ref.namespace} is not scheduled on a node, so no ztunnel serves it`);
    return { ...onNode(node, ` (the node of pod ${ref.name}.${ref.namespace})`), workload: { name: ref.name, namespace: ref.namespace } };
  }
  if (known.length === 0) throw new ZtunnelPickError(`no ztunnel pods found in namespace ${istioNs}`);
  if (input.perNode && known.length > 1) throw new ZtunnelPickError('ztunnel pod name or --node must be set');
  return { pod: known[0], namespace: istioNs };
}
