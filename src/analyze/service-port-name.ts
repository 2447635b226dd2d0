// service.PortNameAnalyzer: Service ports should be named `<protocol>[-<suffix>]` (or carry appProtocol) so Istio
// knows the protocol (IST0118); ExternalName Services need a non-TCP protocol name (IST0150).
import type { ServiceSpec } from '../model/resources.js';
import type { Check, Finding } from './types.js';
import { report } from './report.js';

const NAME = 'service.PortNameAnalyzer';

const PROTOCOLS = new Set(['http', 'http2', 'https', 'grpc', 'grpc-web', 'tcp', 'tls', 'mongo', 'redis', 'mysql', 'udp', 'http_proxy', 'hbone']);
const SYSTEM_NAMESPACES = new Set(['kube-system', 'kube-public', 'kube-node-lease', 'local-path-storage']);

/** Istio's protocol from a port name or appProtocol ('' when unsupported). */
export function portProtocol(name: string | undefined, appProtocol: string | undefined, protocol: string | undefined): string {
  if ((protocol ?? '').toUpperCase() === 'UDP') return 'udp';
  const candidates = [appProtocol, name].filter((x): x is string => Boolean(x));
  for (const c of candidates) {
    const lower = c.toLowerCase();
    if (PROTOCOLS.has(lower)) return lower;
    const i = lower.indexOf('-');
    if (i > 0) {
      const head = lower.slice(0, i);
      if (lower.startsWith('grpc-web')) return 'grpc-web';
      if (PROTOCOLS.has(head)) return head;
    }
    if (c === appProtocol) return '';
  }
  return '';
}

export const servicePortNameCheck: Check = {
  name: NAME,
  description: 'Service port names that do not tell Istio the protocol',
  codes: [
    { code: 'IST0118', level: 'Info', summary: 'port name does not follow <protocol>[-<suffix>]' },
    { code: 'IST0150', level: 'Warning', summary: 'ExternalName Service port is unnamed or TCP' },
  ],
  run(input) {
    const out: Finding[] = [];
    for (const ctx of input.contexts) {
      for (const svc of ctx.kind<ServiceSpec>('Service')) {
        if (SYSTEM_NAMESPACES.has(svc.namespace)) continue;
        if ('istio' in svc.labels || svc.labels.release === 'istio') continue;
        const external = svc.spec.type === 'ExternalName';
        (svc.spec.ports ?? []).forEach((p, i) => {
          const proto = portProtocol(p.name, p.appProtocol, p.protocol);
          if (external) {
            if (proto === '' || proto === 'tcp') out.push(report(NAME, svc, 'ExternalNameServiceTypeInvalidPortName', [], `spec.ports[${i}].name`));
          } else if (proto === '') {
            out.push(report(NAME, svc, 'PortNameIsNotUnderNamingConvention', [p.name ?? '', p.port, String(p.targetPort ?? 0)], `spec.ports[${i}].name`));
          }
        });
      }
    }
    return out;
  },
};
