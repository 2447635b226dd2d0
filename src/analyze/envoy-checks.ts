// meshscope's checks over the joined mesh (intent ⋈ Envoy): drift between a VirtualService rule and the Envoy
// route a proxy runs (MS0201, per proxy), and routed Envoy clusters without a healthy endpoint (MS0202).
import type { Check, Finding } from './types.js';
import type { AnalysisInput } from './model.js';
import { toObj } from './model.js';
import type { RuleModel } from '../mesh/model.js';
import { report } from './report.js';

const DRIFT = 'envoy.RouteDrift';
const HEALTH = 'envoy.NoHealthyEndpoint';

function ruleLabel(r: RuleModel): string {
  return r.name ? JSON.stringify(r.name) : `${r.protocol}[${r.index}]`;
}

function rules(input: AnalysisInput): RuleModel[] {
  return input.mesh ? [...input.mesh.allRules()] : [];
}

export const envoyDriftCheck: Check = {
  name: DRIFT,
  description: "a proxy's Envoy route sends to other clusters or weights than the VirtualService rule says",
  needs: 'envoy',
  codes: [{ code: 'MS0201', level: 'Warning', summary: 'Envoy route differs from intent on a proxy (stale or failed push)' }],
  run(input) {
    const out: Finding[] = [];
    for (const rule of rules(input)) {
      const vs = toObj(rule.vs.lo, rule.vs.context, input.defaultNamespace);
      const perProxy = new Map<string, Set<string>>();
      for (const rm of rule.envoyRoutes) {
        if (rm.drift.length === 0) continue;
        const p = `${rm.proxy.namespace}/${rm.proxy.podName}`;
        const s = perProxy.get(p) ?? new Set<string>();
        for (const d of rm.drift) s.add(d);
        perProxy.set(p, s);
      }
      for (const [proxy, diffs] of perProxy) {
        out.push(report(DRIFT, vs, 'EnvoyRouteDrift', [proxy, ruleLabel(rule), [...diffs].join('; ')], rule.path, { proxy }));
      }
    }
    return out;
  },
};

export const envoyHealthCheck: Check = {
  name: HEALTH,
  description: 'a proxy routes a destination to an Envoy cluster with no healthy endpoint',
  needs: 'envoy',
  codes: [{ code: 'MS0202', level: 'Error', summary: 'routed Envoy cluster has no healthy endpoint' }],
  run(input) {
    const out: Finding[] = [];
    const seen = new Set<string>();
    for (const rule of rules(input)) {
      const vs = toObj(rule.vs.lo, rule.vs.context, input.defaultNamespace);
      for (const d of rule.destinations) {
        if (d.mirror) continue;
        for (const link of d.envoy) {
          if (!link.cluster || link.weight === undefined || link.weight <= 0) continue;
          if (link.proxy.endpointsFrom === 'none' || link.healthy > 0) continue;
          const proxy = `${link.proxy.namespace}/${link.proxy.podName}`;
          const key = `${rule.id}|${proxy}|${link.name}`;
          if (seen.has(key)) continue;
          seen.add(key);
          out.push(report(HEALTH, vs, 'NoHealthyEndpoint', [proxy, ruleLabel(rule), link.name, link.total], d.path, { proxy }));
        }
      }
    }
    return out;
  },
};

export const crossClusterHopCheck: Check = {
  name: 'multicluster.CrossClusterHop',
  description: 'a ServiceEntry endpoint or .global host leads to no loaded gateway, or to a gateway that does not serve the host',
  needs: 'mesh',
  codes: [{ code: 'MS0301', level: 'Error', summary: 'broken cross-cluster hop' }],
  run(input) {
    const out: Finding[] = [];
    for (const rule of rules(input)) {
      const vs = toObj(rule.vs.lo, rule.vs.context, input.defaultNamespace);
      for (const d of rule.destinations) {
        const seen = new Set<string>();
        for (const p of d.problems) {
          if (p.code !== 'MS0301' || seen.has(p.message)) continue;
          seen.add(p.message);
          const f = report('multicluster.CrossClusterHop', vs, 'BrokenCrossClusterHop', [ruleLabel(rule), p.message], p.path ?? d.path, {
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
