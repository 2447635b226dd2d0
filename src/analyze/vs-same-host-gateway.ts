// Kiali's "more than one VirtualService for the same host", for gateways: a gateway merges VirtualServices per host
// only by delegation, so two binding the same host to the same Gateway leave one of them unused (MS0001).
// Mesh-bound VirtualServices are istioctl's IST0109 (virtualservice.ConflictingMeshGatewayHostsAnalyzer).
import type { VirtualServiceSpec } from '../model/resources.js';
import { resolveGatewayRef, toFqdn } from '../mesh/hosts.js';
import type { Check, Finding } from './types.js';
import type { AnalyzedObject } from './input.js';
import { report } from './report.js';

const NAME = 'virtualservice.SameHostOnGateway';

export const vsSameHostGatewayCheck: Check = {
  name: NAME,
  description: 'more than one VirtualService binds the same host to the same Gateway (Kiali KIA1106)',
  codes: [{ code: 'MS0001', level: 'Warning', summary: 'several VirtualServices for one host on one Gateway' }],
  run(input) {
    const out: Finding[] = [];
    for (const ctx of input.contexts) {
      const byKey = new Map<string, { vs: AnalyzedObject<VirtualServiceSpec>; gi: number; gw: string; host: string }[]>();
      for (const vs of ctx.kind<VirtualServiceSpec>('VirtualService')) {
        (vs.spec.gateways ?? []).forEach((ref, gi) => {
          const r = resolveGatewayRef(ref, vs.namespace);
          if (r.mesh) return;
          const gw = `${r.namespace}/${r.name}`;
          for (const h of new Set((vs.spec.hosts ?? []).map((x) => toFqdn(x, vs.namespace)))) {
            const key = `${gw} ${h}`;
            const list = byKey.get(key) ?? [];
            list.push({ vs, gi, gw, host: h });
            byKey.set(key, list);
          }
        });
      }
      const reported = new Set<AnalyzedObject>();
      for (const list of byKey.values()) {
        const distinct = new Set(list.map((x) => x.vs));
        if (distinct.size < 2) continue;
        const names = [...distinct].map((v) => v.fullName).sort().join(',');
        for (const x of list) {
          if (reported.has(x.vs)) continue;
          reported.add(x.vs);
          out.push(report(NAME, x.vs, 'MultipleVirtualServicesForHost', [names, x.gw, x.host], `spec.gateways[${x.gi}]`));
        }
      }
    }
    return out;
  },
};
