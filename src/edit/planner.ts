// Pure weight planner: reads a VirtualService's rules, computes new weights (rebalance, locks, even split),
// validates them and turns them into field edits. No I/O.
import type { KubeObject, RouteDestination, VirtualServiceSpec, HTTPRoute } from '../model/resources.js';
import type { DestinationRow, FieldEdit, MirrorRow, RuleKind, RuleRef, RuleValues, RuleView } from './types.js';

export const RULE_KINDS: RuleKind[] = ['http', 'tcp', 'tls'];

export class PlanError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlanError';
  }
}

function asNumber(v: unknown): number | undefined {
  if (v === undefined || v === null) return undefined;
  return typeof v === 'number' ? v : Number.NaN;
}

function matchSummary(match: unknown): string {
  if (!Array.isArray(match) || match.length === 0) return 'any';
  const parts = match.map((m: Record<string, unknown>) => {
    const bits: string[] = [];
    if (m === null || typeof m !== 'object') return '?';
    const uri = m.uri as Record<string, string> | undefined;
    if (uri) for (const [k, v] of Object.entries(uri)) bits.push(`uri ${k} ${v}`);
    if (m.port !== undefined) bits.push(`port ${String(m.port)}`);
    if (Array.isArray(m.sniHosts)) bits.push(`sni ${m.sniHosts.join(',')}`);
    if (m.headers && typeof m.headers === 'object') bits.push(`headers ${Object.keys(m.headers).join(',')}`);
    if (m.sourceLabels && typeof m.sourceLabels === 'object') bits.push('sourceLabels');
    if (Array.isArray(m.gateways)) bits.push(`gateways ${m.gateways.join(',')}`);
    return bits.length ? bits.join(' ') : '…';
  });
  return parts.join(' | ');
}

function mirrorRows(kind: RuleKind, index: number, rule: HTTPRoute): MirrorRow[] {
  if (kind !== 'http' || !rule || typeof rule !== 'object') return [];
  const base = ['spec', 'http', index];
  const rows: MirrorRow[] = [];
  if (rule.mirror && typeof rule.mirror === 'object') {
    const legacy = rule.mirrorPercentage === undefined && rule.mirrorPercent !== undefined;
    const raw = legacy ? asNumber(rule.mirrorPercent) : asNumber(rule.mirrorPercentage?.value);
    rows.push({
      host: String(rule.mirror.host ?? ''), subset: rule.mirror.subset, port: rule.mirror.port?.number ?? rule.mirror.port?.name,
      raw, effective: raw ?? 100,
      path: legacy ? [...base, 'mirrorPercent'] : [...base, 'mirrorPercentage', 'value'],
    });
  }
  if (Array.isArray(rule.mirrors)) {
    rule.mirrors.forEach((m, j) => {
      const d = m?.destination ?? { host: '' };
      const raw = asNumber(m?.percentage?.value);
      rows.push({
        host: String(d.host ?? ''), subset: d.subset, port: d.port?.number ?? d.port?.name,
        raw, effective: raw ?? 100, path: [...base, 'mirrors', j, 'percentage', 'value'], mirrorsIndex: j,
      });
    });
  }
  return rows;
}

/** Every route rule of a VirtualService with its destinations, weights and mirrors. */
export function listRules(vs: KubeObject<VirtualServiceSpec>): RuleView[] {
  const out: RuleView[] = [];
  const spec = (vs.spec ?? {}) as VirtualServiceSpec;
  for (const kind of RULE_KINDS) {
    const rules = spec[kind];
    if (!Array.isArray(rules)) continue;
    rules.forEach((rule, index) => {
      const route: RouteDestination[] = Array.isArray(rule?.route) ? rule.route : [];
      const lone = route.length === 1;
      const destinations: DestinationRow[] = route.map((rd, i) => {
        const d = rd?.destination ?? ({ host: '' } as RouteDestination['destination']);
        const raw = asNumber(rd?.weight);
        return {
          index: i, host: String(d.host ?? ''), subset: d.subset, port: d.port?.number ?? d.port?.name,
          raw, effective: raw ?? (lone ? 100 : 0), path: ['spec', kind, index, 'route', i, 'weight'],
        };
      });
      const name = typeof rule?.name === 'string' ? rule.name : undefined;
      out.push({
        ref: { kind, index }, name,
        label: `${kind}[${index}]${name ? ` ${name}` : ''}`,
        match: matchSummary(rule?.match),
        destinations,
        mirrors: mirrorRows(kind, index, rule as HTTPRoute),
        total: destinations.reduce((s, d) => s + (Number.isFinite(d.effective) ? d.effective : 0), 0),
      });
    });
  }
  return out;
}

export function getRule(vs: KubeObject<VirtualServiceSpec>, ref: RuleRef): RuleView {
  const r = listRules(vs).find((x) => x.ref.kind === ref.kind && x.ref.index === ref.index);
  if (!r) throw new PlanError(`${vs.kind} ${vs.metadata.namespace ?? ''}/${vs.metadata.name} has no rule ${ref.kind}[${ref.index}]`);
  return r;
}

/**
 * "host" or "host:subset": how DEST=WEIGHT names a destination on the command line, and its key in the audit log's
 * weight maps (a stored format). Display text uses mesh's destinationLabel.
 */
export function destinationSelector(d: { host: string; subset?: string }): string {
  return d.subset ? `${d.host}:${d.subset}` : d.host;
}

function hostMatches(host: string, wanted: string): boolean {
  if (host === wanted) return true;
  return host.startsWith(`${wanted}.`) || wanted.startsWith(`${host}.`);
}

/**
 * Resolves DEST (`subset`, `host` or `host:subset`; `host:` means the destination without a subset) to an index.
 * Throws a PlanError naming the candidates when it matches none or several.
 */
export function findDestination(rule: RuleView, dest: string): number {
  let hits: DestinationRow[];
  const colon = dest.indexOf(':');
  if (colon >= 0) {
    const host = dest.slice(0, colon);
    const subset = dest.slice(colon + 1);
    hits = rule.destinations.filter((d) => hostMatches(d.host, host) && (subset === '' ? !d.subset : d.subset === subset));
  } else {
    hits = rule.destinations.filter((d) => d.subset === dest || hostMatches(d.host, dest));
  }
  const all = rule.destinations.map((d) => (d.subset ? destinationSelector(d) : `${d.host}:`)).join(', ');
  if (hits.length === 0) throw new PlanError(`no destination "${dest}" in rule ${rule.label} (destinations: ${all})`);
  if (hits.length > 1) {
    const names = hits.map((d) => (d.subset ? destinationSelector(d) : `${d.host}:`)).join(', ');
    throw new PlanError(`destination "${dest}" is ambiguous in rule ${rule.label}: it matches ${names}; name one as host:subset (host: for no subset)`);
  }
  return hits[0].index;
}

/**
 * Picks the rule: by name, by index ("0", "http/0", "tcp[1]"), or (no selector) the only rule that fits.
 * `fits` narrows the automatic choice, e.g. to rules where every named destination resolves.
 */
export function resolveRule(vs: KubeObject<VirtualServiceSpec>, selector: string | undefined, fits?: (r: RuleView) => boolean): RuleView {
  const rules = listRules(vs);
  const where = `${vs.metadata.namespace ?? ''}/${vs.metadata.name}`;
  const labels = rules.map((r) => r.label).join(', ') || 'none';
  if (rules.length === 0) throw new PlanError(`VirtualService ${where} has no http, tcp or tls rules`);
  if (selector === undefined || selector === '') {
    const ok = fits ? rules.filter(fits) : rules;
    if (ok.length === 1) return ok[0];
    if (ok.length === 0) throw new PlanError(`no rule of VirtualService ${where} fits (rules: ${labels})`);
    throw new PlanError(`VirtualService ${where} has several rules that fit (${ok.map((r) => r.label).join(', ')}): pass --rule NAME|INDEX`);
  }
  const m = /^(?:(http|tcp|tls)\s*[/[.:]?\s*)?(\d+)\]?$/.exec(selector.trim());
  if (m) {
    const index = Number(m[2]);
    const kinds = m[1] ? [m[1] as RuleKind] : RULE_KINDS.filter((k) => rules.some((r) => r.ref.kind === k));
    const hits = rules.filter((r) => kinds.includes(r.ref.kind) && r.ref.index === index);
    if (hits.length === 1) return hits[0];
    if (hits.length > 1) throw new PlanError(`rule index ${index} is ambiguous in VirtualService ${where}: use ${hits.map((r) => `${r.ref.kind}/${index}`).join(' or ')}`);
  }
  const named = rules.filter((r) => r.name === selector);
  if (named.length === 1) return named[0];
  if (named.length > 1) throw new PlanError(`several rules of VirtualService ${where} are named "${selector}"; use an index like http/0`);
  throw new PlanError(`VirtualService ${where} has no rule "${selector}" (rules: ${labels})`);
}

// ---- weight arithmetic ----

/** Splits `total` into integers proportional to `shares` (largest remainder; ties go to the lower index). */
export function apportion(total: number, shares: number[]): number[] {
  if (shares.length === 0) return [];
  const finite = shares.map((s) => (Number.isFinite(s) && s > 0 ? s : 0));
  const max = Math.max(...finite);
  const positive = max > 0 ? finite.map((s) => s / max) : finite; // scaled, so huge shares cannot sum to Infinity
  const sum = positive.reduce((a, b) => a + b, 0);
  const basis = sum > 0 ? positive : shares.map(() => 1);
  const basisSum = sum > 0 ? sum : shares.length;
  const exact = basis.map((s) => (total * s) / basisSum);
  const out = exact.map((x) => Math.floor(x + 1e-9));
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => ({ i, frac: x - Math.floor(x + 1e-9) })).sort((a, b) => b.frac - a.frac || a.i - b.i);
  for (let k = 0; left > 0 && order.length > 0; k = (k + 1) % order.length, left--) out[order[k].i]++;
  return out;
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, v));
}

function clean(weights: number[]): number[] {
  return weights.map((w) => (Number.isFinite(w) ? Math.round(w) : 0));
}

/**
 * Sets weight `focus` to `value` and rebalances the unlocked others proportionally so the total stays 100.
 * The focused value is clamped to what the locked ones leave. With no unlocked other, nothing can move.
 */
export function setWeight(weights: number[], locked: boolean[], focus: number, value: number): number[] {
  const w = clean(weights);
  if (focus < 0 || focus >= w.length) return w;
  const others = w.map((_, i) => i).filter((i) => i !== focus);
  const free = others.filter((i) => !locked[i]);
  const lockedSum = others.filter((i) => locked[i]).reduce((s, i) => s + w[i], 0);
  const room = Math.max(0, 100 - lockedSum);
  if (free.length === 0) {
    w[focus] = room;
    return w;
  }
  const v = clamp(Math.round(value), 0, room);
  const rest = apportion(room - v, free.map((i) => w[i]));
  w[focus] = v;
  free.forEach((i, k) => { w[i] = rest[k]; });
  return w;
}

export function nudge(weights: number[], locked: boolean[], focus: number, delta: number): number[] {
  return setWeight(weights, locked, focus, (Number.isFinite(weights[focus]) ? weights[focus] : 0) + delta);
}

export function drain(weights: number[], locked: boolean[], focus: number): number[] {
  return setWeight(weights, locked, focus, 0);
}

/** Splits what the locked destinations leave evenly across the unlocked ones (remainder to the first ones). */
export function evenSplit(weights: number[], locked: boolean[]): number[] {
  const w = clean(weights);
  const free = w.map((_, i) => i).filter((i) => !locked[i]);
  if (free.length === 0) return w;
  const lockedSum = w.reduce((s, x, i) => (locked[i] ? s + x : s), 0);
  const parts = apportion(Math.max(0, 100 - lockedSum), free.map(() => 1));
  free.forEach((i, k) => { w[i] = parts[k]; });
  return w;
}

/**
 * The CLI's DEST=WEIGHT: named destinations get their value; the others keep theirs, or with `rebalance`
 * share what is left proportionally to their current weights.
 */
export function assignWeights(weights: number[], assigned: Map<number, number>, rebalance: boolean): number[] {
  const w = weights.map((x) => (Number.isFinite(x) ? x : 0));
  for (const [i, v] of assigned) w[i] = v;
  if (!rebalance) return w;
  const free = w.map((_, i) => i).filter((i) => !assigned.has(i));
  if (free.length === 0) return w;
  const used = [...assigned.values()].reduce((a, b) => a + b, 0);
  const rest = apportion(Math.max(0, 100 - used), free.map((i) => w[i]));
  free.forEach((i, k) => { w[i] = rest[k]; });
  return w;
}

// ---- validation ----

/** Problems with a rule's new weights; empty when they may be written. */
export function validateWeights(weights: number[]): string[] {
  const errs: string[] = [];
  weights.forEach((w, i) => {
    if (!Number.isInteger(w) || w < 0 || w > 100) errs.push(`weight #${i + 1} is ${String(w)}: weights are integers from 0 to 100`);
  });
  if (errs.length) return errs;
  if (weights.length > 0 && !weights.some((w) => w > 0)) errs.push('at least one destination must have a weight above 0');
  const total = weights.reduce((a, b) => a + b, 0);
  if (weights.length > 1 && total !== 100) errs.push(`weights add up to ${total}, not 100`);
  if (weights.length === 1 && weights[0] !== 100) errs.push(`a lone destination takes all traffic: its weight must be 100, not ${weights[0]}`);
  return errs;
}

function validateRange(weights: number[]): string[] {
  return weights.filter((w) => !Number.isInteger(w) || w < 0 || w > 100).map((w) => `weight ${String(w)} is not an integer from 0 to 100`);
}

export function validateMirror(pct: number): string[] {
  return Number.isFinite(pct) && pct >= 0 && pct <= 100 ? [] : [`mirror percentage ${String(pct)} is not a number from 0 to 100`];
}

/** Current values of a rule, as the editor starts from them. */
export function currentValues(rule: RuleView): RuleValues {
  return { weights: rule.destinations.map((d) => d.effective), mirrors: rule.mirrors.map((m) => m.effective) };
}

/**
 * Turns new values into field edits, touching only what changes. A weight that was absent and whose effective
 * value is unchanged stays absent. Throws PlanError when the values are invalid.
 */
export function planEdits(rule: RuleView, values: RuleValues, opts: { restore?: boolean } = {}): FieldEdit[] {
  if (values.weights.length !== rule.destinations.length) throw new PlanError(`rule ${rule.label} has ${rule.destinations.length} destinations, got ${values.weights.length} weights`);
  const weightsChange = rule.destinations.some((d, i) => d.raw !== values.weights[i] && !(d.raw === undefined && d.effective === values.weights[i]));
  // An undo restores earlier weights exactly (even a total Istio accepted but meshscope would not create).
  const errs = !weightsChange ? [] : opts.restore ? validateRange(values.weights) : validateWeights(values.weights);
  values.mirrors.forEach((m) => errs.push(...validateMirror(m)));
  if (errs.length) throw new PlanError(`rule ${rule.label}: ${errs.join('; ')}`);
  const edits: FieldEdit[] = [];
  rule.destinations.forEach((d, i) => {
    const after = values.weights[i];
    if (d.raw === after) return;
    if (d.raw === undefined && d.effective === after) return;
    edits.push({ path: d.path, before: d.raw, after });
  });
  rule.mirrors.forEach((m, i) => {
    const after = values.mirrors[i];
    if (after === undefined || m.raw === after) return;
    if (m.raw === undefined && m.effective === after) return;
    const legacy = m.path[m.path.length - 1] === 'mirrorPercent';
    edits.push({ path: m.path, before: m.raw, after: legacy ? Math.round(after) : after });
  });
  return edits;
}

/** Weights by destination selector: the audit log's weight maps. */
export function weightsByDest(rule: RuleView, weights: number[]): Record<string, number> {
  const out: Record<string, number> = {};
  rule.destinations.forEach((d, i) => {
    let key = destinationSelector(d);
    if (key in out) key = `${key}#${i}`;
    out[key] = weights[i];
  });
  return out;
}

/** Applies edits to a plain JS copy of an object (used to check the YAML result and to predict patches). */
export function applyEditsToObject<T>(obj: T, edits: FieldEdit[]): T {
  const copy = structuredClone(obj) as unknown;
  for (const e of edits) {
    let cur = copy as Record<string | number, unknown>;
    for (let i = 0; i < e.path.length - 1; i++) {
      const k = e.path[i];
      if (cur[k] === undefined || cur[k] === null) cur[k] = {};
      else if (typeof cur[k] !== 'object') throw new PlanError(`cannot set ${e.path.join('.')}: ${e.path.slice(0, i + 1).join('.')} is ${typeof cur[k]} ${String(cur[k])}, not an object`);
      cur = cur[k] as Record<string | number, unknown>;
    }
    cur[e.path[e.path.length - 1]] = e.after;
  }
  return copy as T;
}
