// MS0202: a proxy routes a destination (with a positive weight) to an Envoy cluster that has no healthy endpoint.
// Proxies without endpoint data (no EDS, no /clusters) say nothing.
import type { Check, Finding } from './types.js';
import { toObj } from './input.js';
import { report } from './report.js';
import { meshRules, ruleLabel, ruleObject } from './mesh-rules.js';

const NAME = 'envoy.NoHealthyEndpoint';

export const envoyHealthCheck: Check = {
  name: NAME,
  description: 'a proxy routes a destination to an Envoy cluster with no healthy endpoint',
  needs: 'envoy',
  codes: [{ code: 'MS0202', level: 'Error', summary: 'routed Envoy cluster has no healthy endpoint' }],
  run(input) {
    const out: Finding[] = [];
    const seen = new Set<string>();
    for (const rule of meshRules(input)) {
      for (const d of rule.destinations) {
        if (d.mirror) continue;
        for (const link of d.envoy) {
          if (!link.cluster || link.weight === undefined || link.weight <= 0) continue;
          if (link.proxy.endpointsFrom === 'none' || link.healthy > 0) continue;
          const proxy = `${link.proxy.namespace}/${link.proxy.podName}`;
          const key = `${rule.id}|${proxy}|${link.name}`;
          if (seen.has(key)) continue;
          seen.add(key);
          const vs = toObj(ruleObject(rule), rule.vs.context, input.defaultNamespace);
          out.push(report(NAME, vs, 'NoHealthyEndpoint', [proxy, ruleLabel(rule), link.name, link.total], d.path, { proxy }));
        }
      }
    }
    return out;
  },
};
