// MS0301: a ServiceEntry endpoint or `.global` host leads to no loaded gateway, or to a gateway that does not serve
// the host. The join (src/mesh/join-cross.ts) follows the hops; this check reports the ones it could not complete.
// A hop into a gateway that is there but does not serve the host is an Error; a hop that leads to no loaded
// context (perhaps just not loaded) is a Warning.
import type { Check, Finding } from './types.js';
import { toObj } from './input.js';
import { report } from './report.js';
import { meshRules, ruleLabel, ruleObject } from './mesh-rules.js';

const NAME = 'multicluster.CrossClusterHop';

export const crossClusterHopCheck: Check = {
  name: NAME,
  description: 'a ServiceEntry endpoint or .global host leads to no loaded gateway, or to a gateway that does not serve the host',
  needs: 'mesh',
  codes: [{ code: 'MS0301', level: 'Error', summary: 'broken cross-cluster hop' }],
  run(input) {
    const out: Finding[] = [];
    for (const rule of meshRules(input)) {
      for (const d of rule.destinations) {
        const seen = new Set<string>();
        for (const p of d.problems) {
          if (p.code !== 'MS0301' || seen.has(p.message)) continue;
          seen.add(p.message);
          const vs = toObj(ruleObject(rule), rule.vs.context, input.defaultNamespace);
          const f = report(NAME, vs, 'BrokenCrossClusterHop', [ruleLabel(rule), p.message], p.path ?? d.path, {
            related: d.hops.map((h) => h.context),
          });
          if (p.severity === 'warning') f.level = 'Warning';
          out.push(f);
        }
      }
    }
    return out;
  },
};
