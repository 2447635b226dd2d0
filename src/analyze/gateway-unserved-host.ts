// A Gateway server host that no VirtualService bound to the Gateway serves (MS0007): the gateway accepts the
// connection and answers 404. Servers that need no route are skipped: httpsRedirect, and AUTO_PASSTHROUGH (SNI
// routing straight to the cluster, as east-west gateways do).
import type { GatewaySpec, VirtualServiceSpec } from '../model/resources.js';
import { hostsIntersect, parseGatewayHost, resolveGatewayRef } from '../mesh/hosts.js';
import type { Check, Finding } from './types.js';
import type { AnalyzedObject } from './input.js';
import { report } from './report.js';

const NAME = 'gateway.UnservedHost';

export const gatewayUnservedHostCheck: Check = {
  name: NAME,
  description: 'a Gateway server host is served by no VirtualService bound to the Gateway',
  codes: [{ code: 'MS0007', level: 'Warning', summary: 'Gateway host with no VirtualService (404)' }],
  run(input) {
    const out: Finding[] = [];
    for (const ctx of input.contexts) {
      const bound = new Map<string, AnalyzedObject<VirtualServiceSpec>[]>();
      for (const vs of ctx.kind<VirtualServiceSpec>('VirtualService')) {
        for (const ref of vs.spec.gateways ?? []) {
          const r = resolveGatewayRef(ref, vs.namespace);
          if (r.mesh) continue;
          const k = `${r.namespace}/${r.name}`;
          bound.set(k, [...(bound.get(k) ?? []), vs]);
        }
      }
      for (const gw of ctx.kind<GatewaySpec>('Gateway')) {
        const vss = bound.get(`${gw.namespace}/${gw.name}`) ?? [];
        (gw.spec.servers ?? []).forEach((s, i) => {
          const mode = String(s?.tls?.mode ?? '').toUpperCase();
          if (!s?.port || s.tls?.httpsRedirect || mode === 'AUTO_PASSTHROUGH') return;
          for (const raw of s.hosts ?? []) {
            const gh = parseGatewayHost(raw, gw.namespace);
            const served = vss.some((vs) => (gh.namespace === '*' || gh.namespace === vs.namespace)
              && (vs.spec.hosts ?? []).some((h) => hostsIntersect(h, gh.host)));
            if (!served) out.push(report(NAME, gw, 'GatewayHostNotServed', [raw, s.port.number], `spec.servers[${i}].hosts`));
          }
        });
      }
    }
    return out;
  },
};
