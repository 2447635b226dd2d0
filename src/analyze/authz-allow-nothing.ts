// An ALLOW policy that admits no request (MS0504): it has no rules (istiod's match-nothing policy: with it, every
// request to the selected workloads is denied), or every rule contradicts itself (a value both required and
// excluded in the same source or operation, a `when` with a value in both values and notValues).
import type { Check, Finding } from './types.js';
import { isDryRun, policyAction, type AuthorizationPolicySpec, type AuthzRule } from '../model/security.js';
import { msReport } from './authz-common.js';

const NAME = 'authz.AllowAdmitsNothing';

type Fields = Record<string, string[] | undefined>;

function contradicts(f: Fields): boolean {
  return Object.entries(f).some(([k, vs]) => {
    if (k.startsWith('not') || !vs?.length) return false;
    const not = f[`not${k[0]!.toUpperCase()}${k.slice(1)}`] ?? [];
    return not.includes('*') || vs.every((v) => not.includes(v));
  });
}

export function ruleAdmitsNothing(rule: AuthzRule): boolean {
  const from = (rule.from ?? []).map((x) => (x?.source ?? {}) as Fields);
  const to = (rule.to ?? []).map((x) => (x?.operation ?? {}) as Fields);
  if (from.length > 0 && from.every(contradicts)) return true;
  if (to.length > 0 && to.every(contradicts)) return true;
  return (rule.when ?? []).some((c) => (c?.values ?? []).length > 0 && ((c.notValues ?? []).includes('*') || (c.values ?? []).every((v) => (c.notValues ?? []).includes(v))));
}

export const authzAllowNothingCheck: Check = {
  name: NAME,
  description: 'an ALLOW AuthorizationPolicy admits no request: no rules (deny everything), or only self-contradicting rules',
  codes: [{ code: 'MS0504', level: 'Warning', summary: 'an ALLOW policy admits no request' }],
  run(input) {
    const out: Finding[] = [];
    for (const ctx of input.contexts) {
      for (const ap of ctx.kind<AuthorizationPolicySpec>('AuthorizationPolicy')) {
        if (policyAction(ap.spec) !== 'ALLOW' || isDryRun(ap.annotations)) continue;
        const rules = (ap.spec?.rules ?? []).filter((r): r is AuthzRule => !!r);
        if (rules.length === 0) {
          out.push(msReport(NAME, ap, 'AllowAdmitsNothing', [`${ap.namespace}/${ap.name}`, 'it has no rules, so every request to the workloads it selects is denied (allow-nothing)'], 'spec.rules'));
        } else if (rules.every(ruleAdmitsNothing)) {
          out.push(msReport(NAME, ap, 'AllowAdmitsNothing', [`${ap.namespace}/${ap.name}`, 'every rule requires and excludes the same value'], 'spec.rules'));
        }
      }
    }
    return out;
  },
};
