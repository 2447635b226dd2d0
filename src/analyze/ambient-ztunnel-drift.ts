// ztunnel drift: what the labels ask for against what ztunnel knows (labelled ambient but unknown to ztunnel or not
// captured, captured but not labelled, a waypoint named but not bound, another node or service account).
import type { Check, Finding } from './types.js';
import { ambientFinding, ambientOf } from './ambient-common.js';

const NAME = 'ambient.ZtunnelDriftAnalyzer';

export const ambientZtunnelDriftCheck: Check = {
  name: NAME,
  needs: 'envoy',
  description: 'ambient enrollment from labels agrees with what ztunnel knows of each workload and service',
  codes: [{ code: 'MS0606', level: 'Warning', summary: "a workload's or service's labels and ztunnel's view differ" }],
  run(input) {
    const out: Finding[] = [];
    for (const ctx of input.contexts) {
      const a = ambientOf(ctx);
      if (!a.hasZtunnelDump) continue;
      for (const pod of ctx.kind('Pod')) {
        const e = a.pods.get(`${pod.namespace}/${pod.name}`);
        for (const d of e?.drift ?? []) {
          if (d.code === 'sidecar-and-ambient') continue;
          out.push(ambientFinding(NAME, pod, 'MS0606', 'Warning', `ztunnel drift (${d.code}): ${d.message}`, d.path, e?.ztunnel ? { proxy: `istio-system/${e.ztunnel.ztunnelPod}` } : {}));
        }
      }
      for (const svc of ctx.kind('Service')) {
        const e = a.services.get(`${svc.namespace}/${svc.name}`);
        for (const d of e?.drift ?? []) out.push(ambientFinding(NAME, svc, 'MS0606', 'Warning', `ztunnel drift (${d.code}): ${d.message}`, d.path, e?.ztunnel ? { proxy: `istio-system/${e.ztunnel.ztunnelPod}` } : {}));
      }
    }
    return out;
  },
};
