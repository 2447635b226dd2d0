// Convergence after a weight write: does each proxy that carries a rule run the weights the rule now says (or the
// weights asked for)? Pure: the caller re-reads the proxies' route configuration and re-joins.
import { parseClusterName } from './join-envoy.js';
import type { DestinationModel, ProxyModel, RuleModel } from './objects.js';
import type { Mesh } from './join.js';
import { ambientOfSnapshot, type WaypointModel } from './ambient.js';
import { serviceHost } from './hosts.js';
import { ruleProxies } from './traffic.js';

/** The weights to wait for: "fqdn|subset" → percent. */
export type TargetWeights = Map<string, number>;

export interface ProxyConvergence {
  /** "ns/pod" */
  proxy: string;
  pod: string;
  context: string;
  converged: boolean;
  /** What the proxy's Envoy runs for the rule, e.g. "demoapp v2 90% / v2-canary 10%". */
  runs: string;
  /** Why the proxy could not be read. */
  error?: string;
}

const key = (fqdn: string, subset: string | undefined) => `${fqdn}|${subset ?? ''}`;

/** The rule's intended weights (route destinations; mirrors are not weights). */
export function intendedWeights(rule: RuleModel): TargetWeights {
  const m: TargetWeights = new Map();
  for (const d of rule.destinations) if (!d.mirror) m.set(key(d.fqdn, d.subset), (m.get(key(d.fqdn, d.subset)) ?? 0) + d.weight);
  return m;
}

/** Matches DEST (subset, host, or host:subset, as `weights set` takes them) to a destination of the rule. */
export function destinationFor(rule: RuleModel, dest: string): DestinationModel | undefined {
  const ds = rule.destinations.filter((d) => !d.mirror);
  const i = dest.lastIndexOf(':');
  const [host, subset] = i >= 0 ? [dest.slice(0, i), dest.slice(i + 1) || undefined] : [undefined, undefined];
  const hits = ds.filter((d) => (host === undefined
    ? d.subset === dest || d.host === dest || d.fqdn === dest
    : (d.host === host || d.fqdn === host) && d.subset === subset));
  return hits.length === 1 ? hits[0] : undefined;
}

/** What the routes of the rule on one proxy send where: "fqdn|subset" → percent (first route that names the rule). */
export function envoyWeights(rule: RuleModel, proxy: ProxyModel): TargetWeights | undefined {
  const rm = rule.envoyRoutes.find((r) => r.proxy === proxy);
  if (!rm) return undefined;
  const m: TargetWeights = new Map();
  for (const c of rm.clusters) {
    const n = parseClusterName(c.name);
    const k = n ? key(n.fqdn, n.subset || undefined) : c.name;
    m.set(k, (m.get(k) ?? 0) + c.weight);
  }
  return m;
}

export function sameWeights(a: TargetWeights, b: TargetWeights): boolean {
  for (const k of new Set([...a.keys(), ...b.keys()])) if (Math.abs((a.get(k) ?? 0) - (b.get(k) ?? 0)) > 0.5) return false;
  return true;
}

const shortHost = (fqdn: string) => fqdn.replace(/\.svc\.cluster\.local$/, '').split('.')[0]!;

/** "demoapp v2 100% / v2-canary 0%" (one host), else "a:v1 50% / b 50%". */
export function describeWeights(w: TargetWeights | undefined): string {
  if (!w) return 'no route for the rule';
  const entries = [...w].map(([k, v]) => { const [h, s] = k.split('|'); return { h: h!, s: s || undefined, v }; });
  const hosts = new Set(entries.map((e) => e.h));
  const pct = (v: number) => `${Math.round(v * 10) / 10}%`;
  if (hosts.size === 1) return `${shortHost(entries[0]!.h)} ${entries.map((e) => `${e.s ?? '(all)'} ${pct(e.v)}`).join(' / ')}`;
  return entries.map((e) => `${shortHost(e.h)}${e.s ? `:${e.s}` : ''} ${pct(e.v)}`).join(' / ');
}

/** The waypoints that run a mesh VirtualService's rule: those serving a Service its hosts name. */
export function servingWaypoints(mesh: Mesh, rule: RuleModel): WaypointModel[] {
  const ctx = mesh.context(rule.vs.context);
  if (!ctx || !rule.vs.mesh) return [];
  const hosts = new Set(rule.vs.hosts);
  return [...ambientOfSnapshot(ctx.snapshot).waypoints.values()].filter((w) => w.services.some((k) => {
    const [ns, name] = k.split('/');
    return hosts.has(serviceHost(name!, ns!));
  }));
}

/**
 * The proxies whose Envoy must run the rule: every proxy whose routes carry it (sidecars and gateways route
 * themselves, around a waypoint), and for hosts a waypoint serves, the waypoints' Envoys (they route ambient
 * clients), whether or not they carry the rule yet.
 */
export function followedProxies(mesh: Mesh, rule: RuleModel): ProxyModel[] {
  const carrying = ruleProxies(rule);
  const waypoints = servingWaypoints(mesh, rule);
  if (waypoints.length === 0) return carrying;
  const out: ProxyModel[] = [...carrying];
  for (const w of waypoints) {
    for (const k of w.pods) {
      const [ns, pod] = k.split('/');
      const p = mesh.proxyOf(w.context, ns!, pod!);
      if (p && !out.includes(p)) out.push(p);
    }
  }
  return out;
}

/** Each proxy's state against the target (default: the rule's intended weights). */
export function ruleConvergence(rule: RuleModel, proxies: ProxyModel[], target: TargetWeights = intendedWeights(rule)): ProxyConvergence[] {
  return proxies.map((p) => {
    const base = { proxy: `${p.namespace}/${p.podName}`, pod: p.podName, context: p.context };
    if (p.error && !p.parsed) return { ...base, converged: false, runs: 'unknown', error: p.error };
    const w = envoyWeights(rule, p);
    // A proxy whose last re-read failed runs what was read before; the failure goes with it.
    return { ...base, converged: w !== undefined && sameWeights(w, target), runs: describeWeights(w), ...(p.error ? { error: p.error } : {}) };
  });
}

/** `12/14 proxies run demoapp v2 100% / v2-canary 0%; waiting: frontend-… (cluster-a), …` */
export function progressLine(states: ProxyConvergence[], target: TargetWeights, notes?: ReadonlyMap<string, string>): string {
  const done = states.filter((s) => s.converged).length;
  const waiting = states.filter((s) => !s.converged).map((s) => {
    const note = notes?.get(`${s.context}/${s.proxy}`);
    return `${s.pod} (${s.context}${note ? `, ${note}` : ''})`;
  });
  return `${done}/${states.length} proxies run ${describeWeights(target)}${waiting.length ? `; waiting: ${waiting.join(', ')}` : ''}`;
}
