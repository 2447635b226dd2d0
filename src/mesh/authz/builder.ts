// AuthorizationPolicies that apply to one workload → the Envoy RBAC (and ext_authz) filters istiod puts on its
// listeners: CUSTOM first (an RBAC filter whose shadow rules mark the requests, then ext_authz per provider), then
// AUDIT, DENY and ALLOW, one RBAC filter each. HTTP filter chains get envoy.filters.http.*, TCP chains
// envoy.filters.network.*, where rules that need HTTP attributes are dropped (ALLOW) or widened (DENY, AUDIT).
import type { KubeObject } from '../../model/resources.js';
import { policyAction, type AuthorizationPolicySpec } from '../../model/security.js';
import type { Json } from './matchers.js';
import { generatePolicy, migrateTrustDomain, ruleModel, type RbacAction } from './rule-model.js';
import type { TrustDomainBundle } from './trust-domain.js';
import { buildExtAuthz, EXT_AUTHZ_PREFIX, type BuiltExtAuthz, type ExtensionProvider, type KnownService } from './ext-authz.js';

export interface EnvoyFilter { name: string; typedConfig: Json }

export interface BuildOptions {
  forTCP: boolean;
  trustDomain: TrustDomainBundle;
  /** MeshConfig extensionProviders (for CUSTOM policies). */
  extensionProviders?: ExtensionProvider[];
  /** Services the workload can reach, to resolve extension providers. */
  services?: KnownService[];
}

/** What went wrong while building (a skipped rule, an unusable provider): istiod logs these. */
export interface BuildNote { policy?: string; message: string }

export interface BuildResult { filters: EnvoyFilter[]; notes: BuildNote[] }

type Policy = KubeObject<AuthorizationPolicySpec>;

const RBAC_HTTP = 'envoy.filters.http.rbac';
const RBAC_TCP = 'envoy.filters.network.rbac';
const TYPE_HTTP = 'type.googleapis.com/envoy.extensions.filters.http.rbac.v3.RBAC';
const TYPE_TCP = 'type.googleapis.com/envoy.extensions.filters.network.rbac.v3.RBAC';
const BAD_CUSTOM_SUFFIX = '-deny-due-to-bad-CUSTOM-action';

const MATCH_NEVER: Json = { permissions: [{ notRule: { any: true } }], principals: [{ notId: { any: true } }] };

/** Go's strconv.ParseBool on the `istio.io/dry-run` annotation. */
export function isDryRunPolicy(p: Policy): boolean {
  return ['1', 't', 'T', 'TRUE', 'true', 'True'].includes(p.metadata.annotations?.['istio.io/dry-run'] ?? '');
}

/** `ns[foo]-policy[name]-rule[0]`, prefixed `istio-ext-authz-<provider>-` for CUSTOM. */
export function rbacPolicyName(namespace: string, name: string, rule: number, provider?: string): string {
  const prefix = provider === undefined ? '' : provider ? `${EXT_AUTHZ_PREFIX}-${provider}-` : `${EXT_AUTHZ_PREFIX}-`;
  return `${prefix}ns[${namespace}]-policy[${name}]-rule[${rule}]`;
}

interface RuleSet { action: RbacAction; policies: Record<string, Json> }

function rbacJson(r: RuleSet): Json {
  const out: Json = {};
  if (r.action !== 'ALLOW') out.action = r.action;
  if (Object.keys(r.policies).length > 0) out.policies = r.policies;
  return out;
}

function addPolicy(target: RuleSet, p: Policy, opts: BuildOptions, notes: BuildNote[], provider?: string): void {
  const ns = p.metadata.namespace ?? '';
  const rules = p.spec?.rules ?? [];
  rules.forEach((rule, i) => {
    const name = rbacPolicyName(ns, p.metadata.name, i, provider);
    if (rule === null || rule === undefined) { notes.push({ policy: name, message: 'skipped nil rule' }); return; }
    try {
      const model = migrateTrustDomain(ruleModel(ns, rule), opts.trustDomain);
      target.policies[name] = generatePolicy(model, opts.forTCP, target.action);
    } catch (e) {
      notes.push({ policy: name, message: `skipped rule: ${(e as Error).message}` });
    }
  });
  if (rules.length === 0) target.policies[rbacPolicyName(ns, p.metadata.name, 0, provider)] = MATCH_NEVER;
}

function rbacFilter(opts: BuildOptions, typed: Json): EnvoyFilter {
  return opts.forTCP
    ? { name: RBAC_TCP, typedConfig: { '@type': TYPE_TCP, ...typed, statPrefix: 'tcp.' } }
    : { name: RBAC_HTTP, typedConfig: { '@type': TYPE_HTTP, ...typed } };
}

function shadowPrefix(shadow: RuleSet | undefined): string | undefined {
  if (!shadow || shadow.action === 'ALLOW') return 'istio_dry_run_allow_';
  return shadow.action === 'DENY' ? 'istio_dry_run_deny_' : undefined;
}

function buildAction(policies: Policy[], action: RbacAction, opts: BuildOptions, notes: BuildNote[]): EnvoyFilter | undefined {
  if (policies.length === 0) return undefined;
  const enforce: RuleSet = { action, policies: {} };
  const shadow: RuleSet = { action, policies: {} };
  let hasEnforce = false;
  let hasShadow = false;
  for (const p of policies) {
    const dry = isDryRunPolicy(p);
    if (dry) hasShadow = true; else hasEnforce = true;
    addPolicy(dry ? shadow : enforce, p, opts, notes);
  }
  const typed: Json = {};
  if (hasEnforce) typed.rules = rbacJson(enforce);
  if (hasShadow) typed.shadowRules = rbacJson(shadow);
  const prefix = shadowPrefix(hasShadow ? shadow : undefined);
  if (prefix) typed.shadowRulesStatPrefix = prefix;
  return rbacFilter(opts, typed);
}

function badCustomDeny(rules: RuleSet): Json {
  const policies: Record<string, Json> = {};
  for (const [k, v] of Object.entries(rules.policies)) policies[k + BAD_CUSTOM_SUFFIX] = v;
  return rbacJson({ action: 'DENY', policies });
}

function buildCustom(policies: Policy[], opts: BuildOptions, notes: BuildNote[]): EnvoyFilter[] {
  if (policies.length === 0) return [];
  const byProvider = new Map<string, { enforce: RuleSet; shadow: RuleSet }>();
  for (const p of policies) {
    const provider = p.spec?.provider?.name ?? '';
    let sets = byProvider.get(provider);
    if (!sets) byProvider.set(provider, sets = { enforce: { action: 'DENY', policies: {} }, shadow: { action: 'DENY', policies: {} } });
    addPolicy(isDryRunPolicy(p) ? sets.shadow : sets.enforce, p, opts, notes, provider);
  }
  const providers = [...byProvider.keys()].sort();
  const filters: EnvoyFilter[] = [];
  if (providers.length > 1) {
    notes.push({ message: `multiple CUSTOM authorization providers per workload are not supported, found ${providers.length} providers: ${providers.join(', ')}` });
    for (const provider of providers) filters.push(rbacFilter(opts, { rules: badCustomDeny(byProvider.get(provider)!.enforce) }));
    return filters;
  }
  for (const provider of providers) {
    const sets = byProvider.get(provider)!;
    let built: BuiltExtAuthz;
    try {
      const config = (opts.extensionProviders ?? []).find((e) => e.name === provider);
      if (!config) throw new Error(`extension provider ${provider} not found`);
      built = buildExtAuthz(config, opts.services ?? []);
    } catch (e) {
      notes.push({ message: `CUSTOM provider ${provider}: ${(e as Error).message}; every request the policies match is denied` });
      filters.push(rbacFilter(opts, { rules: badCustomDeny(sets.enforce) }));
      continue;
    }
    const extAuthz = opts.forTCP ? built.tcp : built.http;
    if (!extAuthz) { notes.push({ message: `CUSTOM provider ${provider} is HTTP only: ignored on TCP filter chains` }); continue; }
    const typed: Json = { shadowRules: rbacJson(sets.enforce), shadowRulesStatPrefix: 'istio_ext_authz_' };
    if (Object.keys(sets.shadow.policies).length > 0) typed.rules = rbacJson(sets.shadow);
    filters.push(rbacFilter(opts, typed));
    const { '@type': type, ...rest } = extAuthz;
    filters.push({ name: opts.forTCP ? 'envoy.filters.network.ext_authz' : 'envoy.filters.http.ext_authz', typedConfig: { '@type': type, ...rest } });
  }
  return filters;
}

/** The filters for the policies that apply to the workload, in istiod's order. */
export function buildAuthzFilters(policies: Policy[], opts: BuildOptions): BuildResult {
  const notes: BuildNote[] = [];
  const of = (a: string) => policies.filter((p) => policyAction(p.spec) === a);
  const filters: EnvoyFilter[] = [...buildCustom(of('CUSTOM'), opts, notes)];
  for (const [action, rbac] of [['AUDIT', 'LOG'], ['DENY', 'DENY'], ['ALLOW', 'ALLOW']] as const) {
    const f = buildAction(of(action), rbac, opts, notes);
    if (f) filters.push(f);
  }
  return { filters, notes };
}
