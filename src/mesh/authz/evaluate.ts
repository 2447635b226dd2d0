// Authorization intent for one request at its destination workload, in Envoy's order: CUSTOM, then DENY, then
// ALLOW (an ALLOW policy present means everything it does not match is denied). Names the deciding policy and rule.
// Attributes the request does not carry (JWT claims, unknown `when` keys) never match, and are listed as unknown.
import type { KubeObject } from '../../model/resources.js';
import { isDryRun, policyAction, type AuthorizationPolicySpec, type AuthzRule } from '../../model/security.js';

export interface AuthzRequest {
  /** `cluster.local/ns/NS/sa/SA`, or undefined when the client sends plain text (no peer identity). */
  principal?: string;
  sourceNamespace?: string;
  sourceIp?: string;
  host?: string;
  method?: string;
  path?: string;
  port?: number;
  headers?: Record<string, string>;
}

export interface AuthzDecision {
  decision: 'allowed' | 'denied' | 'custom';
  /** The deciding policy and rule index (absent: no policy, or default deny). */
  policy?: { namespace: string; name: string; action: string };
  rule?: number;
  /** One line, e.g. `denied: AuthorizationPolicy app/deny-canary rules[0] (403 RBAC: access denied)`. */
  summary: string;
  /** Policies considered, in evaluation order, with whether one of their rules matched. */
  evaluated: { namespace: string; name: string; action: string; matched?: number; dryRun: boolean }[];
  /** Conditions that could not be evaluated from the request (they were taken as not matching). */
  unknown: string[];
}

type Policy = KubeObject<AuthorizationPolicySpec>;

function wild(pattern: string, value: string | undefined, ignoreCase = false): boolean {
  if (value === undefined) return false;
  const [p, v] = ignoreCase ? [pattern.toLowerCase(), value.toLowerCase()] : [pattern, value];
  if (p === '*') return true;
  if (p.startsWith('*')) return v.endsWith(p.slice(1));
  if (p.endsWith('*')) return v.startsWith(p.slice(0, -1));
  return p === v;
}

function ipIn(block: string, ip: string | undefined): boolean {
  if (!ip) return false;
  const [addr, lenS] = block.split('/');
  if (!lenS) return addr === ip;
  const toInt = (s: string) => s.split('.').reduce((a, o) => (a << 8) + Number(o), 0) >>> 0;
  if (!/^\d+\.\d+\.\d+\.\d+$/.test(addr ?? '') || !/^\d+\.\d+\.\d+\.\d+$/.test(ip)) return false;
  const len = Number(lenS);
  const mask = len === 0 ? 0 : (~0 << (32 - len)) >>> 0;
  return (toInt(addr!) & mask) === (toInt(ip) & mask);
}

class RuleEval {
  readonly unknown: string[] = [];
  constructor(private readonly req: AuthzRequest, private readonly policyNs: string) {}

  /** values OR-ed, notValues must all miss; an absent field matches. */
  private field(values: string[] | undefined, notValues: string[] | undefined, test: (v: string) => boolean | undefined, what: string): boolean {
    const t = (v: string) => { const r = test(v); if (r === undefined) { this.unknown.push(what); return false; } return r; };
    if (values?.length && !values.some(t)) return false;
    if (notValues?.length && notValues.some(t)) return false;
    return true;
  }

  private sa(): { ns: string; sa: string } | undefined {
    const m = /\/ns\/([^/]+)\/sa\/([^/]+)$/.exec(this.req.principal ?? '');
    return m ? { ns: m[1]!, sa: m[2]! } : undefined;
  }

  source(s: Record<string, string[] | undefined>): boolean {
    const r = this.req;
    const ns = r.sourceNamespace ?? this.sa()?.ns;
    const id = this.sa();
    return this.field(s.principals, s.notPrincipals, (v) => wild(v, r.principal), 'source.principal')
      && this.field(s.namespaces, s.notNamespaces, (v) => (r.principal ? wild(v, ns) : false), 'source.namespace')
      && this.field(s.serviceAccounts, s.notServiceAccounts, (v) => {
        if (!id) return false;
        const i = v.indexOf('/');
        return i < 0 ? id.ns === this.policyNs && id.sa === v : id.ns === v.slice(0, i) && id.sa === v.slice(i + 1);
      }, 'source.serviceAccount')
      && this.field(s.ipBlocks, s.notIpBlocks, (v) => (r.sourceIp ? ipIn(v, r.sourceIp) : undefined), 'source.ip')
      && this.field(s.remoteIpBlocks, s.notRemoteIpBlocks, (v) => (r.sourceIp ? ipIn(v, r.sourceIp) : undefined), 'remote.ip')
      && this.field(s.requestPrincipals, s.notRequestPrincipals, () => undefined, 'request.auth.principal');
  }

  operation(o: Record<string, string[] | undefined>): boolean {
    const r = this.req;
    return this.field(o.hosts, o.notHosts, (v) => (r.host === undefined ? undefined : wild(v, r.host, true)), 'host')
      && this.field(o.methods, o.notMethods, (v) => (r.method === undefined ? undefined : wild(v, r.method)), 'method')
      && this.field(o.paths, o.notPaths, (v) => (r.path === undefined ? undefined : wild(v, r.path.split('?')[0])), 'path')
      && this.field(o.ports, o.notPorts, (v) => (r.port === undefined ? undefined : Number(v) === r.port), 'port');
  }

  condition(key: string, values?: string[], notValues?: string[]): boolean {
    const r = this.req;
    const id = this.sa();
    const header = /^request\.headers\[(.+)\]$/.exec(key);
    let test: (v: string) => boolean | undefined;
    if (header) {
      const h = Object.entries(r.headers ?? {}).find(([k]) => k.toLowerCase() === header[1]!.toLowerCase())?.[1];
      test = (v) => wild(v, h);
    } else if (key === 'source.principal') test = (v) => wild(v, r.principal);
    else if (key === 'source.namespace') test = (v) => wild(v, id?.ns);
    else if (key === 'destination.port') test = (v) => (r.port === undefined ? undefined : Number(v) === r.port);
    else if (key === 'source.ip' || key === 'remote.ip') test = (v) => (r.sourceIp ? ipIn(v, r.sourceIp) : undefined);
    else if (key === 'connection.sni') test = (v) => (r.host === undefined ? undefined : wild(v, r.host));
    else test = () => undefined;
    return this.field(values, notValues, test, key);
  }

  rule(rule: AuthzRule): boolean {
    const from = rule.from ?? [];
    const to = rule.to ?? [];
    if (from.length > 0 && !from.some((f) => this.source((f?.source ?? {}) as Record<string, string[]>))) return false;
    if (to.length > 0 && !to.some((t) => this.operation((t?.operation ?? {}) as Record<string, string[]>))) return false;
    return (rule.when ?? []).every((c) => this.condition(c.key, c.values, c.notValues));
  }
}

const ORDER = ['CUSTOM', 'DENY', 'ALLOW'];

/** Evaluates the request against the policies that apply to the destination workload. */
export function evaluateAuthz(policies: Policy[], req: AuthzRequest): AuthzDecision {
  const evaluated: AuthzDecision['evaluated'] = [];
  const unknown = new Set<string>();
  const firstMatch: Record<string, { p: Policy; rule: number } | undefined> = {};
  let hasAllow = false;
  for (const action of ORDER) {
    for (const p of policies.filter((x) => policyAction(x.spec) === action)) {
      const ns = p.metadata.namespace ?? '';
      const dryRun = isDryRun(p.metadata.annotations);
      if (action === 'ALLOW' && !dryRun) hasAllow = true;
      const ev = new RuleEval(req, ns);
      const matched = (p.spec?.rules ?? []).findIndex((r) => !!r && ev.rule(r));
      for (const u of ev.unknown) unknown.add(u);
      evaluated.push({ namespace: ns, name: p.metadata.name, action, ...(matched >= 0 ? { matched } : {}), dryRun });
      if (!dryRun && matched >= 0 && !firstMatch[action]) firstMatch[action] = { p, rule: matched };
    }
  }
  const where = (m: { p: Policy; rule: number }) => `AuthorizationPolicy ${m.p.metadata.namespace ?? ''}/${m.p.metadata.name} rules[${m.rule}]`;
  const ref = (m: { p: Policy; rule: number }, action: string) => ({ policy: { namespace: m.p.metadata.namespace ?? '', name: m.p.metadata.name, action }, rule: m.rule });
  const base = { evaluated, unknown: [...unknown].sort() };
  const deny = firstMatch.DENY;
  if (deny) return { decision: 'denied', ...ref(deny, 'DENY'), summary: `denied: ${where(deny)} (403 RBAC: access denied)`, ...base };
  const allow = firstMatch.ALLOW;
  if (hasAllow && !allow) {
    return { decision: 'denied', summary: 'denied: no ALLOW policy matches, and an ALLOW policy applies so everything else is denied (403 RBAC: access denied)', ...base };
  }
  const then = allow ? `allowed by ${where(allow)}` : 'no DENY or ALLOW policy stops it';
  const custom = firstMatch.CUSTOM;
  if (custom) {
    return { decision: 'custom', ...ref(custom, 'CUSTOM'), summary: `custom: ${where(custom)} sends it to ext_authz provider ${custom.p.spec?.provider?.name ?? '(none)'}, which decides (then ${then})`, ...base };
  }
  if (allow) return { decision: 'allowed', ...ref(allow, 'ALLOW'), summary: `allowed: ${where(allow)}`, ...base };
  return { decision: 'allowed', summary: policies.length === 0 ? 'allowed: no AuthorizationPolicy applies' : 'allowed: no DENY policy matches and no ALLOW policy applies', ...base };
}
