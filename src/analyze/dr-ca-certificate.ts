// destinationrule.CaCertificateAnalyzer: TLS origination (SIMPLE/MUTUAL) without caCertificates does not verify
// the server (IST0128 for the rule, IST0129 per port). A credentialName with a workloadSelector carries the CA.
import type { DestinationRuleSpec } from '../model/resources.js';
import type { Check, Finding } from './types.js';
import type { AnalyzedObject } from './input.js';
import { report } from './report.js';

const NAME = 'destinationrule.CaCertificateAnalyzer';

interface Tls { mode?: string; caCertificates?: string; credentialName?: string; insecureSkipVerify?: boolean | { value?: boolean } }

export const drCaCertificateCheck: Check = {
  name: NAME,
  description: 'a DestinationRule originates TLS without CA certificates to verify the server',
  codes: [
    { code: 'IST0128', level: 'Warning', summary: 'TLS mode SIMPLE/MUTUAL without caCertificates' },
    { code: 'IST0129', level: 'Warning', summary: 'same, in a port-level setting' },
  ],
  run(input) {
    const out: Finding[] = [];
    for (const ctx of input.contexts) {
      for (const dr of ctx.kind<DestinationRuleSpec>('DestinationRule')) {
        const tp = (dr.spec.trafficPolicy ?? {}) as { tls?: Tls; portLevelSettings?: { port?: { number?: number }; tls?: Tls }[] };
        if (unverified(dr, tp.tls)) {
          out.push(report(NAME, dr, 'NoServerCertificateVerificationDestinationLevel', [dr.name, dr.namespace, tp.tls!.mode, dr.spec.host], 'spec.trafficPolicy.tls'));
        }
        (tp.portLevelSettings ?? []).forEach((pls, i) => {
          if (unverified(dr, pls?.tls)) {
            out.push(report(NAME, dr, 'NoServerCertificateVerificationPortLevel', [dr.name, dr.namespace, pls.tls!.mode, dr.spec.host, String(pls.port?.number ?? 0)], `spec.trafficPolicy.portLevelSettings[${i}].tls`));
          }
        });
      }
    }
    return out;
  },
};

function unverified(dr: AnalyzedObject<DestinationRuleSpec>, tls: Tls | undefined): boolean {
  if (!tls) return false;
  const mode = (tls.mode ?? '').toUpperCase();
  if (mode !== 'SIMPLE' && mode !== 'MUTUAL') return false;
  if (tls.caCertificates) return false;
  const skip = typeof tls.insecureSkipVerify === 'object' ? tls.insecureSkipVerify?.value : tls.insecureSkipVerify;
  if (skip) return false;
  if (tls.credentialName && dr.spec.workloadSelector) return false;
  return true;
}
