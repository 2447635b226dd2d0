// gateway.IngressGatewayPortAnalyzer: a Gateway must select some pod (IST0101), and each server port should be a
// target port of a Service in front of those pods (IST0162).
import type { GatewaySpec, ServiceSpec } from '../model/resources.js';
import { selectorMatches } from '../mesh/hosts.js';
import type { Check, Finding } from './types.js';
import { selectorString } from './model.js';
import { report } from './report.js';

const NAME = 'gateway.IngressGatewayPortAnalyzer';

export const gatewayPortCheck: Check = {
  name: NAME,
  description: 'a Gateway selects no pod, or listens on a port no Service of its pods exposes',
  codes: [
    { code: 'IST0101', level: 'Error', summary: 'no pod matches the Gateway selector' },
    { code: 'IST0162', level: 'Warning', summary: 'Gateway port is not a target port of the gateway Service' },
  ],
  run(input) {
    const out: Finding[] = [];
    for (const ctx of input.contexts) {
      const pods = ctx.kind('Pod');
      const services = ctx.kind<ServiceSpec>('Service');
      for (const gw of ctx.kind<GatewaySpec>('Gateway')) {
        const selector = gw.spec.selector ?? {};
        const sel = selectorString(selector);
        const servicePorts = new Set<number>();
        let matches = 0;
        for (const pod of pods) {
          if (!selectorMatches(selector, pod.labels)) continue;
          matches++;
          for (const svc of services) {
            if (svc.namespace !== pod.namespace) continue;
            if (!svc.spec.selector || !selectorMatches(svc.spec.selector, pod.labels)) continue;
            for (const p of svc.spec.ports ?? []) {
              if ((p.protocol ?? 'TCP') !== 'TCP') continue;
              // The gateway listens on the target port; Istio also accepts the service port (it translates).
              const tp = typeof p.targetPort === 'number' ? p.targetPort : Number(p.targetPort);
              if (Number.isInteger(tp) && tp > 0) servicePorts.add(tp);
              servicePorts.add(p.port);
            }
          }
        }
        if (matches === 0) {
          out.push(report(NAME, gw, 'ReferencedResourceNotFound', ['selector', sel], 'spec.selector'));
          continue;
        }
        (gw.spec.servers ?? []).forEach((s, i) => {
          if (!s?.port) return;
          if (!servicePorts.has(s.port.number)) {
            out.push(report(NAME, gw, 'GatewayPortNotDefinedOnService', [s.port.number, sel], `spec.servers[${i}].port.number`));
          }
        });
      }
    }
    return out;
  },
};
