// Observed traffic of a VirtualService rule: for every proxy that routes the rule, the Envoy counters of each
// destination's cluster between two stats samples → requests (http) or connections (tcp, tls) per second, the share
// of the rule's traffic each destination got, and its 5xx rate. Pure: the samples come with the proxy dumps.
import { counterDelta, parseStatsFile, sampleWindow, type CounterDelta, type StatsSample } from '../model/envoy/stats.js';
import type { DestinationModel, ProxyModel, RuleModel } from './objects.js';
import { destinationLabel } from './destination-label.js';
import type { ProxyDump } from '../model/context.js';

export type TrafficUnit = 'requests' | 'connections';

export interface ProxyTraffic {
  /** "ns/pod" */
  proxy: string;
  context: string;
  /** Envoy clusters of the destination on this proxy. */
  clusters: string[];
  count: number;
  rate: number;
  /** Share of the rule's traffic on this proxy (0..1); undefined when the proxy counted none. */
  share?: number;
  errors5xx: number;
  ejectionsActive: number;
  /** Envoy had counters for the cluster (Istio keeps cluster stats only with a stats inclusion for them). */
  seen: boolean;
}

export interface DestinationTraffic {
  destination: DestinationModel;
  /** host[:subset][:port] */
  label: string;
  /** Intended share (percent). */
  weight: number;
  count: number;
  rate: number;
  /** Observed share of the rule's traffic (0..1) over the proxies that counted any. */
  share?: number;
  errors5xx: number;
  /** 5xx / requests (http only). */
  errorRate?: number;
  ejectionsActive: number;
  perProxy: ProxyTraffic[];
}

export interface RuleProxy {
  proxy: string;
  context: string;
  /** Seconds between the two samples. */
  windowSeconds?: number;
  /** When the samples were taken (ms since the epoch). */
  from?: number;
  to?: number;
  /** Why this proxy's numbers are missing. */
  problem?: string;
  /** Rule total on this proxy. */
  count: number;
  /** Envoy had no counters for any cluster of the rule: no traffic yet, or Istio's stats matcher leaves them out. */
  noCounters?: boolean;
}

export interface RuleTraffic {
  rule: RuleModel;
  unit: TrafficUnit;
  proxies: RuleProxy[];
  destinations: DestinationTraffic[];
  count: number;
  rate: number;
}

const samplesCache = new WeakMap<object, { samples?: StatsSample[]; error?: string }>();
const amount = (d: CounterDelta, unit: TrafficUnit) => unit === 'requests' ? d.rq : d.cx;

/** A proxy's stats samples (parsed once per stats value, so a new sample set is read again); errors name the file. */
export function proxySamples(p: ProxyModel): { samples?: StatsSample[]; error?: string } {
  return dumpSamples(p.dump);
}

/** The stats samples of a proxy's dump (parsed once per stats value). */
export function dumpSamples(d: ProxyDump): { samples?: StatsSample[]; error?: string } {
  if (d.stats === undefined || d.stats === null || typeof d.stats !== 'object') return { error: 'no stats samples' };
  const hit = samplesCache.get(d.stats);
  if (hit) return hit;
  let out: { samples?: StatsSample[]; error?: string };
  try { out = { samples: parseStatsFile(d.stats) }; } catch (err) { out = { error: `${d.statsFile ?? `${d.namespace}/${d.pod}`}: ${(err as Error).message}` }; }
  samplesCache.set(d.stats, out);
  return out;
}

/** Each destination's share of the rule's traffic between consecutive samples, oldest first (for sparklines). */
export function shareSeries(rule: RuleModel): number[][] {
  const dests = rule.destinations.filter((d) => !d.mirror);
  const unit: TrafficUnit = rule.protocol === 'http' ? 'requests' : 'connections';
  const proxies = ruleProxies(rule).map((p) => ({ p, samples: proxySamples(p).samples ?? [] }));
  const steps = Math.max(0, ...proxies.map((x) => x.samples.length - 1));
  const series: number[][] = dests.map(() => []);
  for (let k = 1; k <= steps; k++) {
    const counts = dests.map((d) => proxies.reduce((sum, { p, samples }) => {
      if (samples.length <= k) return sum;
      const names = new Set(d.envoy.filter((l) => l.proxy === p && l.name).map((l) => l.name));
      let n = 0;
      for (const c of names) n += amount(counterDelta(samples[k - 1]!.clusters.get(c), samples[k]!.clusters.get(c)), unit);
      return sum + n;
    }, 0));
    const total = counts.reduce((a, b) => a + b, 0);
    if (total > 0) counts.forEach((n, i) => series[i]!.push(n / total));
  }
  return series;
}

/** The proxies whose Envoy routes carry the rule, in a stable order. */
export function ruleProxies(rule: RuleModel): ProxyModel[] {
  const seen = new Set<ProxyModel>();
  for (const r of rule.envoyRoutes) seen.add(r.proxy);
  return [...seen].sort((a, b) => a.context.localeCompare(b.context) || a.namespace.localeCompare(b.namespace) || a.podName.localeCompare(b.podName));
}

export function ruleTraffic(rule: RuleModel): RuleTraffic {
  const unit: TrafficUnit = rule.protocol === 'http' ? 'requests' : 'connections';
  const dests = rule.destinations.filter((d) => !d.mirror);
  const proxies = ruleProxies(rule);
  const out: DestinationTraffic[] = dests.map((d) => ({ destination: d, label: destinationLabel(d), weight: d.weight, count: 0, rate: 0, errors5xx: 0, ejectionsActive: 0, perProxy: [] }));
  const ruleProxiesOut: RuleProxy[] = [];
  for (const p of proxies) {
    const name = `${p.namespace}/${p.podName}`;
    const { samples, error } = proxySamples(p);
    const win = samples ? sampleWindow(samples) : undefined;
    if (!win) {
      ruleProxiesOut.push({ proxy: name, context: p.context, count: 0, problem: error ?? 'fewer than two stats samples' });
      continue;
    }
    const here: ProxyTraffic[] = dests.map((d, i) => {
      const clusters = [...new Set(d.envoy.filter((l) => l.proxy === p && l.name).map((l) => l.name))];
      const deltas = clusters.map((c) => counterDelta(win.first.clusters.get(c), win.last.clusters.get(c)));
      const count = deltas.reduce((s, x) => s + amount(x, unit), 0);
      const pt: ProxyTraffic = {
        proxy: name, context: p.context, clusters, count, rate: count / win.seconds,
        errors5xx: deltas.reduce((s, x) => s + x.rq5xx, 0), ejectionsActive: deltas.reduce((s, x) => s + x.ejectionsActive, 0),
        seen: deltas.some((x) => x.seen),
      };
      out[i]!.perProxy.push(pt);
      return pt;
    });
    const total = here.reduce((s, x) => s + x.count, 0);
    for (const pt of here) if (total > 0) pt.share = pt.count / total;
    const unseen = here.filter((x) => !x.seen && x.clusters.length > 0);
    ruleProxiesOut.push({
      proxy: name, context: p.context, windowSeconds: win.seconds, from: win.first.time, to: win.last.time, count: total,
      noCounters: unseen.length === here.length && here.length > 0 ? true : undefined,
    });
  }
  for (const d of out) {
    d.count = d.perProxy.reduce((s, x) => s + x.count, 0);
    d.rate = d.perProxy.reduce((s, x) => s + x.rate, 0);
    d.errors5xx = d.perProxy.reduce((s, x) => s + x.errors5xx, 0);
    d.ejectionsActive = d.perProxy.reduce((s, x) => s + x.ejectionsActive, 0);
    if (unit === 'requests' && d.count > 0) d.errorRate = d.errors5xx / d.count;
  }
  const count = out.reduce((s, x) => s + x.count, 0);
  for (const d of out) if (count > 0) d.share = d.count / count;
  return { rule, unit, proxies: ruleProxiesOut, destinations: out, count, rate: out.reduce((s, x) => s + x.rate, 0) };
}
