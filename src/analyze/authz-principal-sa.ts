// A rule's principals (or serviceAccounts, or `when: source.principal`) name a service account that does not exist
// in that namespace of the context: no ServiceAccount object and no pod running as it (MS0501).
import type { Check, Finding } from './types.js';
import type { ContextIndex } from './input.js';
import type { AuthorizationPolicySpec } from '../model/security.js';
import { msReport } from './authz-common.js';

const NAME = 'authz.PrincipalServiceAccount';

/** `td/ns/NS/sa/SA` without wildcards → NS and SA. */
export function principalAccount(p: string): { ns: string; sa: string } | undefined {
  const m = /^[^/*]+\/ns\/([^/*]+)\/sa\/([^/*]+)$/.exec(p);
  return m ? { ns: m[1]!, sa: m[2]! } : undefined;
}

function accountExists(ctx: ContextIndex, ns: string, sa: string): boolean | undefined {
  const known = ctx.kind('Namespace').some((n) => n.name === ns) || ctx.objects.some((o) => o.namespace === ns);
  if (!known) return undefined;
  if (ctx.kind('ServiceAccount').some((s) => s.namespace === ns && s.name === sa)) return true;
  return ctx.kind('Pod').some((p) => p.namespace === ns && (p.spec?.serviceAccountName ?? p.spec?.serviceAccount ?? 'default') === sa);
}

export const authzPrincipalSaCheck: Check = {
  name: NAME,
  description: "an AuthorizationPolicy's principal names a service account that no pod runs as and no ServiceAccount defines",
  codes: [{ code: 'MS0501', level: 'Warning', summary: 'a principal names a service account that does not exist' }],
  run(input) {
    const out: Finding[] = [];
    for (const ctx of input.contexts) {
      for (const ap of ctx.kind<AuthorizationPolicySpec>('AuthorizationPolicy')) {
        const check = (value: unknown, account: { ns: string; sa: string } | undefined, path: string) => {
          if (typeof value !== 'string' || !account) return;
          if (accountExists(ctx, account.ns, account.sa) === false) {
            out.push(msReport(NAME, ap, 'PrincipalServiceAccountNotFound', [value, `${account.ns}/${account.sa}`, ctx.name], path));
          }
        };
        (ap.spec?.rules ?? []).forEach((rule, i) => {
          (rule?.from ?? []).forEach((from, j) => {
            (from?.source?.principals ?? []).forEach((p, k) => check(p, principalAccount(String(p)), `spec.rules[${i}].from[${j}].source.principals[${k}]`));
            (from?.source?.serviceAccounts ?? []).forEach((v, k) => {
              const s = String(v);
              const slash = s.indexOf('/');
              const account = s.includes('*') ? undefined : slash < 0 ? { ns: ap.namespace, sa: s } : { ns: s.slice(0, slash), sa: s.slice(slash + 1) };
              check(v, account, `spec.rules[${i}].from[${j}].source.serviceAccounts[${k}]`);
            });
          });
          (rule?.when ?? []).forEach((c, j) => {
            if (c?.key !== 'source.principal') return;
            (c.values ?? []).forEach((p, k) => check(p, principalAccount(String(p)), `spec.rules[${i}].when[${j}].values[${k}]`));
          });
        });
      }
    }
    return out;
  },
};
