// Where a trace starts (a sidecar pod or a gateway), the request as matchers see it, and port/protocol helpers.
import type { Mesh } from '../mesh/join.js';
import type { ContextIndex } from '../mesh/indexes.js';
import type { GatewayModel, GatewayServerModel, PodModel, ProxyModel, ServiceEntryModel, ServiceModel } from '../mesh/objects.js';
import type { ServerPort, ServicePort } from '../model/resources.js';
import type { RequestView } from './match-istio.js';
import { TraceInputError, type TraceRequest, type TraceSource } from './types.js';

export type Protocol = 'http' | 'tcp' | 'tls';

export interface ResolvedSource {
  ctx: ContextIndex;
  kind: 'sidecar' | 'gateway';
  /** The sidecar's pod, or the gateway pod whose Envoy config is read. */
  pod?: PodModel;
  /** Gateway pods (one for a sidecar). */
  pods: PodModel[];
  proxy?: ProxyModel;
  /** Gateway resources selecting the gateway pods (gateways only). */
  gateways: GatewayModel[];
  /** The gateway's Service (maps server ports to container ports). */
  service?: ServiceModel;
  /**
   * A waypoint's Envoy: its Gateway ("ns/name"), the FQDNs of the services it serves (inbound-vip routes and clusters)
   * and the identity of the client whose HBONE connection reached it, when known.
   */
  waypoint?: { ref: string; served: ReadonlySet<string>; client?: string };
  label: string;
}

/** `NAME.NS` → { namespace, name }; NAME alone means namespace `default`. */
export function splitNameNs(text: string): { name: string; namespace: string } {
  const i = text.lastIndexOf('.');
  if (i <= 0) return { name: text, namespace: 'default' };
  return { name: text.slice(0, i), namespace: text.slice(i + 1) };
}

/** `POD.NS` or `gateway/NAME.NS` (as the CLI takes it). */
export function parseFrom(text: string): TraceSource {
  const gw = /^(gateway|gw)\//.exec(text);
  if (gw) return { kind: 'gateway', ...splitNameNs(text.slice(gw[0].length)) };
  const pod = /^(pod|po)\//.exec(text);
  return { kind: 'pod', ...splitNameNs(pod ? text.slice(pod[0].length) : text) };
}

function podProxy(p: PodModel | undefined): ProxyModel | undefined {
  return p?.proxy?.parsed ? p.proxy : undefined;
}

export function resolveSource(mesh: Mesh, context: string, from: TraceSource): ResolvedSource {
  const ctx = mesh.context(context);
  if (!ctx) {
    throw new TraceInputError(`context ${context} is not loaded (loaded: ${mesh.contexts.map((c) => c.name).join(', ') || 'none'})`);
  }
  const ns = from.namespace;
  if (from.kind === 'pod') {
    let pod = ctx.podByName.get(`${ns}/${from.name}`);
    if (!pod) {
      const cands = ctx.podsIn(ns).filter((p) => p.name.startsWith(from.name));
      if (cands.length === 1) pod = cands[0];
      else if (cands.length > 1) throw new TraceInputError(`pod ${from.name}.${ns} in ${context} is ambiguous: ${cands.map((p) => p.name).join(', ')}`);
    }
    if (!pod) throw new TraceInputError(`pod ${ns}/${from.name} not found in context ${context}`);
    const isGw = ctx.gateways.some((g) => g.pods.includes(pod!));
    if (isGw) return gatewaySource(ctx, [pod], `gateway ${pod.namespace}/${pod.name}`);
    return { ctx, kind: 'sidecar', pod, pods: [pod], proxy: podProxy(pod), gateways: [], label: `sidecar ${pod.namespace}/${pod.name}` };
  }
  const gw = ctx.gatewayByKey.get(`${ns}/${from.name}`);
  let pods: PodModel[] = gw?.pods ?? [];
  if (pods.length === 0) {
    const svc = ctx.services.find((s) => s.namespace === ns && s.name === from.name);
    if (svc) pods = svc.pods;
  }
  if (pods.length === 0) pods = ctx.podsIn(ns).filter((p) => p.workload === from.name || p.name === from.name || p.name.startsWith(`${from.name}-`));
  if (pods.length === 0) {
    const what = gw ? `Gateway ${ns}/${from.name} selects no pod` : `no Gateway, gateway Service or gateway pod ${ns}/${from.name}`;
    throw new TraceInputError(`${what} in context ${context}`);
  }
  return gatewaySource(ctx, pods, gw ? `gateway ${ns}/${from.name}` : `gateway ${ns}/${from.name}`);
}

function gatewaySource(ctx: ContextIndex, pods: PodModel[], label: string): ResolvedSource {
  const set = new Set(pods);
  const gateways = ctx.gateways.filter((g) => g.pods.some((p) => set.has(p)));
  const services = ctx.services.filter((s) => s.pods.some((p) => set.has(p)));
  const service = services.find((s) => s.isGateway) ?? services[0];
  const pod = pods.find((p) => podProxy(p)) ?? pods[0];
  return { ctx, kind: 'gateway', pod, pods, proxy: podProxy(pod), gateways, service, label: `${label} (pod ${pod?.name ?? '?'})` };
}

/** The gateway pod that receives traffic for a gateway Service (cross-cluster hops). */
export function gatewaySourceForService(ctx: ContextIndex, svc: ServiceModel): ResolvedSource {
  return gatewaySource(ctx, svc.pods, `gateway ${svc.namespace}/${svc.name}`);
}

function parseQuery(qs: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of qs.split('&')) {
    if (!part) continue;
    const i = part.indexOf('=');
    const k = i < 0 ? part : part.slice(0, i);
    const v = i < 0 ? '' : part.slice(i + 1);
    try { out[decodeURIComponent(k)] = decodeURIComponent(v); } catch { out[k] = v; }
  }
  return out;
}

/** The request as the matchers see it, at one proxy. */
export function requestView(req: TraceRequest, src: ResolvedSource, port: number): RequestView {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers ?? {})) headers[k.toLowerCase()] = v;
  const authority = headers[':authority'] ?? headers.host ?? req.host;
  const full = req.path && req.path !== '' ? (req.path.startsWith('/') ? req.path : `/${req.path}`) : '/';
  const qi = full.indexOf('?');
  const path = qi < 0 ? full : full.slice(0, qi);
  const method = (headers[':method'] ?? req.method ?? 'GET').toUpperCase();
  const scheme = headers[':scheme'] ?? 'http';
  Object.assign(headers, { ':authority': authority, host: authority, ':path': full, ':method': method, ':scheme': scheme });
  return {
    authority, path, query: qi < 0 ? {} : parseQuery(full.slice(qi + 1)), method, scheme, headers, port, sni: req.sni,
    sourceLabels: src.pod?.labels ?? {}, sourceNamespace: src.pod?.namespace ?? '',
    gateways: src.kind === 'sidecar' ? ['mesh'] : src.gateways.map((g) => `${g.namespace}/${g.name}`),
  };
}

/** Istio protocol selection for a Service port: appProtocol, else the name prefix; unnamed ports are sniffed (HTTP here). */
export function servicePortProtocol(p: ServicePort): Protocol {
  const word = (p.appProtocol ?? p.name ?? '').toLowerCase().split('-')[0] ?? '';
  if (['https', 'tls'].includes(word)) return 'tls';
  if (['tcp', 'mongo', 'mysql', 'redis', 'mqtt'].includes(word)) return 'tcp';
  if (p.protocol === 'UDP') return 'tcp';
  return 'http';
}

export function serverPortProtocol(p: ServerPort | { protocol?: string }): Protocol {
  const proto = (p.protocol ?? '').toUpperCase();
  if (proto === 'HTTPS' || proto === 'TLS') return 'tls';
  if (proto === 'TCP' || proto === 'MONGO' || proto === 'MYSQL' || proto === 'REDIS') return 'tcp';
  return 'http';
}

/** A Gateway server's protocol as routing sees it: HTTPS/TLS that terminate TLS route as http/tcp. */
export function gatewayServerProtocol(gw: GatewayModel, s: GatewayServerModel): { protocol: Protocol; tlsMode?: string } {
  const spec = gw.loaded.obj.spec?.servers?.[s.index];
  const mode = spec?.tls?.mode as string | undefined;
  const p = (s.protocol ?? '').toUpperCase();
  if (p === 'HTTPS') return { protocol: mode === 'PASSTHROUGH' || mode === 'AUTO_PASSTHROUGH' ? 'tls' : 'http', tlsMode: mode };
  if (p === 'TLS') return { protocol: mode === 'PASSTHROUGH' || mode === 'AUTO_PASSTHROUGH' || !mode ? 'tls' : 'tcp', tlsMode: mode };
  return { protocol: serverPortProtocol({ protocol: s.protocol }), tlsMode: mode };
}

/** Ports of a Service or ServiceEntry with their protocol. */
export function targetPorts(t: ServiceModel | ServiceEntryModel): { port: number; name?: string; protocol: Protocol; targetPort?: number }[] {
  if (t.kind === 'Service') {
    return (t as ServiceModel).ports.map((p) => ({
      port: p.port, name: p.name, protocol: servicePortProtocol(p), targetPort: typeof p.targetPort === 'number' ? p.targetPort : undefined,
    }));
  }
  return ((t.loaded.obj.spec?.ports ?? []) as ServerPort[]).map((p) => ({ port: p.number, name: p.name, protocol: serverPortProtocol(p), targetPort: p.targetPort }));
}

/** The container port a gateway Service port forwards to (the Envoy listener port). */
export function gatewayTargetPort(src: ResolvedSource, port: number): number {
  const sp = src.service?.ports.find((p) => p.port === port);
  if (!sp) return port;
  if (typeof sp.targetPort === 'number') return sp.targetPort;
  if (typeof sp.targetPort === 'string') {
    for (const c of (src.pod?.loaded.obj.spec?.containers ?? []) as { ports?: { name?: string; containerPort: number }[] }[]) {
      const hit = c.ports?.find((x) => x.name === sp.targetPort);
      if (hit) return hit.containerPort;
    }
  }
  return port;
}
