// virtualservice.ConflictingMeshGatewayHostsAnalyzer: two VirtualServices bound to the mesh gateway (sidecars)
// define the same host where both are visible (IST0109); sidecars pick one of them arbitrarily.
import type { VirtualServiceSpec } from '../model/resources.js';
import { toFqdn } from '../mesh/hosts.js';
import type { Check, Finding } from './types.js';
import type { AnalyzedObject } from './input.js';
import { report } from './report.js';

const NAME = 'virtualservice.ConflictingMeshGatewayHostsAnalyzer';

export const vsMeshGatewayHostsCheck: Check = {
  name: NAME,
  description: 'several mesh-bound VirtualServices define the same host in overlapping exportTo scopes',
  codes: [{ code: 'IST0109', level: 'Error', summary: 'mesh VirtualServices define the same host' }],
  run(input) {
    const out: Finding[] = [];
    for (const ctx of input.contexts) {
      const byHost = new Map<string, { vs: AnalyzedObject<VirtualServiceSpec>; index: number }[]>();
      for (const vs of ctx.kind<VirtualServiceSpec>('VirtualService')) {
        const gws = vs.spec.gateways ?? [];
        if (gws.length > 0 && !gws.includes('mesh')) continue;
        (vs.spec.hosts ?? []).forEach((h, index) => {
          const fqdn = vs.namespace ? toFqdn(h, vs.namespace) : h;
          const list = byHost.get(fqdn);
          if (list) list.push({ vs, index });
          else byHost.set(fqdn, [{ vs, index }]);
        });
      }
      const reported = new Set<AnalyzedObject>();
      for (const [host, list] of byHost) {
        if (list.length < 2) continue;
        for (const a of list) {
          if (reported.has(a.vs)) continue;
          const peers = list.filter((b) => b.vs !== a.vs && scopesOverlap(a.vs, b.vs));
          if (peers.length === 0) continue;
          reported.add(a.vs);
          const names = [a, ...peers].map((x) => x.vs.fullName).sort().join(',');
          out.push(report(NAME, a.vs, 'ConflictingMeshGatewayVirtualServiceHosts', [names, host], `spec.hosts[${a.index}]`));
        }
      }
    }
    return out;
  },
};

/** Namespaces a VirtualService is visible in; undefined = all. */
function scope(vs: AnalyzedObject<VirtualServiceSpec>): Set<string> | undefined {
  const e = vs.spec.exportTo;
  if (!e || e.length === 0 || e.includes('*')) return undefined;
  return new Set(e.map((x) => (x === '.' ? vs.namespace : x)));
}

function scopesOverlap(a: AnalyzedObject<VirtualServiceSpec>, b: AnalyzedObject<VirtualServiceSpec>): boolean {
  const sa = scope(a);
  const sb = scope(b);
  if (!sa || !sb) return (sa ?? sb ?? new Set(['*'])).size > 0;
  for (const n of sa) if (sb.has(n)) return true;
  return false;
}
