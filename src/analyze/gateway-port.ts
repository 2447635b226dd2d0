// gateway.IngressGatewayPortAnalyzer: a Gateway must select some pod (IST0101), and each server port should be a
// target port of a Service in front of those pods (IST0162).
import type { GatewaySpec, ServiceSpec } from '../model/resources.js';
import { selectorMatches } from '../mesh/hosts.js';
import type { Check, Finding } from './types.js';
import { selectorString, type AnalyzedObject } from './input.js';
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
      const servicesByNs = new Map<string, AnalyzedObject<ServiceSpec>[]>();
      for (const svc of ctx.kind<ServiceSpec>('Service')) {
        const l = servicesByNs.get(svc.namespace);
        if (l) l.push(svc);
        else servicesByNs.set(svc.namespace, [svc]);
      }
      // Ports of the Services in front of each pod, computed once per pod.
      const portsOfPod = new Map<AnalyzedObject, number[]>();
      const podPorts = (pod: AnalyzedObject): number[] => {
        let list = portsOfPod.get(pod);
        if (list) return list;
        list = [];
        for (const svc of servicesByNs.get(pod.namespace) ?? []) {
          if (!svc.spec.selector || !selectorMatches(svc.spec.selector, pod.labels)) continue;
          for (const p of svc.spec.ports ?? []) {
            if ((p.protocol ?? 'TCP') !== 'TCP') continue;
            // The gateway listens on the target port; Istio also accepts the service port (it translates).
            const tp = typeof p.targetPort === 'number' ? p.targetPort : Number(p.targetPort);
            if (Number.isInteger(tp) && tp > 0) list.push(tp);
            list.push(p.port);
          }
        }
        portsOfPod.set(pod, list);
        return list;
      };
      for (const gw of ctx.kind<GatewaySpec>('Gateway')) {
        const selector = gw.spec.selector ?? {};
        const sel = selectorString(selector);
        const servicePorts = new Set<number>();
        const matched = Object.keys(selector).length === 0 ? pods : ctx.selectPods(undefined, selector);
        const matches = matched.length;
        for (const pod of matched) for (const n of podPorts(pod)) servicePorts.add(n);
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
