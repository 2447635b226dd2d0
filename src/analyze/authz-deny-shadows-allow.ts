// A DENY rule denies everything an ALLOW rule would allow, for every workload the ALLOW policy selects: the ALLOW
// rule is dead (MS0503). DENY rules with negative fields or `when` conditions are never taken as covering.
import type { Check, Finding } from './types.js';
import type { AnalyzedObject } from './input.js';
import { isDryRun, policyAction, type AuthorizationPolicySpec, type AuthzRule } from '../model/security.js';
import { msReport, podInMesh, selectsPod } from './authz-common.js';

const NAME = 'authz.DenyMakesAllowDead';

function covers(d: string, a: string): boolean {
  if (d === '*' || d === a) return true;
  if (d.endsWith('*') && !a.startsWith('*')) return a.startsWith(d.slice(0, -1));
  if (d.startsWith('*') && !a.endsWith('*')) return a.endsWith(d.slice(1));
  return false;
}

type Fields = Record<string, string[] | undefined>;

/** Every field of the DENY entry is unset, or covers every value of the same field of the ALLOW entry. */
function entryCovers(deny: Fields, allow: Fields): boolean {
  for (const [k, dv] of Object.entries(deny)) {
    if (!dv?.length) continue;
    if (k.startsWith('not')) return false;
    const av = allow[k];
    if (!av?.length || !av.every((a) => dv.some((d) => covers(d, a)))) return false;
  }
  return true;
}

function listCovers(deny: Fields[], allow: Fields[]): boolean {
  if (deny.length === 0) return true;
  if (allow.length === 0) return false;
  return allow.every((a) => deny.some((d) => entryCovers(d, a)));
}

export function ruleCovers(deny: AuthzRule, allow: AuthzRule): boolean {
  if ((deny.when ?? []).length > 0) return false;
  return listCovers((deny.from ?? []).map((f) => (f?.source ?? {}) as Fields), (allow.from ?? []).map((f) => (f?.source ?? {}) as Fields))
    && listCovers((deny.to ?? []).map((t) => (t?.operation ?? {}) as Fields), (allow.to ?? []).map((t) => (t?.operation ?? {}) as Fields));
}

export const authzDenyShadowsAllowCheck: Check = {
  name: NAME,
  description: 'a DENY rule denies everything an ALLOW rule on the same workloads allows, so the ALLOW rule is dead',
  codes: [{ code: 'MS0503', level: 'Warning', summary: 'a DENY policy makes an ALLOW rule dead' }],
  run(input) {
    const out: Finding[] = [];
    const root = input.meshConfig.rootNamespace;
    for (const ctx of input.contexts) {
      const pods = ctx.kind('Pod').filter((p) => podInMesh(ctx, p));
      const aps = ctx.kind<AuthorizationPolicySpec>('AuthorizationPolicy').filter((p) => !isDryRun(p.annotations));
      const podsOf = new Map<AnalyzedObject, Set<AnalyzedObject>>(aps.map((p) => [p, new Set(pods.filter((pod) => selectsPod(p, pod, root)))]));
      const denies = aps.filter((p) => policyAction(p.spec) === 'DENY');
      for (const allow of aps.filter((p) => policyAction(p.spec) === 'ALLOW')) {
        const targets = podsOf.get(allow)!;
        if (targets.size === 0) continue;
        (allow.spec?.rules ?? []).forEach((ar, i) => {
          if (!ar) return;
          for (const deny of denies) {
            const dt = podsOf.get(deny)!;
            if (![...targets].every((p) => dt.has(p))) continue;
            const j = (deny.spec?.rules ?? []).findIndex((dr) => !!dr && ruleCovers(dr, ar));
            if (j < 0) continue;
            out.push(msReport(NAME, allow, 'DenyMakesAllowDead', [`rules[${i}]`, `${deny.namespace}/${deny.name}`, `rules[${j}]`], `spec.rules[${i}]`));
            break;
          }
        });
      }
    }
    return out;
  },
};
