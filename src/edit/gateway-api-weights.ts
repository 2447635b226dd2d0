// Weights of Gateway API route rules (HTTPRoute, GRPCRoute, TCPRoute, TLSRoute): backendRef weights are
// proportions, not percentages. An omitted weight means 1, 0 means no traffic, and a rule whose backends all weigh
// 0 gets HTTP 500 from istiod (TCP/TLS: connections refused), so that needs force and is refused with the reason.
import type { BackendRef, HTTPRouteRule } from '../model/gateway-api.js';
import type { KubeObject } from '../model/resources.js';
import { PlanError } from './planner.js';
import type { DestinationRow, FieldEdit, RuleView } from './types.js';

export const ROUTE_KINDS: Record<string, string> = { httproute: 'HTTPRoute', grpcroute: 'GRPCRoute', tcproute: 'TCPRoute', tlsroute: 'TLSRoute' };

/** HTTPRoute, GRPCRoute, TCPRoute or TLSRoute: the kinds whose weights are proportions. */
export function isRouteKind(kind: string | undefined): boolean {
  return kind !== undefined && Object.values(ROUTE_KINDS).includes(kind);
}

/** `httproute/NAME` (any of the four kinds, case-insensitive) → kind and name; undefined for a VirtualService name. */
export function parseRouteRef(text: string): { kind: string; name: string } | undefined {
  const m = /^(httproute|grpcroute|tcproute|tlsroute)s?\/(.+)$/i.exec(text);
  return m ? { kind: ROUTE_KINDS[m[1]!.toLowerCase()]!, name: m[2]! } : undefined;
}

/** The Service a backendRef names, as shown: `name`, `ns/name` across namespaces, `Kind name` for other kinds. */
function backendLabel(b: BackendRef, routeNs: string): string {
  const kind = b.kind ?? 'Service';
  const base = b.namespace && b.namespace !== routeNs ? `${b.namespace}/${b.name}` : b.name;
  return kind === 'Service' && (b.group ?? '') === '' ? base : `${kind} ${base}`;
}

function matchSummary(rule: HTTPRouteRule): string {
  const ms = rule.matches ?? [];
  if (ms.length === 0) return 'any request';
  return ms.map((m) => [m.method, m.path ? `${m.path.type === 'Exact' ? '' : m.path.type === 'RegularExpression' ? '~' : 'prefix '}${m.path.value ?? '/'}` : undefined,
    ...(m.headers ?? []).map((h) => `${h.name}=${h.value}`), ...(m.queryParams ?? []).map((q) => `?${q.name}=${q.value}`)].filter(Boolean).join(' ')).join(' | ');
}

/** Every rule with backendRefs, each backendRef with its weight as written (raw) and as applied (omitted → 1). */
export function routeRules(route: KubeObject): RuleView[] {
  const ns = route.metadata.namespace ?? 'default';
  const out: RuleView[] = [];
  ((route.spec?.rules ?? []) as HTTPRouteRule[]).forEach((r, i) => {
    const refs = r.backendRefs ?? [];
    if (refs.length === 0) return;
    const destinations: DestinationRow[] = refs.map((b, j) => {
      const raw = b.weight === undefined ? undefined : typeof b.weight === 'number' ? b.weight : Number.NaN;
      return { host: backendLabel(b, ns), port: b.port, raw, effective: raw === undefined ? 1 : raw, path: ['spec', 'rules', i, 'backendRefs', j, 'weight'], index: j };
    });
    out.push({
      ref: { kind: 'http', index: i }, name: r.name, label: r.name ? `rules[${i}] ${r.name}` : `rules[${i}]`,
      match: route.kind === 'TCPRoute' || route.kind === 'TLSRoute' ? 'any connection' : matchSummary(r),
      destinations, mirrors: [], total: destinations.reduce((s, d) => s + (Number.isFinite(d.effective) ? d.effective : 0), 0),
    });
  });
  return out;
}

/** Each weight's share of the rule, in percent (rounded to 0.1). */
export function shares(weights: number[]): number[] {
  const total = weights.reduce((a, b) => a + b, 0);
  return weights.map((w) => (total > 0 ? Math.round((w * 1000) / total) / 10 : 0));
}

/** `weight 2 → 40%` */
export function weightText(d: DestinationRow, share: number): string {
  return `weight ${d.raw === undefined ? '(unset) 1' : String(d.raw)} → ${share}%`;
}

/** The rule: by name, by index (`0`, `rules/0`, `rules[0]`), or the only one where every named backend exists. */
export function resolveRouteRule(route: KubeObject, selector: string | undefined, fits?: (r: RuleView) => boolean): RuleView {
  const rules = routeRules(route);
  const where = `${route.kind} ${route.metadata.namespace ?? 'default'}/${route.metadata.name}`;
  const labels = rules.map((r) => r.label).join(', ') || 'none';
  if (rules.length === 0) throw new PlanError(`${where} has no rule with backendRefs`);
  if (!selector) {
    const ok = fits ? rules.filter(fits) : rules;
    if (ok.length === 1) return ok[0]!;
    if (ok.length === 0) throw new PlanError(`no rule of ${where} fits (rules: ${labels})`);
    throw new PlanError(`${where} has several rules that fit (${ok.map((r) => r.label).join(', ')}): pass --rule NAME|INDEX`);
  }
  const m = /^(?:rules?\s*[/[.:]?\s*)?(\d+)\]?$/.exec(selector.trim());
  const hit = m ? rules.find((r) => r.ref.index === Number(m[1])) : rules.find((r) => r.name === selector);
  if (!hit) throw new PlanError(`${where} has no rule "${selector}" with backendRefs (rules: ${labels})`);
  return hit;
}

/** The rule of `route` that a copy of an edit of `from` changes: the rule of the same name, else at the same index. */
export function copyRouteRule(route: KubeObject, from: RuleView): RuleView {
  const rules = routeRules(route);
  const hit = from.name ? rules.find((r) => r.name === from.name) : rules.find((r) => r.ref.index === from.ref.index);
  if (!hit) throw new PlanError(`${route.kind} ${route.metadata.namespace ?? 'default'}/${route.metadata.name} has no rule ${from.label} with backendRefs`);
  return hit;
}

/** A backendRef by Service name, `ns/name`, or `name:port`. */
export function findBackend(rule: RuleView, dest: string): number {
  const [name, port] = dest.includes(':') ? [dest.slice(0, dest.lastIndexOf(':')), dest.slice(dest.lastIndexOf(':') + 1)] : [dest, undefined];
  const hits = rule.destinations.filter((d) => (d.host === name || d.host.endsWith(`/${name}`) || d.host.endsWith(` ${name}`)) && (port === undefined || String(d.port) === port));
  const all = rule.destinations.map((d) => `${d.host}${d.port !== undefined ? `:${d.port}` : ''}`).join(', ');
  if (hits.length === 0) throw new PlanError(`no backendRef "${dest}" in rule ${rule.label} (backendRefs: ${all})`);
  if (hits.length > 1) throw new PlanError(`backendRef "${dest}" is ambiguous in rule ${rule.label}: name it as NAME:PORT (backendRefs: ${all})`);
  return hits[0]!.index;
}

/** Field edits for new weights; touches only what changes. Refuses invalid weights, and all-zero unless forced. */
export function planRouteWeights(route: KubeObject, rule: RuleView, weights: number[], opts: { force?: boolean } = {}): FieldEdit[] {
  if (weights.length !== rule.destinations.length) throw new PlanError(`rule ${rule.label} has ${rule.destinations.length} backendRefs, got ${weights.length} weights`);
  const bad = weights.map((w, i) => (!Number.isInteger(w) || w < 0 || w > 1_000_000 ? `weight #${i + 1} is ${String(w)}: backendRef weights are integers from 0 to 1000000` : undefined)).filter(Boolean);
  if (bad.length) throw new PlanError(`rule ${rule.label}: ${bad.join('; ')}`);
  if (weights.every((w) => w === 0) && !opts.force) {
    const what = route.kind === 'TCPRoute' || route.kind === 'TLSRoute' ? 'istiod rejects every connection' : 'istiod answers every request with HTTP 500';
    throw new PlanError(`rule ${rule.label}: every backendRef would have weight 0, so ${what}; set it anyway with --all-zero`);
  }
  const edits: FieldEdit[] = [];
  rule.destinations.forEach((d, i) => {
    const after = weights[i]!;
    if (d.raw === after || (d.raw === undefined && after === 1)) return;
    edits.push({ path: d.path, before: d.raw, after });
  });
  return edits;
}
