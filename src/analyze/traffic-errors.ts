// MS0204: a destination answers 5xx (Envoy upstream_rq_5xx between the two stats samples) while the other
// destinations of the same rule do not: a bad canary or subset. Needs enough requests to the destination.
import type { Check, Finding } from './types.js';
import { toObj } from './input.js';
import { report } from './report.js';
import { meshRules, ruleLabel, ruleObject } from './mesh-rules.js';
import { ruleTraffic } from '../mesh/traffic.js';

const NAME = 'traffic.DestinationErrors';
/** Fewest requests to the destination before its 5xx rate counts. */
export const MIN_REQUESTS = 20;
/** A 5xx rate at or above this is an error rate worth naming… */
export const MIN_ERROR_RATE = 0.05;
/** …when every sibling's rate is at most this fraction of it. */
export const SIBLING_RATIO = 0.2;

const pct = (v: number) => `${(Math.round(v * 1000) / 10).toString()}%`;

export const trafficErrorsCheck: Check = {
  name: NAME,
  description: 'a destination answers 5xx while the other destinations of its rule do not (Envoy counters)',
  needs: 'envoy',
  codes: [{ code: 'MS0204', level: 'Warning', summary: 'one destination of a rule answers 5xx, its siblings do not' }],
  run(input) {
    const out: Finding[] = [];
    for (const rule of meshRules(input)) {
      if (rule.protocol !== 'http' || rule.envoyRoutes.length === 0) continue;
      const dests = rule.destinations.filter((d) => !d.mirror);
      if (dests.length < 2) continue;
      const t = ruleTraffic(rule);
      for (const d of t.destinations) {
        if (d.count < MIN_REQUESTS || d.errorRate === undefined || d.errorRate < MIN_ERROR_RATE || d.errors5xx < 3) continue;
        const siblings = t.destinations.filter((s) => s !== d && s.count > 0);
        if (siblings.length === 0 || siblings.some((s) => (s.errorRate ?? 0) > d.errorRate! * SIBLING_RATIO)) continue;
        const vs = toObj(ruleObject(rule), rule.vs.context, input.defaultNamespace);
        const proxies = d.perProxy.filter((p) => p.errors5xx > 0).map((p) => p.proxy);
        out.push(report(NAME, vs, 'DestinationErrors', [d.label, ruleLabel(rule), pct(d.errorRate), d.count, siblings.map((s) => s.label).join(', '), proxies.join(', ')], d.destination.path, proxies.length === 1 ? { proxy: proxies[0] } : {}));
      }
    }
    return out;
  },
};
