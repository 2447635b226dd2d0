// auth.AuthorizationPoliciesAnalyzer: an AuthorizationPolicy selects no workload in the mesh (IST0127), or a rule's
// source namespaces / notNamespaces name a namespace that does not exist (IST0101).
import type { Check, Finding } from './types.js';
import type { AnalyzedObject } from './input.js';
import type { AuthorizationPolicySpec } from '../model/security.js';
import { report } from './report.js';
import { podInMesh, selectorString } from './authz-common.js';

const NAME = 'auth.AuthorizationPoliciesAnalyzer';

/** `*`, `*suffix`, `prefix*` or an exact (case-insensitive) namespace name. */
export function namespaceMatch(ns: string, exp: string): boolean {
  if (exp === '*') return true;
  if (exp.startsWith('*')) return ns.endsWith(exp.slice(1));
  if (exp.endsWith('*')) return ns.startsWith(exp.slice(0, -1));
  return ns.toLowerCase() === exp.toLowerCase();
}

export const authzPoliciesCheck: Check = {
  name: NAME,
  description: 'an AuthorizationPolicy selects no workload in the mesh, or names a source namespace that does not exist',
  codes: [
    { code: 'IST0127', level: 'Warning', summary: 'no matching workloads for the policy' },
    { code: 'IST0101', level: 'Error', summary: 'a source namespace matches no namespace' },
  ],
  run(input) {
    const out: Finding[] = [];
    const root = input.meshConfig.rootNamespace;
    for (const ctx of input.contexts) {
      const meshPods = ctx.kind('Pod').filter((p) => podInMesh(ctx, p));
      const namespaces = ctx.kind('Namespace').map((n) => n.name);
      for (const ap of ctx.kind<AuthorizationPolicySpec>('AuthorizationPolicy')) {
        const sel = ap.spec?.selector ? (ap.spec.selector.matchLabels ?? {}) : undefined;
        const matches = (p: AnalyzedObject) => Object.entries(sel ?? {}).every(([k, v]) => p.labels[k] === v);
        if (ap.namespace === root) {
          if (sel && !meshPods.some(matches)) out.push(report(NAME, ap, 'NoMatchingWorkloadsFound', [selectorString(sel)], 'spec.selector'));
        } else if (!sel) {
          if (!meshPods.some((p) => p.namespace === ap.namespace)) out.push(report(NAME, ap, 'NoMatchingWorkloadsFound', ['']));
        } else if (!meshPods.some((p) => p.namespace === ap.namespace && matches(p))) {
          out.push(report(NAME, ap, 'NoMatchingWorkloadsFound', [selectorString(sel)], 'spec.selector'));
        }
        (ap.spec?.rules ?? []).forEach((rule, i) => (rule?.from ?? []).forEach((from, j) => {
          for (const field of ['namespaces', 'notNamespaces'] as const) {
            (from?.source?.[field] ?? []).forEach((exp, k) => {
              if (typeof exp !== 'string' || namespaces.some((ns) => namespaceMatch(ns, exp))) return;
              out.push(report(NAME, ap, 'ReferencedResourceNotFound', ['namespace', exp], `spec.rules[${i}].from[${j}].source.${field}[${k}]`));
            });
          }
        }));
      }
    }
    return out;
  },
};
