// MS0203: a destination's observed share of a rule's traffic (Envoy counters from the recorded or sampled stats)
// differs from its weight by more than a tolerance, once enough requests (or connections) were counted. Checked per
// proxy (a stale proxy shows alone); when no proxy counted enough by itself, over all of them.
import type { Check, Finding } from './types.js';
import { toObj } from './input.js';
import { report } from './report.js';
import { meshRules, ruleLabel, ruleObject } from './mesh-rules.js';
import { ruleTraffic, type RuleTraffic } from '../mesh/traffic.js';

const NAME = 'traffic.ShareDrift';
/** Fewest requests (or connections) of the rule on a proxy before shares are compared. */
export const MIN_COUNT = 100;
/** Smallest difference reported, in share (0..1); larger when few were counted (three standard deviations). */
export const MIN_TOLERANCE = 0.05;

/** The tolerance for a destination of weight w (0..1) over n counted: max(5 points, 3σ of a binomial share). */
export function shareTolerance(w: number, n: number): number {
  return Math.max(MIN_TOLERANCE, 3 * Math.sqrt((w * (1 - w)) / n));
}

const pct = (v: number) => `${(Math.round(v * 1000) / 10).toString()}%`;

export function shareDrifts(t: RuleTraffic): { dest: string; share: number; weight: number; count: number; proxies: string[] }[] {
  const out: { dest: string; share: number; weight: number; count: number; proxies: string[] }[] = [];
  const perProxy = new Map<string, number>();
  for (const p of t.proxies) if (!p.problem) perProxy.set(p.proxy, p.count);
  const enough = [...perProxy].filter(([, n]) => n >= MIN_COUNT).map(([p]) => p);
  for (const d of t.destinations) {
    const w = d.weight / 100;
    if (enough.length > 0) {
      for (const pt of d.perProxy) {
        const n = perProxy.get(pt.proxy) ?? 0;
        if (n < MIN_COUNT || pt.share === undefined) continue;
        if (Math.abs(pt.share - w) > shareTolerance(w, n)) out.push({ dest: d.label, share: pt.share, weight: d.weight, count: n, proxies: [pt.proxy] });
      }
    } else if (t.count >= MIN_COUNT && d.share !== undefined && Math.abs(d.share - w) > shareTolerance(w, t.count)) {
      out.push({ dest: d.label, share: d.share, weight: d.weight, count: t.count, proxies: d.perProxy.filter((p) => p.count > 0 || (perProxy.get(p.proxy) ?? 0) > 0).map((p) => p.proxy) });
    }
  }
  return out;
}

export const trafficShareCheck: Check = {
  name: NAME,
  description: "a destination's observed share of the rule's traffic (Envoy counters) differs from its weight",
  needs: 'envoy',
  codes: [{ code: 'MS0203', level: 'Warning', summary: 'observed traffic share differs from the weight' }],
  run(input) {
    const out: Finding[] = [];
    for (const rule of meshRules(input)) {
      if (rule.envoyRoutes.length === 0 || rule.destinations.filter((d) => !d.mirror).length < 2) continue;
      const t = ruleTraffic(rule);
      // One finding per proxy (or for all): the destination furthest from its weight, the starved one on a tie.
      const byProxies = new Map<string, ReturnType<typeof shareDrifts>[number]>();
      for (const d of shareDrifts(t)) {
        const k = d.proxies.join(',');
        const prev = byProxies.get(k);
        const dev = (x: typeof d) => Math.abs(x.share - x.weight / 100);
        if (!prev || dev(d) > dev(prev) + 1e-9 || (Math.abs(dev(d) - dev(prev)) <= 1e-9 && d.share < d.weight / 100)) byProxies.set(k, d);
      }
      const drifts = [...byProxies.values()];
      if (drifts.length === 0) continue;
      const vs = toObj(ruleObject(rule), rule.vs.context, input.defaultNamespace);
      for (const d of drifts) {
        const unit = t.unit === 'requests' ? `${d.count} requests` : `${d.count} connections`;
        out.push(report(NAME, vs, 'TrafficShareDrift', [d.dest, ruleLabel(rule), pct(d.share), unit, d.proxies.join(', '), `${d.weight}%`], rule.path, d.proxies.length === 1 ? { proxy: d.proxies[0] } : {}));
      }
    }
    return out;
  },
};
