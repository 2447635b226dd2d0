// The Envoy side of a Gateway API trace: the request walked through the config dump of the pod Istio deployed for the
// Gateway (labelled gateway.networking.k8s.io/gateway-name), or of the client pod's sidecar for a mesh route (its
// outbound listener and route config for the Service), then compared with the intent: the generated VirtualService
// the route came from, the clusters and their shares, or the direct 500 / 404. Pure.
import type { Mesh } from '../mesh/join.js';
import type { ContextIndex } from '../mesh/indexes.js';
import { remoteEndpoint } from '../mesh/join-cross-service.js';
import { parseClusterName } from '../mesh/join-envoy.js';
import type { PodModel, ServiceModel } from '../mesh/objects.js';
import { GATEWAY_NAME_LABEL } from '../mesh/authz/select.js';
import type { EnvoyEndpoint } from '../model/envoy/types.js';
import { shares, USABLE, walkEnvoy } from './envoy.js';
import type { IntentResult } from './intent.js';
import { listSome, Recorder } from './recorder.js';
import { requestView, resolveSource, type ResolvedSource } from './source.js';
import type { GatewayApiIntent, GatewayApiStep, GatewayApiTrace } from './gateway-api.js';
import { TraceInputError, type TraceRequest } from './types.js';

export interface GatewayApiEnvoy {
  /** `ns/pod` of the proxy whose config was read. */
  proxy: string;
  /** The Gateway's pod, or the client pod's sidecar (mesh routes). */
  role: 'gateway' | 'sidecar';
  steps: GatewayApiStep[];
  /** Clusters Envoy sends to, with their share in percent. */
  clusters: { name: string; weight: number }[];
  /** Where intent and Envoy part; empty when they agree. */
  disagreements: string[];
  /** Why reality was not checked (no config dump of the proxy). */
  unchecked?: string;
  /** The pods the clusters' endpoints reach, in this context and (multi-cluster) in the others. */
  pods: GatewayApiPod[];
}

export interface GatewayApiPod {
  cluster: string;
  context: string;
  namespace: string;
  name: string;
  /** `ns/name` of the other context's gateway the endpoint is (another network). */
  via?: string;
}



function compare(intent: GatewayApiIntent, stopped: string | undefined, action: string | undefined, status: number | undefined, vs: string | undefined, clusters: { name: string; weight: number }[]): string[] {
  const out: string[] = [];
  const intentVss = (intent.virtualService ?? '').split(',').filter(Boolean);
  if (vs && intentVss.length && !intentVss.some((v) => { const [ns, name] = v.split('/'); return vs === `${name}.${ns}`; })) {
    out.push(`Envoy's route comes from VirtualService ${vs}, intent uses ${intentVss.join(', ')}`);
  }
  if (intent.verdict === 'no-route') {
    if (!stopped) out.push(`intent finds no route (404), but Envoy ${action === 'route' ? `routes to ${clusters.map((c) => c.name).join(', ')}` : `answers with ${action}`}`);
    return out;
  }
  if (intent.verdict === 'error' || intent.verdict === 'direct-response') {
    if (action !== 'direct_response' || (intent.status !== null && status !== intent.status)) out.push(`intent answers ${intent.status}, Envoy ${stopped ? `stops (${stopped})` : action === 'direct_response' ? `answers ${status}` : `does ${action}`}`);
    return out;
  }
  if (intent.verdict === 'redirect') {
    if (action !== 'redirect') out.push(`intent redirects, Envoy ${stopped ? `stops (${stopped})` : `does ${action}`}`);
    return out;
  }
  if (stopped) return [...out, `intent routes to ${intent.destinations.map((d) => d.host).join(', ')}, but Envoy stops (${stopped})`];
  const pct = shares(intent.destinations.map((d) => d.weight));
  const want = new Map(intent.destinations.map((d, i) => [`outbound|${d.port ?? ''}||${d.host}`, pct[i]!]));
  const have = new Map(clusters.map((c) => [c.name, c.weight]));
  for (const name of new Set([...want.keys(), ...have.keys()])) {
    const w = want.get(name);
    const h = have.get(name);
    if (w === undefined) out.push(`Envoy sends ${h}% to ${name}, which intent does not name`);
    else if (h === undefined) out.push(`intent sends ${w}% to ${name}, which the Envoy route does not name`);
    else if (Math.abs(w - h) > 0.5) out.push(`${name}: intent ${w}%, Envoy ${h}%`);
  }
  return out;
}

/** The request through `src`'s Envoy, compared with the intent. */
function walkAndCompare(mesh: Mesh, src: ResolvedSource, req: TraceRequest, intent: GatewayApiIntent, port: number, destinationIp?: string): GatewayApiEnvoy {
  const pod = src.pod!;
  const stub: IntentResult = { protocol: 'http', port, destinationIp, view: requestView(req, src, port), virtualServices: [], defaultRoute: false, destinations: [], hops: [] };
  const proxy = `${pod.namespace}/${pod.name}`;
  const role = src.kind;
  const rec = new Recorder(src.ctx.name, 0, 0, proxy);
  const envoy = walkEnvoy(src, stub, mesh.contexts, rec);
  const steps = rec.steps.map((s) => ({ kind: s.kind, name: s.name, matched: s.matched, reason: s.reason }));
  const clusters = envoy.clusters.map((c) => ({ name: c.name, weight: c.weight }));
  if (envoy.stopped === 'no dump') return { proxy, role, steps, clusters, disagreements: [], unchecked: `no Envoy config dump of ${proxy}`, pods: [] };
  const reached: GatewayApiPod[] = [];
  for (const c of envoy.clusters) if (c.weight > 0) reached.push(...podsOfCluster(src.ctx, c.name, c.endpoints, steps));
  const status = envoy.route?.raw?.direct_response?.status ?? envoy.route?.raw?.directResponse?.status;
  const disagreements = compare(intent, envoy.stopped, envoy.route?.action, typeof status === 'number' ? status : undefined, envoy.route?.virtualService || undefined, clusters);
  return { proxy, role, steps, clusters, disagreements, pods: reached };
}

/** The Envoy walk of the Gateway's pod and its comparison with the intent; undefined when no such pod is loaded. */
export function gatewayApiEnvoy(mesh: Mesh, req: TraceRequest, intent: GatewayApiIntent): GatewayApiEnvoy | undefined {
  const ctx = mesh.context(req.context);
  if (!ctx) return undefined;
  const pods = ctx.podsIn(req.from.namespace).filter((p) => p.labels[GATEWAY_NAME_LABEL] === req.from.name);
  const pod = pods.find((p) => p.proxy?.parsed) ?? pods[0];
  if (!pod) return undefined;
  const service = ctx.services.find((s) => s.pods.includes(pod));
  const src: ResolvedSource = {
    ctx, kind: 'gateway', pod, pods, proxy: pod.proxy?.parsed ? pod.proxy : undefined, gateways: [], label: `gateway ${pod.namespace}/${pod.name}`,
    ...(service ? { service } : {}),
  };
  return walkAndCompare(mesh, src, req, intent, req.port ?? 80);
}

/**
 * A mesh route traced from a client pod: the pod's sidecar Envoy (its outbound listener for the Service's address
 * and port, the route config, the virtual host of the Service) compared with the mesh route's intent. Undefined when
 * the pod is not loaded, runs no sidecar, or the trace names no Service.
 */
export function gatewayApiMeshEnvoy(mesh: Mesh, req: TraceRequest, trace: GatewayApiTrace): GatewayApiEnvoy | undefined {
  if (!trace.target) return undefined;
  let src: ResolvedSource;
  try {
    src = resolveSource(mesh, req.context, req.from);
  } catch (err) {
    if (err instanceof TraceInputError) return undefined;
    throw err;
  }
  if (src.kind !== 'sidecar' || !src.pod?.hasSidecar) return undefined;
  const { host, port } = trace.target;
  const svc = src.ctx.services.find((s) => s.host === host);
  return walkAndCompare(mesh, src, req, trace.intent, port, svc?.addresses[0]);
}

/**
 * The pods a cluster's endpoints are: local pods, pods of another loaded context (one network), or the other
 * context's gateway (another network), which forwards to the pods of the same Service there. One step per cluster.
 */
function podsOfCluster(ctx: ContextIndex, cluster: string, endpoints: EnvoyEndpoint[], steps: GatewayApiStep[]): GatewayApiPod[] {
  const out: GatewayApiPod[] = [];
  const seen = new Set<string>();
  const add = (context: string, p: PodModel, via?: ServiceModel) => {
    const k = `${context}/${p.namespace}/${p.name}`;
    if (seen.has(k)) return;
    seen.add(k);
    out.push({ cluster, context, namespace: p.namespace, name: p.name, ...(via ? { via: `${via.namespace}/${via.name}` } : {}) });
  };
  const fqdn = parseClusterName(cluster)?.fqdn ?? '';
  const m = /^([^.]+)\.([^.]+)\.svc\./.exec(fqdn);
  for (const e of endpoints) {
    if (!USABLE.has(e.health) || e.outlierFailed) continue;
    const local = ctx.podByIp.get(e.address);
    if (local) { add(ctx.name, local); continue; }
    const to = remoteEndpoint(ctx, e);
    if (to?.pod) add(to.context, to.pod);
    else if (to?.gateway && m) {
      const svc = ctx.peers.find((c) => c.name === to.context)?.serviceNamed(m[2]!, m[1]!);
      for (const p of svc?.pods ?? []) if (p.ready) add(to.context, p, to.gateway);
    }
  }
  if (out.length > 0) {
    const byContext = new Map<string, string[]>();
    for (const p of out) byContext.set(p.context, [...(byContext.get(p.context) ?? []), `${p.name}${p.via ? ` (via gateway ${p.via})` : ''}`]);
    steps.push({ kind: 'pods', name: cluster, matched: true, reason: [...byContext].map(([c, names]) => `${c}: ${listSome(names)}`).join('; ') });
  }
  return out;
}
