// Where `t` starts a trace from a tree node, and what it pre-fills (pure). A pod starts at its sidecar; a Gateway or
// a gateway Service at the gateway; a plain Service, a VirtualService, a route rule or a destination at a client pod
// of the mesh: a sidecar whose Envoy already routes there (one that runs the rule's route first), else a sidecar pod
// of the same namespace, else of the context. A rule pre-fills its first match (path, method, headers, port).
import type { Mesh } from '../mesh/join.js';
import type { PodModel, ProxyModel, RuleModel, ServiceModel, VirtualServiceModel } from '../mesh/objects.js';
import type { TreeNode } from '../mesh/tree-types.js';
import type { TraceSource } from './types.js';

export interface TraceStartChoice {
  context: string;
  from: TraceSource;
  /** Form fields to pre-fill (strings, as typed). */
  initial: { host?: string; port?: string; path?: string; method?: string; headers?: string };
  /** Why this start, shown in the form's title, e.g. "client pod default/productpage-v1-… (runs this rule's route)". */
  why?: string;
}

const podSource = (p: { namespace: string; name: string }): TraceSource => ({ kind: 'pod', namespace: p.namespace, name: p.name });

function podOf(p: PodModel): { namespace: string; name: string } {
  return { namespace: p.namespace ?? 'default', name: p.name };
}

/** Sidecar pods of a context (not gateways), those with an Envoy dump first, then by namespace and name. */
function clientPods(mesh: Mesh, context: string, exclude: Set<PodModel>): PodModel[] {
  const idx = mesh.context(context);
  if (!idx) return [];
  const score = (p: PodModel) => (p.proxy && !p.proxy.error ? 0 : 1);
  return idx.pods
    .filter((p) => p.hasSidecar && !exclude.has(p) && !(p.proxy?.isGateway))
    .sort((a, b) => score(a) - score(b) || (a.namespace ?? '').localeCompare(b.namespace ?? '') || a.name.localeCompare(b.name));
}

/** A client pod: one whose proxy satisfies `prefer`, else one in `namespace`, else any sidecar pod of the context. */
function pickClient(mesh: Mesh, context: string, namespace: string, exclude: Set<PodModel>, prefer?: (p: ProxyModel) => boolean): { pod: PodModel; why: string } | undefined {
  const pods = clientPods(mesh, context, exclude);
  const routed = prefer ? pods.find((p) => p.proxy && prefer(p.proxy)) : undefined;
  if (routed) return { pod: routed, why: 'its Envoy routes there' };
  const sameNs = pods.find((p) => p.namespace === namespace);
  if (sameNs) return { pod: sameNs, why: `a sidecar in ${namespace}` };
  return pods[0] ? { pod: pods[0], why: 'a sidecar of the context' } : undefined;
}

type Matcher = Record<string, unknown>;
const str = (v: unknown): string | undefined => {
  if (!v || typeof v !== 'object') return undefined;
  const m = v as Matcher;
  for (const k of ['exact', 'prefix']) if (typeof m[k] === 'string') return m[k] as string;
  return undefined;
};

/** The rule's first match as form fields: uri exact/prefix → path, method, exact/prefix headers, port. */
export function matchFields(rule: RuleModel): TraceStartChoice['initial'] {
  const spec = (rule.vs.loaded.obj.spec ?? {}) as Record<string, unknown>;
  const rules = spec[rule.protocol];
  const r = Array.isArray(rules) ? (rules[rule.index] as Matcher | undefined) : undefined;
  const match = Array.isArray(r?.match) ? (r!.match[0] as Matcher | undefined) : undefined;
  if (!match) return {};
  const out: TraceStartChoice['initial'] = {};
  const path = str(match.uri);
  if (path) out.path = path;
  const method = str(match.method);
  if (method) out.method = method;
  if (typeof match.port === 'number') out.port = String(match.port);
  const headers = match.headers && typeof match.headers === 'object' ? Object.entries(match.headers as Record<string, unknown>) : [];
  const pairs = headers.map(([k, v]) => [k, str(v)] as const).filter((x): x is readonly [string, string] => x[1] !== undefined);
  if (pairs.length) out.headers = pairs.map(([k, v]) => `${k}=${v}`).join(', ');
  return out;
}

/** A host as typed from the client's namespace: the short name in the same namespace, else the FQDN. */
function hostFor(fqdn: string, clientNamespace: string): string {
  const m = /^([^.]+)\.([^.]+)\.svc\.cluster\.local$/.exec(fqdn);
  if (m && m[2] === clientNamespace) return m[1]!;
  return fqdn;
}

function fromRule(mesh: Mesh, rule: RuleModel, why: string): TraceStartChoice | string {
  const vs = rule.vs;
  const context = vs.context;
  const host = vs.hosts.find((h) => !h.startsWith('*')) ?? vs.hosts[0];
  const fields = matchFields(rule);
  if (!vs.mesh) {
    const gw = vs.gateways.find((g) => g.gateway)?.gateway;
    if (!gw) return `VirtualService ${vs.namespace}/${vs.name} is bound to no loaded Gateway and not to mesh: nothing to trace from`;
    return { context, from: { kind: 'gateway', namespace: gw.namespace ?? 'default', name: gw.name }, initial: { host, ...fields }, why: `${why} at Gateway ${gw.namespace}/${gw.name}` };
  }
  const runsRule = (p: ProxyModel) => p.routes.some((r) => r.rule === rule);
  const client = pickClient(mesh, context, vs.namespace ?? 'default', new Set(rule.destinations.flatMap((d) => d.pods)), runsRule);
  if (!client) return `no sidecar pod in context ${context} to send the request from`;
  const ns = client.pod.namespace ?? 'default';
  return {
    context, from: podSource(podOf(client.pod)),
    initial: { host: host ? hostFor(host, ns) : undefined, ...fields },
    why: `${why} (client pod: ${client.why})`,
  };
}

function fromService(mesh: Mesh, svc: ServiceModel): TraceStartChoice | string {
  const context = svc.context;
  if (svc.isGateway) return { context, from: { kind: 'gateway', namespace: svc.namespace ?? 'default', name: svc.name }, initial: {} };
  const routesThere = (p: ProxyModel) => [...p.clustersByName.keys()].some((c) => c.endsWith(`|${svc.host}`));
  const client = pickClient(mesh, context, svc.namespace ?? 'default', new Set(svc.pods), routesThere);
  if (!client) return `Service ${svc.namespace}/${svc.name} is not a gateway, and context ${context} has no other sidecar pod to send the request from`;
  const ns = client.pod.namespace ?? 'default';
  const port = svc.ports[0]?.port;
  return {
    context, from: podSource(podOf(client.pod)),
    initial: { host: hostFor(svc.host, ns), port: svc.ports.length > 1 && port !== undefined ? String(port) : undefined },
    why: `to Service ${svc.namespace}/${svc.name} (client pod: ${client.why})`,
  };
}

/** The trace start for a node `t` was pressed on, or why there is none; undefined for kinds `t` does not handle. */
export function traceStartFor(mesh: Mesh, node: TreeNode | undefined): TraceStartChoice | string | undefined {
  if (!node) return undefined;
  const ref = node.ref;
  if (node.kind === 'rule') {
    const rule = mesh.rule(node.id);
    if (rule) return fromRule(mesh, rule, `rule ${rule.path}`);
  }
  if (node.kind === 'destination' || node.kind === 'mirror') {
    const dest = mesh.destination(node.id);
    if (dest) return fromRule(mesh, dest.rule, `rule ${dest.rule.path} (destination ${dest.host}${dest.subset ? ` ${dest.subset}` : ''})`);
  }
  if (!ref) return undefined;
  const obj = mesh.object(`${ref.context}/${ref.kind}/${ref.namespace ?? ''}/${ref.name}`);
  if (ref.kind === 'Service' && obj) return fromService(mesh, obj as ServiceModel);
  if (ref.kind === 'VirtualService' && obj) {
    const vs = obj as VirtualServiceModel;
    const rule = vs.rules[0];
    if (!rule) return `VirtualService ${vs.namespace}/${vs.name} has no rules`;
    return fromRule(mesh, rule, `VirtualService ${vs.namespace}/${vs.name}`);
  }
  if (ref.kind === 'Pod' && ref.namespace) return { context: ref.context, from: podSource({ namespace: ref.namespace, name: ref.name }), initial: {} };
  if (ref.kind === 'Gateway' && ref.namespace) return { context: ref.context, from: { kind: 'gateway', namespace: ref.namespace, name: ref.name }, initial: {} };
  return undefined;
}
