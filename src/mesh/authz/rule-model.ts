// One AuthorizationPolicy rule → one Envoy RBAC policy (permissions and principals), as istiod's authz model does:
// `when` conditions are appended to every `to` (permissions) or `from` (principals), the rule's own fields come
// first, and the values of one field are OR-ed, its notValues negated.
import type { AuthzRule } from '../../model/security.js';
import type { Json } from './matchers.js';
import * as g from './generators.js';
import { replaceTrustDomainAliases, expandTrustDomains, type TrustDomainBundle } from './trust-domain.js';

export type RbacAction = 'ALLOW' | 'DENY' | 'LOG';

interface Condition { key: string; values: string[]; notValues: string[]; gen: g.Generator }
type ConditionList = Condition[];

export interface RuleModel { permissions: ConditionList[]; principals: ConditionList[] }

const KEY = {
  srcPrincipal: 'source.principal', srcTrustDomain: 'source.trustDomain', srcServiceAccount: 'source.serviceAccount',
  requestPrincipal: 'request.auth.principal',
} as const;

function whenGenerator(key: string, policyNamespace: string): { gen: g.Generator; side: 'permission' | 'principal' } {
  switch (key) {
    case 'destination.ip': return { gen: g.destIP, side: 'permission' };
    case 'destination.port': return { gen: g.destPort, side: 'permission' };
    case 'connection.sni': return { gen: g.connSNI, side: 'permission' };
    case 'source.ip': return { gen: g.srcIP, side: 'principal' };
    case 'remote.ip': return { gen: g.remoteIP, side: 'principal' };
    case 'source.namespace': return { gen: g.srcNamespace, side: 'principal' };
    case KEY.srcServiceAccount: return { gen: g.srcServiceAccount(policyNamespace), side: 'principal' };
    case KEY.srcPrincipal: return { gen: g.srcPrincipal, side: 'principal' };
    case KEY.requestPrincipal: return { gen: g.requestPrincipal, side: 'principal' };
    case 'request.auth.audiences': return { gen: g.requestAudiences, side: 'principal' };
    case 'request.auth.presenter': return { gen: g.requestPresenter, side: 'principal' };
  }
  if (key.startsWith('experimental.envoy.filters.')) return { gen: g.envoyFilter, side: 'permission' };
  if (key.startsWith('request.headers')) return { gen: g.requestHeader, side: 'principal' };
  if (key.startsWith('request.experimental.inline.headers')) return { gen: g.requestInlineHeader, side: 'principal' };
  if (key.startsWith('request.auth.claims')) return { gen: g.requestClaims, side: 'principal' };
  throw new Error(`unknown attribute ${key}`);
}

function add(list: ConditionList, front: boolean, gen: g.Generator, key: string, values?: string[], notValues?: string[]): void {
  if (!values?.length && !notValues?.length) return;
  const c = { key, values: values ?? [], notValues: notValues ?? [], gen };
  if (front) list.unshift(c);
  else list.push(c);
}

/** The model of one rule; throws on an unknown `when` key (the rule is then skipped). */
export function ruleModel(policyNamespace: string, rule: AuthzRule): RuleModel {
  const basePermission: ConditionList = [];
  const basePrincipal: ConditionList = [];
  for (const when of rule.when ?? []) {
    const { gen, side } = whenGenerator(when.key, policyNamespace);
    add(side === 'permission' ? basePermission : basePrincipal, false, gen, when.key, when.values, when.notValues);
  }
  const principals: ConditionList[] = [];
  for (const from of rule.from ?? []) {
    const merged = [...basePrincipal];
    const s = from?.source as (Record<string, string[] | undefined>) | undefined;
    if (s) {
      add(merged, true, g.srcIP, 'source.ip', s.ipBlocks, s.notIpBlocks);
      add(merged, true, g.remoteIP, 'remote.ip', s.remoteIpBlocks, s.notRemoteIpBlocks);
      add(merged, true, g.srcNamespace, 'source.namespace', s.namespaces, s.notNamespaces);
      add(merged, true, g.srcServiceAccount(policyNamespace), KEY.srcServiceAccount, s.serviceAccounts, s.notServiceAccounts);
      add(merged, true, g.srcTrustDomain, KEY.srcTrustDomain, s.trustDomains, s.notTrustDomains);
      add(merged, true, g.requestPrincipal, KEY.requestPrincipal, s.requestPrincipals, s.notRequestPrincipals);
      add(merged, true, g.srcPrincipal, KEY.srcPrincipal, s.principals, s.notPrincipals);
    }
    principals.push(merged);
  }
  if ((rule.from ?? []).length === 0) principals.push(basePrincipal);
  const permissions: ConditionList[] = [];
  for (const to of rule.to ?? []) {
    const merged = [...basePermission];
    const o = to?.operation;
    if (o) {
      add(merged, true, g.destPort, 'destination.port', o.ports, o.notPorts);
      add(merged, true, g.path, 'path', o.paths, o.notPaths);
      add(merged, true, g.method, ':method', o.methods, o.notMethods);
      add(merged, true, g.host, ':authority', o.hosts, o.notHosts);
    }
    permissions.push(merged);
  }
  if ((rule.to ?? []).length === 0) permissions.push(basePermission);
  return { permissions, principals };
}

/** Source principals and trust domains with the trust domain and its aliases, as istiod migrates them. */
export function migrateTrustDomain(m: RuleModel, bundle: TrustDomainBundle): RuleModel {
  const principals = m.principals.map((list) => list.map((c) => {
    if (c.key === KEY.srcPrincipal) return { ...c, values: replaceTrustDomainAliases(bundle, c.values), notValues: replaceTrustDomainAliases(bundle, c.notValues) };
    if (c.key === KEY.srcTrustDomain) return { ...c, values: expandTrustDomains(bundle, c.values), notValues: expandTrustDomains(bundle, c.notValues) };
    return c;
  }));
  return { ...m, principals };
}

/** ALLOW keeps a failing field as an error (the rule is dropped: less is allowed); DENY and AUDIT drop the value. */
function attempt<T>(action: RbacAction, f: () => T): T | undefined {
  try { return f(); } catch (e) { if (action === 'ALLOW') throw e; return undefined; }
}

function conditionPermissions(c: Condition, forTCP: boolean, action: RbacAction): Json[] {
  const out: Json[] = [];
  if (c.gen.extendedPermission) {
    if (c.values.length > 0) { const p = attempt(action, () => c.gen.extendedPermission!(c.key, c.values, forTCP)); if (p) out.push(p); }
    if (c.notValues.length > 0) { const p = attempt(action, () => c.gen.extendedPermission!(c.key, c.notValues, forTCP)); if (p) out.push(g.permissionNot(p)); }
    return out;
  }
  const each = (vs: string[]) => vs.map((v) => attempt(action, () => c.gen.permission!(c.key, v, forTCP))).filter((p): p is Json => !!p);
  const or = each(c.values);
  if (or.length > 0) out.push(g.permissionOr(or));
  const not = each(c.notValues);
  if (not.length > 0) out.push(g.permissionNot(g.permissionOr(not)));
  return out;
}

function conditionPrincipals(c: Condition, forTCP: boolean, action: RbacAction): Json[] {
  const out: Json[] = [];
  if (c.gen.extendedPrincipal) {
    if (c.values.length > 0) { const p = attempt(action, () => c.gen.extendedPrincipal!(c.key, c.values, forTCP)); if (p) out.push(p); }
    if (c.notValues.length > 0) { const p = attempt(action, () => c.gen.extendedPrincipal!(c.key, c.notValues, forTCP)); if (p) out.push(g.principalNot(p)); }
    return out;
  }
  const each = (vs: string[]) => vs.map((v) => attempt(action, () => c.gen.principal!(c.key, v, forTCP))).filter((p): p is Json => !!p);
  const or = each(c.values);
  if (or.length > 0) out.push(g.principalOr(or));
  const not = each(c.notValues);
  if (not.length > 0) out.push(g.principalNot(g.principalOr(not)));
  return out;
}

/** The RBAC policy of the rule; throws when an ALLOW rule uses something this filter cannot enforce. */
export function generatePolicy(m: RuleModel, forTCP: boolean, action: RbacAction): Json {
  const permissions = m.permissions.map((list) => {
    const and = list.flatMap((c) => conditionPermissions(c, forTCP, action));
    return g.permissionAnd(and.length > 0 ? and : [{ any: true }]);
  });
  const principals = m.principals.map((list) => {
    const and = list.flatMap((c) => conditionPrincipals(c, forTCP, action));
    return g.principalAnd(and.length > 0 ? and : [{ any: true }]);
  });
  if (permissions.length === 0) throw new Error('must have at least 1 permission');
  if (principals.length === 0) throw new Error('must have at least 1 principal');
  return { permissions, principals };
}
