// gateway.ConflictingGatewayAnalyzer: two Gateways with the same selector and port declare intersecting hosts
// (IST0145); the gateway pods get only one of them.
import type { GatewaySpec } from '../model/resources.js';
import { hostsIntersect } from '../mesh/hosts.js';
import type { Check, Finding } from './types.js';
import { selectorString } from './input.js';
import { report } from './report.js';

const NAME = 'gateway.ConflictingGatewayAnalyzer';

export const gatewayConflictCheck: Check = {
  name: NAME,
  description: 'Gateways with the same selector and port declare the same host',
  codes: [{ code: 'IST0145', level: 'Error', summary: 'conflicting Gateways (same selector, port and host)' }],
  run(input) {
    const out: Finding[] = [];
    for (const ctx of input.contexts) {
      // selector~port → gateway full name → hosts
      const byKey = new Map<string, Map<string, string[]>>();
      const gws = ctx.kind<GatewaySpec>('Gateway');
      for (const gw of gws) {
        const sel = selectorString(gw.spec.selector);
        for (const s of gw.spec.servers ?? []) {
          const key = `${sel}~${s?.port?.number ?? 0}`;
          let m = byKey.get(key);
          if (!m) byKey.set(key, (m = new Map()));
          m.set(gw.fullName, [...(m.get(gw.fullName) ?? []), ...(s?.hosts ?? [])]);
        }
      }
      for (const gw of gws) {
        const sel = selectorString(gw.spec.selector);
        (gw.spec.servers ?? []).forEach((s, i) => {
          const port = String(s?.port?.number ?? 0);
          const others = byKey.get(`${sel}~${port}`);
          if (!others) return;
          const conflicts: string[] = [];
          for (const [name, hosts] of others) {
            if (name === gw.fullName) continue;
            for (const h of s.hosts ?? []) {
              if (hosts.some((o) => hostsIntersect(bare(h), bare(o)))) conflicts.push(name);
            }
          }
          if (conflicts.length > 0) {
            conflicts.sort();
            out.push(report(NAME, gw, 'ConflictingGateways', [conflicts.join(','), sel, port, s.hosts ?? []], `spec.servers[${i}].hosts`));
          }
        });
      }
    }
    return out;
  },
};

/** Gateway server hosts may carry a `ns/` prefix; the host part decides conflicts. */
function bare(h: string): string {
  const i = h.indexOf('/');
  return i < 0 ? h : h.slice(i + 1);
}
