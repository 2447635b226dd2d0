// deprecation.DeprecationAnalyzer, networking fields only: a VirtualService fault delay in `percent` (replaced by
// `percentage`) and a Sidecar's outboundTrafficPolicy.egressProxy (ignored by Istio). IST0002.
import type { HTTPRoute, SidecarSpec, VirtualServiceSpec } from '../model/resources.js';
import type { Check, Finding } from './types.js';
import { report } from './report.js';

const NAME = 'deprecation.DeprecationAnalyzer';

export const deprecationCheck: Check = {
  name: NAME,
  description: 'deprecated or ignored networking fields (fault.delay.percent, outboundTrafficPolicy.egressProxy)',
  codes: [{ code: 'IST0002', level: 'Warning', summary: 'a deprecated or ignored field is set' }],
  run(input) {
    const out: Finding[] = [];
    for (const ctx of input.contexts) {
      for (const vs of ctx.kind<VirtualServiceSpec>('VirtualService')) {
        (vs.spec.http ?? []).forEach((r: HTTPRoute | undefined, i) => {
          const delay = (r?.fault as { delay?: { percent?: unknown } } | undefined)?.delay;
          if (typeof delay?.percent === 'number' && delay.percent > 0) {
            out.push(report(NAME, vs, 'Deprecated', ['HTTPRoute.fault.delay.percent is deprecated; use HTTPRoute.fault.delay.percentage'], `spec.http[${i}].fault.delay.percent`));
          }
        });
      }
      for (const sc of ctx.kind<SidecarSpec & { outboundTrafficPolicy?: { egressProxy?: unknown } }>('Sidecar')) {
        const egressProxy = sc.spec.outboundTrafficPolicy?.egressProxy;
        if (egressProxy !== undefined && egressProxy !== null) {
          out.push(report(NAME, sc, 'Deprecated', ['OutboundTrafficPolicy.EgressProxy ignored'], 'spec.outboundTrafficPolicy.egressProxy'));
        }
      }
    }
    return out;
  },
};
