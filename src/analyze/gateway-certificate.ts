// gateway.CertificateAnalyzer: the same certificate on Gateways whose pods overlap lets HTTP/2 clients reuse a
// connection for the other Gateway's hosts and get 404s (IST0138).
import type { GatewaySpec } from '../model/resources.js';
import { selectorMatches } from '../mesh/hosts.js';
import type { Check, Finding } from './types.js';
import { report } from './report.js';

const NAME = 'gateway.CertificateAnalyzer';

interface ServerTls { credentialName?: string; serverCertificate?: string }

function sameCertificate(a: ServerTls, b: ServerTls): boolean {
  if (a.credentialName && b.credentialName) return a.credentialName === b.credentialName;
  if (!a.credentialName && !b.credentialName && a.serverCertificate && b.serverCertificate) return a.serverCertificate === b.serverCertificate;
  return false;
}

export const gatewayCertificateCheck: Check = {
  name: NAME,
  description: 'the same TLS certificate is used by Gateways on the same pods',
  codes: [{ code: 'IST0138', level: 'Warning', summary: 'duplicate certificate in several Gateways' }],
  run(input) {
    const out: Finding[] = [];
    for (const ctx of input.contexts) {
      const gws = ctx.kind<GatewaySpec>('Gateway');
      for (const gw of gws) {
        const names = new Set<string>();
        for (const other of gws) {
          if (other === gw) continue;
          // The other Gateway's pods are all selected by this one (its selector is a subset of the other's).
          if (!selectorMatches(gw.spec.selector ?? {}, other.spec.selector ?? {})) continue;
          for (const s of gw.spec.servers ?? []) {
            for (const o of other.spec.servers ?? []) {
              if (s?.tls && o?.tls && sameCertificate(s.tls as ServerTls, o.tls as ServerTls)) names.add(other.fullName);
            }
          }
        }
        if (names.size > 0) {
          const all = [...names, gw.fullName].sort();
          out.push(report(NAME, gw, 'GatewayDuplicateCertificate', [all], 'spec.servers'));
        }
      }
    }
    return out;
  },
};
