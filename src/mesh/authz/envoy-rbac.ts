// Reality: the RBAC filters (envoy.filters.http.rbac inside HTTP connection managers, envoy.filters.network.rbac on
// filter chains) of a proxy's listeners, read from a config dump in either case style, and the policies they name.

type JsonObject = Record<string, any>;

const snakeOrCamel = (o: JsonObject | undefined, snake: string, camel: string): any => (o ? o[snake] ?? o[camel] : undefined);
const isObj = (v: unknown): v is JsonObject => !!v && typeof v === 'object' && !Array.isArray(v);
const list = (v: unknown): JsonObject[] => (Array.isArray(v) ? v.filter(isObj) : []);

export type RbacKind = 'http' | 'tcp';

export interface FoundRbac {
  listener: string;
  chain: number;
  kind: RbacKind;
  /** The RBAC config (rules, shadow_rules, …) as the dump has it. */
  config: JsonObject;
}

const HCM = ['envoy.filters.network.http_connection_manager', 'envoy.http_connection_manager'];
const RBAC_HTTP = ['envoy.filters.http.rbac', 'envoy.rbac'];
const RBAC_TCP = ['envoy.filters.network.rbac'];

function typedConfig(f: JsonObject): JsonObject | undefined {
  const t = snakeOrCamel(f, 'typed_config', 'typedConfig') ?? f.config;
  if (!isObj(t)) return undefined;
  // TypedStruct / udpa wrappers keep the message under `value`.
  return isObj(t.value) && typeof t['@type'] === 'string' && /TypedStruct$/.test(t['@type']) ? t.value : t;
}

/** The dynamic listeners of a config dump (active state), as `istioctl x authz check` reads them. */
export function dynamicListeners(raw: unknown): JsonObject[] {
  const out: JsonObject[] = [];
  for (const c of list((raw as JsonObject | undefined)?.configs)) {
    if (!String(c['@type'] ?? '').endsWith('ListenersConfigDump')) continue;
    for (const l of list(snakeOrCamel(c, 'dynamic_listeners', 'dynamicListeners'))) {
      const active = snakeOrCamel(l, 'active_state', 'activeState');
      if (isObj(active) && isObj(active.listener)) out.push(active.listener);
    }
    for (const l of list(snakeOrCamel(c, 'dynamic_active_listeners', 'dynamicActiveListeners'))) if (isObj(l.listener)) out.push(l.listener);
  }
  return out;
}

/** Every RBAC filter in the listeners, in listener, chain and filter order. */
export function rbacFilters(listeners: JsonObject[]): FoundRbac[] {
  const out: FoundRbac[] = [];
  for (const l of listeners) {
    const chains = [...list(snakeOrCamel(l, 'filter_chains', 'filterChains'))];
    const def = snakeOrCamel(l, 'default_filter_chain', 'defaultFilterChain');
    if (isObj(def)) chains.push(def);
    chains.forEach((fc, chain) => {
      for (const f of list(fc.filters)) {
        const name = String(f.name ?? '');
        const tc = typedConfig(f);
        if (!tc) continue;
        if (RBAC_TCP.includes(name)) out.push({ listener: String(l.name ?? ''), chain, kind: 'tcp', config: tc });
        else if (HCM.includes(name)) {
          for (const hf of list(snakeOrCamel(tc, 'http_filters', 'httpFilters'))) {
            const htc = typedConfig(hf);
            if (htc && RBAC_HTTP.includes(String(hf.name ?? ''))) out.push({ listener: String(l.name ?? ''), chain, kind: 'http', config: htc });
          }
        }
      }
    });
  }
  return out;
}

export function rulesOf(config: JsonObject): JsonObject | undefined { const r = config.rules; return isObj(r) ? r : undefined; }
export function shadowRulesOf(config: JsonObject): JsonObject | undefined { const r = snakeOrCamel(config, 'shadow_rules', 'shadowRules'); return isObj(r) ? r : undefined; }
export function policiesOf(rules: JsonObject | undefined): Record<string, JsonObject> { return isObj(rules?.policies) ? rules!.policies : {}; }
export function actionOf(rules: JsonObject | undefined): string { const a = rules?.action; return typeof a === 'string' ? a : a === 1 ? 'DENY' : a === 2 ? 'LOG' : 'ALLOW'; }

const POLICY_NAME = /ns\[(.+)\]-policy\[(.+)\]-rule\[(.+)\]/;

/** `ns[default]-policy[httpbin]-rule[0]` → { policy: 'httpbin.default', namespace, name, rule: '0' }. */
export function parseRbacPolicyName(key: string): { namespace: string; name: string; rule: string } | undefined {
  const m = POLICY_NAME.exec(key);
  return m ? { namespace: m[1]!, name: m[2]!, rule: m[3]! } : undefined;
}

export const EXT_AUTHZ_POLICY_PREFIX = 'istio-ext-authz';

/** True for the RBAC filter istiod puts before ext_authz: shadow rules that only mark CUSTOM requests. */
export function isCustomMarker(config: JsonObject): boolean {
  const names = Object.keys(policiesOf(shadowRulesOf(config)));
  return names.length > 0 && names.every((n) => n.startsWith(EXT_AUTHZ_POLICY_PREFIX));
}
