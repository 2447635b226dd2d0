// Intent, second half: the matched rule's destinations → subsets → pods → endpoints, and hops into other contexts.
import { gatewaysAt, type ContextIndex } from '../mesh/indexes.js';
import type { DestinationModel, EndpointModel, PodModel, ServiceEntryModel, ServiceModel } from '../mesh/objects.js';
import { globalToLocal, isGlobalHost, selectorMatches } from '../mesh/hosts.js';
import type { Recorder } from './recorder.js';
import { listSome } from './recorder.js';
import { targetPorts } from './source.js';

/** A cross-cluster hop: the request leaves for another loaded context's gateway. */
export interface HopTarget {
  context: string;
  address: string;
  port: number;
  /** Host the remote gateway sees (Host header / ServiceEntry host). */
  host: string;
  sni?: string;
  gatewayService: ServiceModel;
  /** What leads there (destination or cluster). */
  label: string;
}

export function hopKey(h: HopTarget): string {
  return `${h.context}|${h.address}|${h.port}|${h.sni ?? h.host}`;
}

export interface IntentDestination {
  host: string;
  fqdn: string;
  subset?: string;
  port?: number;
  /** Percent of the rule's traffic. */
  weight: number;
  /** The Envoy cluster istiod generates for it. */
  cluster: string;
  model?: DestinationModel;
  pods: PodModel[];
  endpoints: EndpointModel[];
  hops: HopTarget[];
}

/** Istio's SNI for a cluster: outbound_.PORT_.SUBSET_.HOST */
export function istioSni(port: number | undefined, subset: string | undefined, host: string): string {
  return `outbound_.${port ?? ''}_.${subset ?? ''}_.${host}`;
}

export function clusterName(port: number | undefined, subset: string | undefined, host: string): string {
  return `outbound|${port ?? ''}|${subset ?? ''}|${host}`;
}

function endpointText(e: EndpointModel, port?: number, portName?: string): string {
  const p = (portName && e.ports?.[portName]) || e.port || port;
  const who = e.pod ? ` ${e.pod.name}` : '';
  const ready = e.ready === false ? ' not ready' : '';
  return `${e.address}${p ? `:${p}` : ''}${who}${ready}`;
}

function destPort(d: { port?: number; targets: (ServiceModel | ServiceEntryModel)[] }, requestPort: number): number {
  if (d.port !== undefined) return d.port;
  const ports = d.targets[0] ? targetPorts(d.targets[0]) : [];
  if (ports.length === 1) return ports[0]!.port;
  return requestPort;
}

/** Steps for one VirtualService destination (route[], not mirrors), with its hops. */
export function traceDestination(d: DestinationModel, requestPort: number, rec: Recorder): IntentDestination {
  const port = destPort(d, requestPort);
  const clusterHost = d.resolution.via === 'wildcard' && d.resolution.entries[0] ? d.resolution.entries[0].host : d.fqdn;
  const out: IntentDestination = {
    host: d.host, fqdn: d.fqdn, subset: d.subset, port, weight: d.weight, cluster: clusterName(port, d.subset, clusterHost),
    model: d, pods: d.pods, endpoints: d.endpoints, hops: [],
  };
  const name = `${d.fqdn}${d.subset ? ` subset ${d.subset}` : ''} port ${port}`;
  const target = d.targets[0];
  const hostProblem = d.problems.find((p) => p.path?.endsWith('.host') && p.code === 'IST0101');
  rec.add('intent', 'destination', name, !hostProblem,
    hostProblem ? hostProblem.message : `${d.weight}% → ${target ? `${target.kind} ${target.namespace}/${target.name}` : d.fqdn}`,
    { weight: d.weight, weightWritten: d.weightWritten, host: d.fqdn, subset: d.subset, port, cluster: out.cluster, path: d.path });
  if (d.subset) {
    const sub = d.subsetDef;
    const problem = d.problems.find((p) => p.path?.endsWith('.subset'));
    if (sub) {
      const labels = Object.entries(sub.labels).map(([k, v]) => `${k}=${v}`).join(',') || '(no labels)';
      rec.add('intent', 'subset', `${d.subset}`, true, `DestinationRule ${sub.rule.namespace}/${sub.rule.name}: ${labels}`, { labels: sub.labels });
    } else {
      rec.add('intent', 'subset', `${d.subset}`, false, problem?.message ?? `subset ${d.subset} not found`);
      return out;
    }
  }
  const portName = target ? targetPorts(target).find((p) => p.port === port)?.name : undefined;
  addWorkloadSteps(rec, d.pods, d.endpoints, port, d.hops.length > 0, d.targets.length > 0, portName);
  for (const h of d.hops) {
    if (h.via === 'service' && h.targetService) {
      // The same Service in another context: its pods serve the host too, as the proxy's endpoints show.
      rec.add('intent', 'hop', `→ ${h.context} ${h.targetService.namespace}/${h.targetService.name}`, true,
        `the same Service in ${h.context}: ${listSome(h.pods.map((p) => p.name)) || 'no pods'}`, { context: h.context, host: h.address });
      continue;
    }
    if (h.dangling || !h.gatewayService) {
      rec.add('intent', 'hop', `→ ${h.context} ${h.address}${h.port ? `:${h.port}` : ''}`, false, h.dangling ?? 'no gateway Service');
      continue;
    }
    const global = isGlobalHost(d.fqdn);
    const hop: HopTarget = {
      context: h.context, address: h.address, port: h.port ?? port, host: d.fqdn,
      sni: global ? istioSni(port, d.subset, d.fqdn) : undefined,
      gatewayService: h.gatewayService, label: name,
    };
    out.hops.push(hop);
    const remote = h.targetService
      ? `${h.targetService.namespace}/${h.targetService.name}${h.targetSubset ? ` subset ${h.targetSubset}` : ''}: ${listSome(h.pods.map((p) => p.name))}`
      : `${listSome(h.virtualServices.map((v) => `VirtualService ${v.namespace}/${v.name}`))} → ${listSome(h.pods.map((p) => p.name)) || 'no pods'}`;
    rec.add('intent', 'hop', `→ ${h.context} ${h.address}:${hop.port}`, true,
      `gateway ${h.gatewayService.namespace}/${h.gatewayService.name} in ${h.context}${hop.sni ? ` (SNI ${hop.sni})` : ''}; there: ${remote}`,
      { context: h.context, address: h.address, port: hop.port, sni: hop.sni, host: hop.host });
  }
  return out;
}

export function addWorkloadSteps(
  rec: Recorder, pods: PodModel[], endpoints: EndpointModel[], port: number, hasHops: boolean, resolved: boolean, portName?: string,
): void {
  if (!resolved) return;
  if (pods.length > 0) {
    const ready = pods.filter((p) => p.ready).length;
    rec.add('intent', 'pods', `${pods.length} pod${pods.length === 1 ? '' : 's'}`, ready > 0,
      `${ready}/${pods.length} ready: ${listSome(pods.map((p) => `${p.name}${p.ip ? ` (${p.ip})` : ''}`))}`,
      { pods: pods.map((p) => `${p.namespace}/${p.name}`) });
  }
  const nonPod = endpoints.filter((e) => !e.pod || pods.length === 0);
  if (nonPod.length > 0 || (pods.length > 0 && endpoints.length > 0)) {
    const list = (pods.length > 0 ? endpoints : nonPod);
    const ready = list.filter((e) => e.ready !== false).length;
    rec.add('intent', 'endpoints', `${list.length} endpoint${list.length === 1 ? '' : 's'}`, ready > 0,
      `${ready}/${list.length} ready: ${listSome(list.map((e) => `${endpointText(e, port, portName)}${e.source === 'ServiceEntry' ? ' (ServiceEntry)' : ''}`))}`,
      { endpoints: list.map((e) => ({ address: e.address, port: (portName && e.ports?.[portName]) || e.port || port, ready: e.ready !== false, source: e.source, pod: e.pod?.name })) });
  }
  if (pods.length === 0 && endpoints.length === 0 && !hasHops) {
    rec.add('intent', 'pods', 'no pods', false, 'selects no pods or endpoints in this context');
  }
}

/** Hops for endpoints that are another loaded context's gateway address (routes without a VirtualService). */
export function hopsForEndpoints(contexts: ContextIndex[], ctx: ContextIndex, endpoints: EndpointModel[], fqdn: string, port: number, portName: string | undefined, label: string): HopTarget[] {
  const out: HopTarget[] = [];
  for (const e of endpoints) {
    if (e.source === 'Pod') continue;
    for (const { context: other, service: svc } of gatewaysAt(contexts, ctx.name, e.address)) {
      const p = (portName && e.ports?.[portName]) || port;
      out.push({ context: other.name, address: e.address, port: p, host: fqdn, sni: isGlobalHost(fqdn) ? istioSni(port, undefined, fqdn) : undefined, gatewayService: svc, label });
    }
  }
  return out;
}

/** The `cluster_pattern` → `cluster_replacement` rewrite an EnvoyFilter puts on a gateway's SNI listener, if any. */
export function sniRewrite(ctx: ContextIndex, podLabels: Record<string, string>): { pattern: string; replacement: string; filter: string } | undefined {
  for (const ef of ctx.kind('EnvoyFilter')) {
    const spec = ef.loaded.obj.spec ?? {};
    const sel = spec.workloadSelector?.labels as Record<string, string> | undefined;
    if (sel && !selectorMatches(sel, podLabels)) continue;
    const found = findRewrite(spec);
    if (found) return { ...found, filter: `${ef.namespace}/${ef.name}` };
  }
  return undefined;
}

function findRewrite(v: unknown): { pattern: string; replacement: string } | undefined {
  if (Array.isArray(v)) {
    for (const x of v) { const r = findRewrite(x); if (r) return r; }
    return undefined;
  }
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const pattern = o.cluster_pattern ?? o.clusterPattern;
    const replacement = o.cluster_replacement ?? o.clusterReplacement;
    if (typeof pattern === 'string' && typeof replacement === 'string') return { pattern, replacement };
    for (const x of Object.values(o)) { const r = findRewrite(x); if (r) return r; }
  }
  return undefined;
}

/** AUTO_PASSTHROUGH: the SNI names the cluster (outbound_.port_.subset_.host); the gateway forwards to it. */
export function traceSniDestination(ctx: ContextIndex, sni: string, gatewayNs: string, podLabels: Record<string, string>, rec: Recorder): IntentDestination | undefined {
  const m = /^outbound_\.(\d*)_\.([^_]*)_\.(.+)$/.exec(sni);
  if (!m) {
    rec.add('intent', 'destination', sni, false, 'SNI is not an Istio outbound_.PORT_.SUBSET_.HOST name: AUTO_PASSTHROUGH cannot route it');
    return undefined;
  }
  const port = m[1] ? Number(m[1]) : undefined;
  const subset = m[2] || undefined;
  let host = m[3]!;
  const rw = sniRewrite(ctx, podLabels);
  let re: RegExp | undefined;
  try { re = rw ? new RegExp(rw.pattern) : undefined; } catch { re = undefined; }
  if (rw && re && re.test(host)) {
    const to = host.replace(re, rw.replacement);
    rec.add('intent', 'note', `${host} → ${to}`, true, `EnvoyFilter ${rw.filter} rewrites the cluster (${rw.pattern} → ${rw.replacement})`);
    host = to;
  } else if (isGlobalHost(host)) {
    rec.add('intent', 'note', host, true, `no EnvoyFilter rewrites .global here${globalToLocal(host) ? `; ${host} must exist in ${ctx.name} as written` : ''}`);
  }
  const res = ctx.hosts.resolve(host, gatewayNs);
  const target = res.entries[0]?.value;
  const cluster = `outbound_.${port ?? ''}_.${subset ?? ''}_.${host}`;
  const name = `${host}${subset ? ` subset ${subset}` : ''}${port ? ` port ${port}` : ''}`;
  rec.add('intent', 'destination', name, Boolean(target), target ? `100% (by SNI) → ${target.kind} ${target.namespace}/${target.name}` : res.note ?? 'host not found',
    { weight: 100, host, subset, port, cluster });
  const out: IntentDestination = { host, fqdn: host, subset, port, weight: 100, cluster, pods: [], endpoints: [], hops: [] };
  if (!target) return out;
  let labels: Record<string, string> | undefined;
  if (subset) {
    const dr = ctx.drs.lookup(host, gatewayNs, target.namespace);
    const sub = dr?.rules.flatMap((r) => r.value.subsets).find((s) => s.name === subset);
    if (!sub) {
      rec.add('intent', 'subset', subset, false, dr ? `not in DestinationRule ${dr.rules.map((r) => `${r.value.namespace}/${r.value.name}`).join(', ')}` : `no DestinationRule for ${host} in ${ctx.name}`);
      return out;
    }
    labels = sub.labels;
    rec.add('intent', 'subset', subset, true, `DestinationRule ${sub.rule.namespace}/${sub.rule.name}: ${Object.entries(sub.labels).map(([k, v]) => `${k}=${v}`).join(',')}`);
  }
  const t = target as ServiceModel & ServiceEntryModel;
  out.pods = (t.pods ?? []).filter((p) => selectorMatches(labels, p.labels));
  out.endpoints = (t.endpoints ?? []).filter((e) => !labels || selectorMatches(labels, e.pod?.labels ?? e.labels));
  addWorkloadSteps(rec, out.pods, out.endpoints, port ?? 0, false, true);
  return out;
}
