// serviceentry.Analyzer: a ServiceEntry with TCP (or unspecified-protocol) ports and no addresses cannot be told
// apart from other TCP traffic on the port (IST0134), unless DNS capture with address allocation gives it one.
import type { ServiceEntrySpec } from '../model/resources.js';
import type { Check, Finding } from './types.js';
import { report } from './report.js';

const NAME = 'serviceentry.Analyzer';

export const serviceEntryAddressesCheck: Check = {
  name: NAME,
  description: 'a ServiceEntry with TCP ports has no addresses (and none is auto-allocated)',
  codes: [{ code: 'IST0134', level: 'Warning', summary: 'ServiceEntry addresses are required for this protocol' }],
  run(input) {
    const out: Finding[] = [];
    const md = input.meshConfig.proxyMetadata;
    const dnsCapture = md.ISTIO_META_DNS_CAPTURE === 'true';
    const autoAllocate = dnsCapture && md.ISTIO_META_DNS_AUTO_ALLOCATE === 'true';
    for (const ctx of input.contexts) {
      for (const se of ctx.kind<ServiceEntrySpec>('ServiceEntry')) {
        if ((se.spec.addresses ?? []).length > 0 || autoAllocate) continue;
        const allocated = (se.loaded.obj.status as { addresses?: unknown[] } | undefined)?.addresses ?? [];
        if (dnsCapture && allocated.length > 0) continue;
        (se.spec.ports ?? []).forEach((p, i) => {
          const proto = (p?.protocol ?? '').toUpperCase();
          if (proto === '' || proto === 'TCP') out.push(report(NAME, se, 'ServiceEntryAddressesRequired', [], `spec.ports[${i}].protocol`));
        });
      }
    }
    return out;
  },
};
