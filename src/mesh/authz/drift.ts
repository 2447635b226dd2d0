// Intent against reality for one proxy: the RBAC policy entries istiod would build from the AuthorizationPolicies
// that apply (HTTP and TCP chains) against the entries found in the proxy's RBAC filters. An entry is
// `ACTION ns[..]-policy[..]-rule[..]` (CUSTOM for the ext_authz marker rules, `dry-run` for shadow rules).
import type { EnvoyFilter } from './builder.js';
import { actionOf, isCustomMarker, policiesOf, rulesOf, shadowRulesOf, type FoundRbac } from './envoy-rbac.js';

export interface AuthzDrift {
  /** Entries the policies produce that no RBAC filter of the proxy has (a policy Envoy does not enforce yet). */
  missing: string[];
  /** Entries the proxy enforces that no applicable policy produces (a deleted or changed policy still enforced). */
  unexpected: string[];
}

type Config = Record<string, any>;

export function rbacEntries(configs: Config[]): Set<string> {
  const out = new Set<string>();
  for (const c of configs) {
    if (isCustomMarker(c)) {
      for (const n of Object.keys(policiesOf(shadowRulesOf(c)))) out.add(`CUSTOM ${n}`);
      continue;
    }
    const rules = rulesOf(c);
    for (const n of Object.keys(policiesOf(rules))) out.add(`${actionOf(rules)} ${n}`);
    const shadow = shadowRulesOf(c);
    for (const n of Object.keys(policiesOf(shadow))) out.add(`${actionOf(shadow)} dry-run ${n}`);
  }
  return out;
}

export function builtConfigs(filters: EnvoyFilter[]): Config[] {
  return filters.filter((f) => f.name.endsWith('.rbac')).map((f) => f.typedConfig);
}

export function authzDrift(intended: EnvoyFilter[], found: FoundRbac[]): AuthzDrift {
  const want = rbacEntries(builtConfigs(intended));
  const have = rbacEntries(found.map((f) => f.config));
  const sort = (xs: string[]) => xs.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { missing: sort([...want].filter((e) => !have.has(e))), unexpected: sort([...have].filter((e) => !want.has(e))) };
}
