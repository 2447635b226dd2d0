// Ambient mode in a trace. From an ambient pod (no sidecar): the source ztunnel (capture, L4 policy, the waypoint it
// picks) → the waypoint's Envoy (its L7 routes: which VirtualService rule, which backend; intent against the
// waypoint's config dump, like any proxy) → the destination ztunnel of each backend pod → the workload. From a
// sidecar pod to an ambient service: the sidecar's own walk, then the destination's waypoint and ztunnels.
// Intent is read from labels and CRDs, reality from the ztunnel config dumps.
import type { Mesh } from '../mesh/join.js';
import type { ContextIndex } from '../mesh/indexes.js';
import type { PodModel, ServiceModel } from '../mesh/objects.js';
import { ambientOfSnapshot, type AmbientContext, type ServiceEnrollment } from '../mesh/ambient.js';
import { serviceHost } from '../mesh/hosts.js';
import { parseZtunnelDump } from '../model/ztunnel/parse.js';
import type { ZPolicy } from '../model/ztunnel/types.js';
import { Recorder, listSome } from './recorder.js';
import type { ResolvedSource } from './source.js';
import type { Trace, TraceRequest, TraceSegment } from './types.js';

/** Runs one proxy segment (the trace's own walk: intent, Envoy, their comparison); returns its index. */
export type ProxySegmentRunner = (src: ResolvedSource, req: TraceRequest, depth: number, parent: number | undefined, via: string) => number;

const isAmbient = (m: string | undefined) => m === 'ambient' || m === 'ambient-waypoint';

function segment(trace: Trace, ctx: string, depth: number, title: string, req: TraceRequest, proxy: string | undefined, parent?: number, via?: string): { seg: TraceSegment; rec: Recorder } {
  const index = trace.segments.length;
  const rec = new Recorder(ctx, depth, index, proxy);
  const seg: TraceSegment = { index, depth, context: ctx, title, request: req, steps: rec.steps };
  if (proxy) seg.proxy = proxy;
  if (parent !== undefined) seg.parent = parent;
  if (via) seg.via = via;
  trace.segments.push(seg);
  return { seg, rec };
}

function targetService(ctx: ContextIndex, host: string, ns: string): ServiceModel | undefined {
  const entry = ctx.hosts.resolve(host, ns).entries[0]?.value;
  return entry && entry.kind === 'Service' ? (entry as ServiceModel) : undefined;
}

/** The ztunnel policies that apply to a workload in `ns` (mesh-wide, namespace, or named on the workload). */
function policiesFor(a: AmbientContext, ctx: ContextIndex, ztunnelPod: string | undefined, ns: string, podNames: string[]): ZPolicy[] {
  const dump = ctx.snapshot.ztunnels?.find((z) => z.pod === ztunnelPod && z.configDump !== undefined);
  if (!dump) return [];
  let d;
  try { d = parseZtunnelDump(dump.configDump, dump.pod); } catch { return []; }
  const named = new Set(d.workloads.filter((w) => w.namespace === ns && podNames.includes(w.name)).flatMap((w) => w.authorizationPolicies ?? []));
  void a;
  return d.policies.filter((p) => p.scope === 'Global' || (p.scope === 'Namespace' && p.namespace === ns) || named.has(`${p.namespace}/${p.name}`));
}

function l4Policy(rec: Recorder, policies: ZPolicy[], where: string): void {
  if (policies.length === 0) { rec.add('envoy', 'note', 'L4 policy', true, `no ztunnel authorization policy applies ${where}`); return; }
  const deny = policies.filter((p) => p.action === 'Deny');
  const allow = policies.filter((p) => p.action === 'Allow');
  rec.add('envoy', 'note', 'L4 policy', true, `${listSome(policies.map((p) => `${p.action} ${p.namespace}/${p.name} (${p.scope})`))} apply ${where}${allow.length > 0 ? '; only requests an Allow rule matches pass' : ''}${deny.length > 0 ? '; Deny rules are checked first' : ''}`);
}

/** The waypoint serving a service: intent (labels) and reality (ztunnel), with a disagreement when they differ. */
function waypointStep(rec: Recorder, svc: ServiceEnrollment | undefined, host: string): string | undefined {
  const intent = svc?.waypoint && svc.waypointGateway ? `${svc.waypoint.namespace}/${svc.waypoint.name}` : undefined;
  if (svc?.waypoint && !svc.waypointGateway) rec.add('intent', 'hop', `waypoint ${svc.waypoint.namespace}/${svc.waypoint.name}`, false, `${svc.waypoint.object} names it, but no Gateway of class istio-waypoint ${svc.waypoint.namespace}/${svc.waypoint.name} exists`);
  else rec.add('intent', 'hop', intent ? `waypoint ${intent}` : 'no waypoint', true, intent ? `${svc!.waypoint!.object} (${svc!.waypoint!.path}) sends ${host} through it` : `no istio.io/use-waypoint applies to ${host}: ztunnel delivers it directly (L4 only)`);
  const real = svc?.ztunnel ? (svc.ztunnel.waypoint ? `${svc.namespace}/${svc.ztunnel.waypoint}` : undefined) : intent;
  if (svc?.ztunnel) rec.add('envoy', 'hop', real ? `waypoint ${real}` : 'no waypoint', true, `ztunnel ${svc.ztunnel.ztunnelPod} ${real ? `sends ${host} to waypoint ${real} over HBONE` : `has no waypoint for ${host}`}`);
  if (svc?.ztunnel && (real ?? '') !== (intent ?? '')) {
    rec.add('envoy', 'disagreement', `waypoint of ${host}`, false, `intent ${intent ? `uses waypoint ${intent}` : 'has no waypoint'}, ztunnel ${real ? `uses ${real}` : 'has none'}`);
  }
  return real ?? intent;
}

/** The destination ztunnels: each backend pod, the ztunnel on its node and what that ztunnel knows of it. */
function destinationSegment(trace: Trace, a: AmbientContext, ctx: ContextIndex, svc: ServiceModel, req: TraceRequest, depth: number, parent: number, via: string): void {
  const pods = svc.pods;
  const ztunnels = [...new Set(pods.map((p) => a.pods.get(`${p.namespace}/${p.name}`)?.ztunnelPod).filter((z): z is string => Boolean(z)))];
  const { rec } = segment(trace, ctx.name, depth, `ztunnel ${ztunnels.map((z) => `istio-system/${z}`).join(', ') || '(unknown)'} (destination)`, req, ztunnels[0] ? `istio-system/${ztunnels[0]}` : undefined, parent, via);
  rec.add('intent', 'pods', `${svc.namespace}/${svc.name}`, pods.length > 0, pods.length > 0 ? `${listSome(pods.map((p) => p.name))}` : 'no pod backs the service');
  for (const p of pods) {
    const e = a.pods.get(`${p.namespace}/${p.name}`);
    if (!e) continue;
    if (!a.hasZtunnelDump) { rec.add('envoy', 'note', p.name, true, 'no ztunnel config dump loaded'); continue; }
    if (!e.ztunnel) { rec.add('envoy', 'envoy-endpoints', p.name, false, `no ztunnel knows ${p.namespace}/${p.name}`); continue; }
    const ok = e.ztunnel.protocol === 'HBONE' || !isAmbient(e.mode);
    rec.add('envoy', 'envoy-endpoints', p.name, ok, `ztunnel ${e.ztunnelPod ?? e.ztunnel.ztunnelPod} on ${e.node || 'its node'} delivers to ${p.ip ?? '?'} (${e.ztunnel.protocol || '?'}, ${e.ztunnel.status || 'status unknown'})${ok ? '' : ': labelled ambient but not captured'}`);
  }
  l4Policy(rec, policiesFor(a, ctx, ztunnels[0], svc.namespace, pods.map((p) => p.name)), `to ${svc.namespace}/${svc.name}`);
}

function waypointSource(ctx: ContextIndex, a: AmbientContext, ref: string, client?: string): ResolvedSource | undefined {
  const w = a.waypoints.get(ref);
  const pods = (w?.pods ?? []).map((k) => ctx.podByName.get(k)).filter((p): p is PodModel => p !== undefined);
  const pod = pods.find((p) => p.proxy?.parsed) ?? pods[0];
  if (!pod) return undefined;
  const served = new Set((w?.services ?? []).map((k) => { const [ns, name] = k.split('/'); return serviceHost(name!, ns!); }));
  return { ctx, kind: 'sidecar', pod, pods: [pod], proxy: pod.proxy?.parsed ? pod.proxy : undefined, gateways: [], waypoint: { ref, served, ...(client ? { client } : {}) }, label: `waypoint ${ref} (pod ${pod.name})` };
}

/** A trace from an ambient pod. Returns false (and records nothing) when the source is not an ambient pod. */
export function traceFromAmbientPod(mesh: Mesh, trace: Trace, src: ResolvedSource, req: TraceRequest, run: ProxySegmentRunner): boolean {
  if (src.kind !== 'sidecar' || !src.pod || src.pod.hasSidecar) return false;
  const a = ambientOfSnapshot(src.ctx.snapshot);
  const e = a.pods.get(`${src.pod.namespace}/${src.pod.name}`);
  if (!e || !isAmbient(e.mode)) return false;
  const ctx = src.ctx;
  const z = e.ztunnelPod ?? e.ztunnel?.ztunnelPod;
  const { rec, seg } = segment(trace, ctx.name, 0, `ztunnel ${z ? `istio-system/${z}` : '(unknown)'} for ${e.namespace}/${e.name} (node ${e.node || '?'})`, req, z ? `istio-system/${z}` : undefined);
  rec.add('intent', 'source', `${e.namespace}/${e.name}`, true, `ambient (istio.io/dataplane-mode on ${e.object.obj.metadata.labels?.['istio.io/dataplane-mode'] === 'ambient' ? 'the pod' : `namespace ${e.namespace}`}), no sidecar: the ztunnel on node ${e.node || '?'} captures its traffic`);
  const svc = targetService(ctx, req.host, e.namespace);
  if (!svc) {
    rec.add('intent', 'host', req.host, false, `no Service ${req.host} seen from namespace ${e.namespace}`);
    trace.ok = false;
    return true;
  }
  rec.add('intent', 'host', svc.host, true, `Service ${svc.namespace}/${svc.name}${svc.addresses.length ? ` (${svc.addresses.join(',')})` : ''}`);
  const se = a.services.get(`${svc.namespace}/${svc.name}`);
  if (a.hasZtunnelDump) {
    if (!e.ztunnel) rec.add('envoy', 'source', `${e.namespace}/${e.name}`, false, 'no ztunnel knows this pod: its traffic is not captured');
    else rec.add('envoy', 'source', `${e.namespace}/${e.name}`, e.ztunnel.protocol === 'HBONE', `ztunnel ${e.ztunnel.ztunnelPod} knows it (${e.ztunnel.protocol}, service account ${e.ztunnel.serviceAccount})${e.ztunnel.protocol === 'HBONE' ? '' : ': not captured'}`);
  } else rec.add('envoy', 'note', 'ztunnel', true, 'no ztunnel config dump loaded: reality not checked');
  rec.add('envoy', 'note', 'L4 policy', true, 'the source ztunnel checks no policy on the way out: the ztunnel in front of each destination pod applies L4 AuthorizationPolicies (below), a waypoint L7 ones');
  const waypoint = waypointStep(rec, se, svc.host);
  const sa = e.ztunnel?.serviceAccount || (src.pod.loaded.obj.spec as { serviceAccountName?: string } | undefined)?.serviceAccountName || 'default';
  const wsrc = waypoint ? waypointSource(ctx, a, waypoint, `cluster.local/ns/${e.namespace}/sa/${sa}`) : undefined;
  if (waypoint && !wsrc) rec.add('intent', 'hop', `waypoint ${waypoint}`, false, 'no waypoint pod runs it');
  if (wsrc) {
    const w = run(wsrc, req, 1, seg.index, `HBONE ${wsrc.pod?.ip ?? '?'}:15008 from ztunnel ${z ?? '?'}`);
    destinationSegment(trace, a, ctx, svc, req, 2, w, `HBONE from waypoint ${waypoint}`);
  } else {
    destinationSegment(trace, a, ctx, svc, req, 1, seg.index, `HBONE from ztunnel ${z ?? '?'}`);
  }
  return true;
}

/** After a sidecar's walk to an ambient service: its waypoint and destination ztunnels. */
export function traceToAmbientService(mesh: Mesh, trace: Trace, src: ResolvedSource, req: TraceRequest): void {
  if (src.kind !== 'sidecar' || !src.pod || trace.segments.length === 0) return;
  const a = ambientOfSnapshot(src.ctx.snapshot);
  const svc = targetService(src.ctx, req.host, src.pod.namespace);
  const se = svc ? a.services.get(`${svc.namespace}/${svc.name}`) : undefined;
  if (!svc || !se || !isAmbient(se.mode)) return;
  // Reality here is ztunnel's view of the service (its waypoint), read from that ztunnel's dump.
  const z = a.hasZtunnelDump ? se.ztunnel?.ztunnelPod : undefined;
  const { rec, seg } = segment(trace, src.ctx.name, 1, `ambient service ${svc.namespace}/${svc.name}`, req, z ? `istio-system/${z}` : undefined, 0, 'the sidecar\'s HBONE connection');
  // istiod gives sidecars the service's own endpoints, not its waypoint: a sidecar routes itself and goes around it.
  rec.add('intent', 'note', `${svc.namespace}/${svc.name}`, true, `the service runs in ambient mode (${se.mode}): the sidecar applies the route itself and opens HBONE to the pods, whose ztunnel delivers${se.mode === 'ambient-waypoint' ? '; sidecars do not use the service\'s waypoint' : ''}`);
  const waypoint = waypointStep(rec, se, svc.host);
  if (waypoint && src.proxy) sidecarBypass(rec, trace, a, src, waypoint);
  destinationSegment(trace, a, src.ctx, svc, req, 2, seg.index, 'HBONE');
  void mesh;
}

/**
 * Reality on the sidecar's side: its Envoy's endpoints for the request are the pods themselves (the waypoint, and its
 * L7 policy, is not on a sidecar's path), or the waypoint (a proxy built to use it).
 */
function sidecarBypass(rec: Recorder, trace: Trace, a: AmbientContext, src: ResolvedSource, waypoint: string): void {
  const sent = trace.segments[0]!.steps.filter((s) => s.side === 'envoy' && s.kind === 'envoy-endpoints')
    .flatMap((s) => ((s.details?.endpoints ?? []) as { address?: string }[]).map((e) => e.address ?? ''));
  if (sent.length === 0) return;
  const wpIps = new Set((a.waypoints.get(waypoint)?.pods ?? []).map((k) => src.ctx.podByName.get(k)?.ip).filter(Boolean));
  if (sent.some((ip) => wpIps.has(ip))) {
    rec.add('envoy', 'note', `sidecar ${src.pod!.namespace}/${src.pod!.name}`, true, `its Envoy sends to waypoint ${waypoint}, which applies its L7 routes and policy`);
    return;
  }
  rec.add('envoy', 'note', `sidecar ${src.pod!.namespace}/${src.pod!.name}`, true,
    `its Envoy applies the route itself and sends to the pods (${listSome([...new Set(sent)])}), around waypoint ${waypoint}: the waypoint's L7 AuthorizationPolicies do not see this request`);
}
