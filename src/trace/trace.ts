// traceRequest: intent and Envoy walks for one proxy, their disagreements, then the same for every cross-cluster hop.
import type { Mesh } from '../mesh/join.js';
import { walkEnvoy } from './envoy.js';
import { walkWaypointEnvoy, waypointIntent } from './envoy-waypoint.js';
import { walkGatewayIntent, walkSidecarIntent } from './intent.js';
import { hopKey, type HopTarget } from './intent-dest.js';
import { compareIntentEnvoy } from './compare.js';
import { walkSecurity } from './security.js';
import { gatewayApiAsTrace } from './gateway-api-as-trace.js';
import { Recorder } from './recorder.js';
import { gatewaySourceForService, resolveSource, type ResolvedSource } from './source.js';
import { isGlobalHost } from '../mesh/hosts.js';
import { traceFromAmbientPod, traceToAmbientService, type ProxySegmentRunner } from './ambient.js';
import { TraceInputError, type StepKind, type Trace, type TraceRequest, type TraceSegment } from './types.js';

export interface TraceOptions {
  /** Cross-cluster hops followed at most (default 4). */
  maxDepth?: number;
}

/** ✗ on these kinds means the request fails (✗ on rules, routes, servers, VirtualServices only explains a choice). */
const FAILING: ReadonlySet<StepKind> = new Set<StepKind>([
  'source', 'host', 'destination', 'subset', 'pods', 'endpoints', 'hop', 'listener', 'filter-chain', 'route-config',
  'virtual-host', 'cluster', 'envoy-endpoints', 'disagreement', 'mtls', 'authz', 'rbac',
]);

/**
 * Simulates `request` from a sidecar or gateway: intent (CRDs) and reality (that proxy's Envoy config), where they
 * part, and the continuation in each other loaded context the request hops into. Pure; throws TraceInputError for an
 * unknown context, pod or gateway.
 */
export function traceRequest(mesh: Mesh, request: TraceRequest, opts: TraceOptions = {}): Trace {
  const src = resolveSource(mesh, request.context, request.from);
  const trace: Trace = { request, segments: [], steps: [], disagreements: [], ok: true };
  const run: ProxySegmentRunner = (s, r, depth, parent, via) => {
    const i = trace.segments.length;
    runSegment(mesh, trace, s, r, depth, parent, via, new Set(), opts.maxDepth ?? 4);
    return i;
  };
  if (!traceFromAmbientPod(mesh, trace, src, request, run)) {
    runSegment(mesh, trace, src, request, 0, undefined, undefined, new Set(), opts.maxDepth ?? 4);
    traceToAmbientService(mesh, trace, src, request);
  }
  trace.steps = trace.segments.flatMap((s) => s.steps);
  trace.disagreements = trace.steps.filter((s) => s.kind === 'disagreement');
  if (trace.steps.some((s) => !s.matched && FAILING.has(s.kind))) trace.ok = false;
  return trace;
}

function runSegment(
  mesh: Mesh, trace: Trace, src: ResolvedSource, req: TraceRequest, depth: number, parent: number | undefined,
  via: string | undefined, visited: Set<string>, maxDepth: number,
): void {
  const index = trace.segments.length;
  const proxy = src.proxy ? `${src.proxy.namespace}/${src.proxy.podName}` : undefined;
  const rec = new Recorder(src.ctx.name, depth, index, proxy);
  const seg: TraceSegment = { index, depth, context: src.ctx.name, title: src.label, request: req, steps: rec.steps };
  if (parent !== undefined) seg.parent = parent;
  if (via) seg.via = via;
  if (proxy) seg.proxy = proxy;
  trace.segments.push(seg);
  const intent = src.kind === 'sidecar'
    ? walkSidecarIntent(src, req, mesh.contexts, rec)
    : walkGatewayIntent(src, req, mesh.contexts, rec);
  if (src.waypoint) waypointIntent(intent, src.waypoint.served, rec);
  const envoy = src.waypoint ? walkWaypointEnvoy(src, intent, mesh.contexts, rec) : walkEnvoy(src, intent, mesh.contexts, rec);
  compareIntentEnvoy(intent, envoy, src.ctx, rec);
  walkSecurity(src, req, intent, mesh.contexts, rec);
  if (intent.stopped || (envoy.stopped && envoy.stopped !== 'no dump')) trace.ok = false;

  const hops = new Map<string, { hop: HopTarget; intent: boolean; envoy: boolean }>();
  const key = (h: HopTarget): string => (isGlobalHost(h.host) ? hopKey(h) : hopKey({ ...h, sni: undefined }));
  for (const h of intent.hops) {
    const k = key(h);
    const e = hops.get(k);
    if (e) e.intent = true; else hops.set(k, { hop: h, intent: true, envoy: false });
  }
  for (const h of envoy.hops) {
    const k = key(h);
    const e = hops.get(k);
    if (e) e.envoy = true; else hops.set(k, { hop: h, intent: false, envoy: true });
  }
  for (const [k, { hop, intent: i, envoy: e }] of hops) {
    const ctx = mesh.context(hop.context);
    if (!ctx || visited.has(k)) continue;
    if (depth + 1 > maxDepth) {
      rec.add('intent', 'note', `→ ${hop.context}`, true, `not followed: more than ${maxDepth} hops`);
      continue;
    }
    const next = gatewaySourceForService(ctx, hop.gatewayService);
    const nreq: TraceRequest = {
      ...req, context: hop.context, from: { kind: 'gateway', namespace: hop.gatewayService.namespace, name: hop.gatewayService.name },
      host: hop.host, port: hop.port,
    };
    if (hop.sni) nreq.sni = hop.sni; else delete nreq.sni;
    const sides = i && e ? 'intent and Envoy' : i ? 'intent only' : 'Envoy only';
    const v = `${hop.address}:${hop.port}${hop.sni ? ` SNI ${hop.sni}` : ''} for ${hop.label} (${sides})`;
    runSegment(mesh, trace, next, nreq, depth + 1, index, v, new Set([...visited, k]), maxDepth);
  }
}

/** traceRequest, with bad input (unknown pod, gateway, context) returned as a message: for the TUI's trace form. */
export function traceOrMessage(mesh: Mesh, request: TraceRequest, opts: TraceOptions = {}): Trace | string {
  try {
    return gatewayApiAsTrace(mesh, request) ?? traceRequest(mesh, request, opts);
  } catch (err) {
    if (err instanceof TraceInputError) return err.message;
    throw err;
  }
}
