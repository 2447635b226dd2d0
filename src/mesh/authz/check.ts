// `istioctl x authz check`: which AuthorizationPolicies a proxy enforces, from the RBAC filters of its dynamic
// listeners. One row per action and policy (`name.namespace`) with the number of distinct rules; an RBAC filter
// without policies is `_anonymous_match_nothing_` (istiod's deny-everything ALLOW filter).
import { actionOf, isCustomMarker, parseRbacPolicyName, policiesOf, rulesOf, shadowRulesOf, type FoundRbac } from './envoy-rbac.js';

export const ANONYMOUS_POLICY = '_anonymous_match_nothing_';
const ACTION_ORDER = ['DENY', 'ALLOW', 'LOG', 'CUSTOM'];

export interface EnforcedPolicy { action: string; policy: string; rules: number }

export function enforcedPolicies(filters: FoundRbac[]): EnforcedPolicy[] {
  const byAction = new Map<string, Set<string>>();
  const rulesByPolicy = new Map<string, Set<string>>();
  const add = (action: string, policy: string, rule: string) => {
    if (!byAction.has(action)) byAction.set(action, new Set());
    byAction.get(action)!.add(policy);
    if (!rulesByPolicy.has(policy)) rulesByPolicy.set(policy, new Set());
    rulesByPolicy.get(policy)!.add(rule);
  };
  const addAll = (action: string, names: string[]) => {
    for (const n of names) {
      const p = parseRbacPolicyName(n);
      add(action, p ? `${p.name}.${p.namespace}` : '', p?.rule ?? '');
    }
  };
  for (const f of filters) {
    if (isCustomMarker(f.config)) {
      addAll('CUSTOM', Object.keys(policiesOf(shadowRulesOf(f.config))));
      continue;
    }
    const rules = rulesOf(f.config);
    const names = Object.keys(policiesOf(rules));
    if (names.length === 0) add(actionOf(rules), ANONYMOUS_POLICY, '0');
    else addAll(actionOf(rules), names);
  }
  const out: EnforcedPolicy[] = [];
  for (const action of ACTION_ORDER) {
    const names = [...(byAction.get(action) ?? [])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    for (const policy of names) out.push({ action, policy, rules: rulesByPolicy.get(policy)!.size });
  }
  return out;
}

/** The table istioctl prints (cells tab-separated; the caller aligns them like Go's tabwriter, padding 3). */
export function authzCheckCells(rows: EnforcedPolicy[]): string[][] {
  return [['ACTION', 'AuthorizationPolicy', 'RULES'], ...rows.map((r) => [r.action, r.policy, String(r.rules)])];
}
