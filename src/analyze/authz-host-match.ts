// A rule's `to.operation.hosts` value matches no host the mesh serves in that context (Service names in every
// form a Host header takes, ServiceEntry hosts, Gateway hosts): the operation never matches (MS0502).
import type { Check, Finding } from './types.js';
import type { ContextIndex } from './input.js';
import type { AuthorizationPolicySpec } from '../model/security.js';
import { msReport } from './authz-common.js';

const NAME = 'authz.HostMatchesNothing';

function wild(pattern: string, value: string): boolean {
  const [p, v] = [pattern.toLowerCase(), value.toLowerCase()];
  if (p === '*') return true;
  if (p.startsWith('*')) return v.endsWith(p.slice(1));
  if (p.endsWith('*')) return v.startsWith(p.slice(0, -1));
  return p === v;
}

function servedHosts(ctx: ContextIndex): string[] {
  const out: string[] = [];
  for (const s of ctx.kind('Service')) out.push(s.name, `${s.name}.${s.namespace}`, `${s.name}.${s.namespace}.svc`, `${s.name}.${s.namespace}.svc.cluster.local`);
  for (const se of ctx.kind('ServiceEntry')) for (const h of se.spec?.hosts ?? []) if (typeof h === 'string') out.push(h);
  for (const g of ctx.kind('Gateway')) for (const srv of g.spec?.servers ?? []) for (const h of srv?.hosts ?? []) if (typeof h === 'string') out.push(h.includes('/') ? h.slice(h.indexOf('/') + 1) : h);
  for (const vs of ctx.kind('VirtualService')) for (const h of vs.spec?.hosts ?? []) if (typeof h === 'string') out.push(h);
  return out;
}

export const authzHostMatchCheck: Check = {
  name: NAME,
  description: "an AuthorizationPolicy operation's host matches no Service, ServiceEntry, Gateway or VirtualService host",
  codes: [{ code: 'MS0502', level: 'Warning', summary: 'a host in a rule matches nothing the mesh serves' }],
  run(input) {
    const out: Finding[] = [];
    for (const ctx of input.contexts) {
      let hosts: string[] | undefined;
      for (const ap of ctx.kind<AuthorizationPolicySpec>('AuthorizationPolicy')) {
        (ap.spec?.rules ?? []).forEach((rule, i) => (rule?.to ?? []).forEach((to, j) => {
          (to?.operation?.hosts ?? []).forEach((h, k) => {
            if (typeof h !== 'string' || h === '*') return;
            hosts ??= servedHosts(ctx);
            const bare = h.replace(/:\d+$/, '');
            // A served wildcard host (`*.example.com`) can carry a concrete Host header too.
            if (hosts.some((s) => wild(bare, s) || wild(s, bare))) return;
            out.push(msReport(NAME, ap, 'AuthzHostMatchesNothing', [h, `context ${ctx.name}`], `spec.rules[${i}].to[${j}].operation.hosts[${k}]`));
          });
        }));
      }
    }
    return out;
  },
};
