// virtualservice.GatewayAnalyzer: a VirtualService's gateways must exist (IST0101), must not be
// implementation-generated internal Gateways (IST0165), and must serve at least one of its hosts (IST0132).
import type { GatewaySpec, VirtualServiceSpec } from '../model/resources.js';
import { GATEWAY_API_GATEWAY_KEY } from '../model/gateway-api.js';
import { hostsIntersect, parseGatewayHost, resolveGatewayRef } from '../mesh/hosts.js';
import type { Check, Finding } from './types.js';
import type { AnalyzedObject } from './input.js';
import { report } from './report.js';

const NAME = 'virtualservice.GatewayAnalyzer';

export const vsGatewayCheck: Check = {
  name: NAME,
  description: 'a VirtualService names a Gateway that does not exist, is internal, or does not serve its hosts',
  codes: [
    { code: 'IST0101', level: 'Error', summary: 'referenced gateway not found' },
    { code: 'IST0132', level: 'Warning', summary: 'no VirtualService host is among the Gateway hosts' },
    { code: 'IST0165', level: 'Warning', summary: 'reference to an implementation-generated internal Gateway' },
  ],
  run(input) {
    const out: Finding[] = [];
    for (const ctx of input.contexts) {
      const gateways = new Map<string, AnalyzedObject<GatewaySpec>>();
      for (const g of ctx.kind<GatewaySpec>('Gateway')) gateways.set(`${g.namespace}/${g.name}`, g);
      // A Gateway API Gateway may be named too: istiod binds such VirtualServices to its listeners.
      const gatewayApi = new Set(ctx.kind(GATEWAY_API_GATEWAY_KEY).map((g) => `${g.namespace}/${g.name}`));
      for (const vs of ctx.kind<VirtualServiceSpec>('VirtualService')) {
        const vsHosts = vs.spec.hosts ?? [];
        (vs.spec.gateways ?? []).forEach((ref, i) => {
          const path = `spec.gateways[${i}]`;
          if (ref === 'mesh') return;
          if (ref.includes('~')) {
            out.push(report(NAME, vs, 'ReferencedInternalGateway', [vs.fullName, ref], path));
            return;
          }
          const r = resolveGatewayRef(ref, vs.namespace);
          if (r.mesh) return;
          const gwKey = `${r.namespace}/${r.name}`;
          if (!gateways.has(gwKey) && gatewayApi.has(gwKey)) return;
          const gw = gateways.get(gwKey);
          if (!gw) out.push(report(NAME, vs, 'ReferencedResourceNotFound', ['gateway', ref], path));
          if (!hostInGateway(gw, vsHosts, vs.namespace)) {
            const gwName = r.namespace ? gwKey : r.name;
            out.push(report(NAME, vs, 'VirtualServiceHostNotFoundInGateway', [vsHosts, vs.fullName, gwName], path));
          }
        });
      }
    }
    return out;
  },
};

/** True when some server host of the gateway (visible to the VirtualService's namespace) matches some VS host. */
export function hostInGateway(gw: AnalyzedObject<GatewaySpec> | undefined, vsHosts: readonly string[], vsNs: string): boolean {
  if (!gw) return false;
  for (const s of gw.spec.servers ?? []) {
    for (const raw of s?.hosts ?? []) {
      const gh = parseGatewayHost(raw, gw.namespace);
      if (gh.namespace !== '*' && gh.namespace !== vsNs) continue;
      if (vsHosts.some((h) => hostsIntersect(gh.host, h))) return true;
    }
  }
  return false;
}
