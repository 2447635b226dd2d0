// MS0201: a proxy's Envoy route sends to other clusters or weights than the VirtualService rule says (a stale or
// rejected push). One finding per rule and proxy, listing every difference the join found.
import type { Check, Finding } from './types.js';
import { toObj } from './input.js';
import { report } from './report.js';
import { meshRules, ruleLabel, ruleObject } from './mesh-rules.js';

const NAME = 'envoy.RouteDrift';

export const envoyDriftCheck: Check = {
  name: NAME,
  description: "a proxy's Envoy route sends to other clusters or weights than the VirtualService rule says",
  needs: 'envoy',
  codes: [{ code: 'MS0201', level: 'Warning', summary: 'Envoy route differs from intent on a proxy (stale or failed push)' }],
  run(input) {
    const out: Finding[] = [];
    for (const rule of meshRules(input)) {
      const perProxy = new Map<string, Set<string>>();
      for (const rm of rule.envoyRoutes) {
        if (rm.drift.length === 0) continue;
        const p = `${rm.proxy.namespace}/${rm.proxy.podName}`;
        const s = perProxy.get(p) ?? new Set<string>();
        for (const d of rm.drift) s.add(d);
        perProxy.set(p, s);
      }
      if (perProxy.size === 0) continue;
      const vs = toObj(ruleObject(rule), rule.vs.context, input.defaultNamespace);
      for (const [proxy, diffs] of perProxy) {
        out.push(report(NAME, vs, 'EnvoyRouteDrift', [proxy, ruleLabel(rule), [...diffs].join('; ')], rule.path, { proxy }));
      }
    }
    return out;
  },
};
