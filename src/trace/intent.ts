// Intent: the request walked through the CRDs. Gateway server → VirtualService → first matching rule (with why each
// earlier rule did not match) → destinations (intent-dest.ts).
import type { ContextIndex } from '../mesh/indexes.js';
import type { GatewayModel, GatewayServerModel, RuleModel, ServiceEntryModel, ServiceModel, VirtualServiceModel } from '../mesh/objects.js';
import type { HTTPMatchRequest, L4MatchAttributes, SidecarSpec } from '../model/resources.js';
import { hostsIntersect, isExportedTo, selectorMatches } from '../mesh/hosts.js';
import { httpMatchFailures, l4MatchFailures, gatewayHostMatch, hostWithoutPort, type RequestView } from './match-istio.js';
import type { Recorder } from './recorder.js';
import { listSome } from './recorder.js';
import {
  gatewayServerProtocol, requestView, targetPorts, type Protocol, type ResolvedSource,
} from './source.js';
import {
  addWorkloadSteps, clusterName, hopsForEndpoints, traceDestination, traceSniDestination, type HopTarget, type IntentDestination,
} from './intent-dest.js';
import type { TraceRequest } from './types.js';

export interface IntentResult {
  protocol: Protocol;
  /** Service port (sidecar) or Gateway server port (gateway). */
  port: number;
  /** The address the client dials (ClusterIP / ServiceEntry address), when it has one. */
  destinationIp?: string;
  view: RequestView;
  virtualServices: VirtualServiceModel[];
  rule?: RuleModel;
  /** No VirtualService: the host's own cluster. */
  defaultRoute: boolean;
  destinations: IntentDestination[];
  /** Why the request stops in intent. */
  stopped?: string;
  hops: HopTarget[];
}

function created(vs: VirtualServiceModel): string {
  return String(vs.loaded.obj.metadata.creationTimestamp ?? '');
}

function byAge(a: VirtualServiceModel, b: VirtualServiceModel): number {
  const c = created(a).localeCompare(created(b));
  return c !== 0 ? c : `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`);
}

/** The VirtualService host that serves `names` best: 2+len for exact, len for wildcard; 0 for none. */
function hostScore(vs: VirtualServiceModel, names: string[]): { score: number; host?: string } {
  let best = { score: 0, host: undefined as string | undefined };
  for (const h of vs.hosts) {
    for (const n of names) {
      const m = gatewayHostMatch(h, n);
      const score = m === 'exact' ? 1000 + h.length : m === 'wildcard' ? h.length : 0;
      if (score > best.score) best = { score, host: h };
    }
  }
  return best;
}

function vsName(vs: VirtualServiceModel): string {
  return `${vs.namespace}/${vs.name}`;
}

/** Istio Sidecar egress scoping: undefined when the host is imported (or no Sidecar applies), else why not. */
function sidecarScopeBlock(ctx: ContextIndex, podNs: string, podLabels: Record<string, string>, host: string, hostNs: string | undefined): string | undefined {
  const sidecars = ctx.kind('Sidecar');
  if (sidecars.length === 0) return undefined;
  const inNs = sidecars.filter((s) => s.namespace === podNs);
  const sel = (s: (typeof sidecars)[number]): Record<string, string> | undefined => (s.loaded.obj.spec as SidecarSpec | undefined)?.workloadSelector?.labels;
  const sc = inNs.find((s) => sel(s) && selectorMatches(sel(s), podLabels)) ?? inNs.find((s) => !sel(s))
    ?? sidecars.find((s) => s.namespace === 'istio-system' && !sel(s));
  if (!sc) return undefined;
  const egress = (sc.loaded.obj.spec as SidecarSpec).egress ?? [];
  for (const e of egress) {
    for (const h of e.hosts ?? []) {
      const i = h.indexOf('/');
      const ns = i < 0 ? '*' : h.slice(0, i);
      const hh = i < 0 ? h : h.slice(i + 1);
      const nsOk = ns === '*' || (ns === '.' ? hostNs === podNs || hostNs === undefined : ns === hostNs);
      if (nsOk && (hh === '*' || hostsIntersect(hh, host))) return undefined;
    }
  }
  return `Sidecar ${sc.namespace}/${sc.name} does not import ${hostNs ? `${hostNs}/` : ''}${host} (egress hosts: ${egress.flatMap((e) => e.hosts ?? []).join(', ') || 'none'})`;
}

function targetAddress(t: ServiceModel | ServiceEntryModel | undefined): string | undefined {
  if (!t) return undefined;
  if (t.kind === 'Service') return (t as ServiceModel).addresses[0];
  return ((t.loaded.obj.spec?.addresses ?? []) as string[])[0];
}

export function walkSidecarIntent(src: ResolvedSource, req: TraceRequest, contexts: ContextIndex[], rec: Recorder): IntentResult {
  const pod = src.pod!;
  const ctx = src.ctx;
  rec.add('intent', 'source', `pod ${pod.namespace}/${pod.name}`, pod.hasSidecar,
    src.waypoint ? 'waypoint: the VirtualServices bound to mesh for the services it serves apply'
      : pod.hasSidecar ? 'sidecar: VirtualServices bound to mesh and exported to this namespace apply' : 'no istio-proxy container: the request is not routed by the mesh',
    { labels: pod.labels, namespace: pod.namespace });
  const res = ctx.hosts.resolve(req.host, pod.namespace);
  const entry = res.entries[0];
  const target = entry?.value;
  const ports = target ? targetPorts(target) : [];
  const port = req.port ?? (ports.length === 1 ? ports[0]!.port : ports.find((p) => p.protocol === 'http')?.port ?? ports[0]?.port ?? 80);
  const tp = ports.find((p) => p.port === port);
  const protocol: Protocol = tp?.protocol ?? (req.sni ? 'tls' : 'http');
  const destinationIp = targetAddress(target);
  const view = requestView(req, src, port);
  const result: IntentResult = { protocol, port, destinationIp, view, virtualServices: [], defaultRoute: false, destinations: [], hops: [] };
  if (target) {
    const portNote = tp ? `port ${port} (${protocol}${tp.name && tp.name !== protocol ? `, ${tp.name}` : ''})` : `port ${port} is not a port of it (ports ${ports.map((p) => p.port).join(', ') || 'none'})`;
    rec.add('intent', 'host', `${req.host} → ${res.fqdn}`, Boolean(tp),
      `${entry!.kind} ${entry!.namespace}/${entry!.name}${res.via !== 'exact' ? ` (${res.via}${res.note ? `: ${res.note}` : ''})` : ''}, ${portNote}${destinationIp ? `, address ${destinationIp}` : ''}`,
      { fqdn: res.fqdn, kind: entry!.kind, port, protocol, address: destinationIp });
  } else {
    rec.add('intent', 'host', `${req.host} → ${res.fqdn}`, false, `${res.note ?? 'not found'}; port ${port}`, { fqdn: res.fqdn, port });
  }
  if (!pod.hasSidecar) return { ...result, stopped: 'no sidecar' };
  const block = sidecarScopeBlock(ctx, pod.namespace, pod.labels, entry?.host ?? res.fqdn, entry?.namespace);
  if (block) {
    rec.add('intent', 'note', 'Sidecar scope', false, block);
    return { ...result, stopped: block };
  }
  const names = [...new Set([res.fqdn, ...(entry ? [entry.host] : [])])];
  // Sidecars and waypoints also run the mesh routes istiod generates from routes whose parent is a Service.
  const pool = ctx.generated ? [...ctx.virtualServices, ...ctx.generated.all().filter((vs) => vs.mesh)] : ctx.virtualServices;
  const cands = pool.map((vs) => ({ vs, ...hostScore(vs, names) })).filter((c) => c.score > 0);
  const exportOf = (vs: VirtualServiceModel): string[] | undefined => vs.loaded.obj.spec?.exportTo as string[] | undefined;
  const usable = cands.sort((a, b) => byAge(a.vs, b.vs)).filter((c) => c.vs.mesh && isExportedTo(exportOf(c.vs), c.vs.namespace, pod.namespace));
  const bestScore = Math.max(0, ...usable.map((c) => c.score));
  const winner = usable.find((c) => c.score === bestScore);
  // VirtualServices for this host that do not apply here (only those at least as specific as the winner).
  for (const c of cands) {
    if (usable.includes(c) || c.score < bestScore || c.host === '*') continue;
    rec.add('intent', 'virtual-service', vsName(c.vs), false, !c.vs.mesh
      ? `host ${c.host} matches, but it is bound to gateways ${c.vs.gateways.map((g) => g.written).join(', ')} only, not mesh`
      : `host ${c.host} matches, but exportTo [${exportOf(c.vs)!.join(', ')}] hides it from namespace ${pod.namespace}`);
  }
  for (const c of usable) {
    if (c === winner) continue;
    rec.add('intent', 'virtual-service', vsName(c.vs), false, c.score < bestScore
      ? `host ${c.host} is less specific than ${winner!.host} of ${vsName(winner!.vs)}`
      : `ignored for sidecars: ${vsName(winner!.vs)} (older) already serves ${c.host}`);
  }
  if (!winner) {
    return defaultRoute(result, target, entry?.host ?? res.fqdn, port, tp?.name, contexts, ctx, rec, res.note);
  }
  rec.add('intent', 'virtual-service', vsName(winner.vs), true, `host ${winner.host}, bound to mesh${generatedNote(winner.vs)}`, { hosts: winner.vs.hosts, path: `${winner.vs.context}/${vsName(winner.vs)}` });
  result.virtualServices = [winner.vs];
  return routeRules(result, [winner.vs], ctx, contexts, rec, target, entry?.host ?? res.fqdn, tp?.name, true);
}

function defaultRoute(
  result: IntentResult, target: ServiceModel | ServiceEntryModel | undefined, host: string, port: number, portName: string | undefined,
  contexts: ContextIndex[], ctx: ContextIndex, rec: Recorder, note?: string,
): IntentResult {
  result.defaultRoute = true;
  if (!target) {
    rec.add('intent', 'virtual-service', '(none)', false, `no VirtualService for ${host} and ${note ?? 'no such host'}: outbound traffic policy decides (ALLOW_ANY → PassthroughCluster)`);
    return { ...result, stopped: 'unknown host' };
  }
  rec.add('intent', 'virtual-service', '(none)', true, `no VirtualService for ${host}: default route to the ${target.kind}`);
  const t = target as ServiceModel & ServiceEntryModel;
  const pods = t.pods ?? [];
  const endpoints = t.endpoints ?? [];
  const d: IntentDestination = { host, fqdn: host, port, weight: 100, cluster: clusterName(port, undefined, host), pods, endpoints, hops: [] };
  rec.add('intent', 'destination', `${host} port ${port}`, true, `100% → ${target.kind} ${target.namespace}/${target.name}`, { weight: 100, host, port, cluster: d.cluster });
  d.hops = hopsForEndpoints(contexts, ctx, endpoints, host, port, portName, `${host} port ${port}`);
  addWorkloadSteps(rec, pods, endpoints, port, d.hops.length > 0, true, portName);
  for (const h of d.hops) {
    rec.add('intent', 'hop', `→ ${h.context} ${h.address}:${h.port}`, true, `gateway ${h.gatewayService.namespace}/${h.gatewayService.name} in ${h.context}${h.sni ? ` (SNI ${h.sni})` : ''}`,
      { context: h.context, address: h.address, port: h.port, sni: h.sni, host: h.host });
  }
  result.destinations = [d];
  result.hops = d.hops;
  return result;
}

function ruleSpec(rule: RuleModel): { match?: (HTTPMatchRequest | L4MatchAttributes)[] } | undefined {
  return rule.vs.loaded.obj.spec?.[rule.protocol]?.[rule.index];
}

function ruleLabel(rule: RuleModel, several: boolean): string {
  return `${several ? `${vsName(rule.vs)} ` : ''}${rule.path}${rule.name ? ` "${rule.name}"` : ''}`;
}

/** First matching rule of the VirtualServices (merged in order), with a ✗ step and the reasons for each earlier one. */
function routeRules(
  result: IntentResult, vss: VirtualServiceModel[], ctx: ContextIndex, contexts: ContextIndex[], rec: Recorder,
  target: ServiceModel | ServiceEntryModel | undefined, host: string, portName: string | undefined, sidecar: boolean,
): IntentResult {
  const protocol = result.protocol;
  const rules = vss.flatMap((vs) => vs.rules.filter((r) => r.protocol === protocol));
  const several = vss.length > 1;
  let chosen: RuleModel | undefined;
  for (const rule of rules) {
    const matches = ruleSpec(rule)?.match ?? [];
    if (matches.length === 0) {
      chosen = rule;
      rec.add('intent', 'rule', ruleLabel(rule, several), true, 'no match conditions: takes everything that reaches it', { path: rule.path, id: rule.id });
      break;
    }
    const reasons: string[] = [];
    let hit = -1;
    matches.forEach((m, i) => {
      if (hit >= 0) return;
      const fails = protocol === 'http'
        ? httpMatchFailures(m as HTTPMatchRequest, result.view, rule.vs.namespace)
        : l4MatchFailures(m as L4MatchAttributes, result.view, rule.vs.namespace, result.destinationIp);
      if (fails.length === 0) hit = i;
      else reasons.push(`${matches.length > 1 ? `match[${i}]: ` : ''}${fails.join('; ')}`);
    });
    if (hit >= 0) {
      chosen = rule;
      rec.add('intent', 'rule', ruleLabel(rule, several), true, `match${matches.length > 1 ? `[${hit}]` : ''} ${rule.match.split(' | ')[hit] ?? rule.match}`, { path: rule.path, id: rule.id, match: hit });
      break;
    }
    rec.add('intent', 'rule', ruleLabel(rule, several), false, reasons.join(' | '), { path: rule.path, id: rule.id });
  }
  if (!chosen) {
    if (protocol === 'http') {
      rec.add('intent', 'rule', '(none)', false, `no ${protocol} rule of ${vss.map(vsName).join(', ')} matches: Envoy answers 404 (NR)`);
      return { ...result, stopped: 'no rule matches' };
    }
    if (sidecar) {
      rec.add('intent', 'rule', '(none)', true, `no ${protocol} rule matches: ${protocol} traffic takes the default route`);
      return defaultRoute(result, target, host, result.port, portName, contexts, ctx, rec);
    }
    rec.add('intent', 'rule', '(none)', false, `no ${protocol} rule of ${vss.map(vsName).join(', ')} matches: the gateway closes the connection`);
    return { ...result, stopped: 'no rule matches' };
  }
  result.rule = chosen;
  if (chosen.action !== 'route') {
    rec.add('intent', 'note', chosen.action, true, `the rule answers with a ${chosen.action}, no destination`);
    return result;
  }
  for (const d of chosen.destinations) {
    if (d.mirror) {
      rec.add('intent', 'mirror', d.fqdn, true, `mirrors ${d.mirrorPercent ?? 100}% to ${d.fqdn}${d.subset ? ` subset ${d.subset}` : ''}`);
      continue;
    }
    const dest = traceDestination(d, result.port, rec);
    result.destinations.push(dest);
    result.hops.push(...dest.hops);
  }
  return result;
}

interface AcceptedServer { gw: GatewayModel; server: GatewayServerModel; hostNs: string; protocol: Protocol; tlsMode?: string }

export function walkGatewayIntent(src: ResolvedSource, req: TraceRequest, contexts: ContextIndex[], rec: Recorder): IntentResult {
  const ctx = src.ctx;
  rec.add('intent', 'source', src.label, src.gateways.length > 0,
    src.gateways.length > 0 ? `Gateways on these pods: ${listSome(src.gateways.map((g) => `${g.namespace}/${g.name}`))}` : 'no Gateway resource selects these pods',
    { pods: src.pods.map((p) => `${p.namespace}/${p.name}`) });
  const all = src.gateways.flatMap((gw) => gw.servers.map((server) => ({ gw, server })));
  let port = req.port ?? 80;
  if (!all.some((s) => s.server.port === port)) {
    const sp = src.service?.ports.find((p) => p.targetPort === port && all.some((s) => s.server.port === p.port));
    if (sp) {
      rec.add('intent', 'note', `port ${port}`, true, `${port} is the container port of Service port ${sp.port}; Gateway servers use ${sp.port}`);
      port = sp.port;
    }
  }
  const view = requestView(req, src, port);
  const hostToMatch = hostWithoutPort(view.authority);
  const result: IntentResult = { protocol: 'http', port, view, virtualServices: [], defaultRoute: false, destinations: [], hops: [] };
  const onPort = all.filter((s) => s.server.port === port);
  if (onPort.length === 0) {
    const ports = [...new Set(all.map((s) => s.server.port))].join(', ');
    rec.add('intent', 'gateway-server', `port ${port}`, false, `no Gateway server listens on port ${port} (servers: ${ports || 'none'})`);
    return { ...result, stopped: 'no server' };
  }
  const accepted: AcceptedServer[] = [];
  for (const { gw, server } of onPort) {
    const { protocol, tlsMode } = gatewayServerProtocol(gw, server);
    const h = protocol === 'tls' && req.sni ? req.sni : hostToMatch;
    const hit = server.hosts.find((sh) => gatewayHostMatch(sh.host, h));
    const name = `Gateway ${gw.namespace}/${gw.name} servers[${server.index}]`;
    const desc = `port ${server.port} ${server.protocol ?? ''}${tlsMode ? ` ${tlsMode}` : ''} hosts ${server.hosts.map((x) => (x.namespace === '*' ? x.host : `${x.namespace}/${x.host}`)).join(',')}`;
    if (hit) {
      accepted.push({ gw, server, hostNs: hit.namespace, protocol, tlsMode });
      rec.add('intent', 'gateway-server', name, true, `${desc}: accepts ${h} (${gatewayHostMatch(hit.host, h)} ${hit.host})`, { port: server.port, protocol: server.protocol, tlsMode });
    } else {
      rec.add('intent', 'gateway-server', name, false, `${desc}: ${h} matches no host`);
    }
  }
  if (accepted.length === 0) return { ...result, stopped: 'no server accepts the host' };
  result.protocol = accepted[0]!.protocol;
  const a0 = accepted[0]!;
  if (a0.tlsMode === 'AUTO_PASSTHROUGH') {
    if (!req.sni) {
      rec.add('intent', 'destination', hostToMatch, false, 'AUTO_PASSTHROUGH routes by SNI, and the request has none');
      return { ...result, stopped: 'no SNI' };
    }
    const d = traceSniDestination(ctx, req.sni, a0.gw.namespace, src.pod?.labels ?? {}, rec);
    if (d) result.destinations.push(d);
    return result;
  }
  const names = [result.protocol === 'tls' && req.sni ? req.sni : hostToMatch];
  const gwSet = new Set(accepted.map((s) => s.gw));
  const cands = ctx.virtualServices.map((vs) => ({ vs, ...hostScore(vs, names) })).filter((c) => c.score > 0).sort((a, b) => byAge(a.vs, b.vs));
  const why = (c: (typeof cands)[number]): string | undefined => {
    const b = c.vs.gateways.find((g) => g.gateway && gwSet.has(g.gateway) && !g.dangling);
    if (!b) return `host ${c.host} matches, but it is not bound to ${[...gwSet].map((g) => `${g.namespace}/${g.name}`).join(', ')} (gateways: ${c.vs.gateways.map((g) => g.written).join(', ')})`;
    const nsOk = accepted.some((s) => s.gw === b.gateway && (s.hostNs === '*' || s.hostNs === c.vs.namespace));
    return nsOk ? undefined : `the Gateway server host admits VirtualServices from namespace ${accepted.map((s) => s.hostNs).join(', ')} only`;
  };
  const bound = cands.filter((c) => !why(c));
  const best = Math.max(0, ...bound.map((c) => c.score));
  for (const c of cands) if (!bound.includes(c) && c.score >= best && c.host !== '*') rec.add('intent', 'virtual-service', vsName(c.vs), false, why(c)!);
  const winners = bound.filter((c) => c.score === best);
  for (const c of bound) {
    if (c.score < best) rec.add('intent', 'virtual-service', vsName(c.vs), false, `host ${c.host} is less specific than ${winners[0]!.host}`);
  }
  if (winners.length === 0) {
    rec.add('intent', 'virtual-service', '(none)', false, `no VirtualService bound to the Gateway serves ${names[0]}: ${result.protocol === 'http' ? 'Envoy answers 404 (NR)' : 'the connection is closed'}`);
    return { ...result, stopped: 'no VirtualService' };
  }
  for (const c of winners) {
    rec.add('intent', 'virtual-service', vsName(c.vs), true, `host ${c.host}, bound to ${c.vs.gateways.filter((g) => g.gateway && gwSet.has(g.gateway)).map((g) => g.written).join(', ')}${winners.length > 1 ? ' (merged with the others in creation order)' : ''}`,
      { hosts: c.vs.hosts });
  }
  result.virtualServices = winners.map((c) => c.vs);
  return routeRules(result, result.virtualServices, ctx, contexts, rec, undefined, names[0]!, undefined, false);
}

/** `, generated by istiod from HTTPRoute web/catalog` for a VirtualService translated from Gateway API routes. */
function generatedNote(vs: VirtualServiceModel): string {
  const from = vs.generatedFrom ?? [];
  return from.length ? `, generated by istiod from ${from.map((f) => `${f.kind} ${f.namespace}/${f.name}`).join(', ')}` : '';
}
