// schema.ValidationAnalyzer.VirtualService (the unreachable-rule part of Istio's VirtualService validation):
// a rule after another match-less rule, or whose every match repeats an earlier one, never runs (IST0130);
// a match that repeats or is covered by an earlier URI-prefix match is never used (IST0131).
import type { HTTPMatchRequest, VirtualServiceSpec } from '../model/resources.js';
import type { Check, Finding } from './types.js';
import type { AnalyzedObject } from './input.js';
import { report } from './report.js';

const NAME = 'schema.ValidationAnalyzer.VirtualService';

export const vsUnreachableCheck: Check = {
  name: NAME,
  description: 'VirtualService rules or matches that can never be used (duplicate or overlapping matches)',
  codes: [
    { code: 'IST0130', level: 'Warning', summary: 'rule not used: all its matches come earlier, or a second match-less rule' },
    { code: 'IST0131', level: 'Info', summary: 'match not used: duplicate of or covered by an earlier match' },
  ],
  run(input) {
    const out: Finding[] = [];
    for (const ctx of input.contexts) {
      for (const vs of ctx.kind<VirtualServiceSpec>('VirtualService')) {
        for (const protocol of ['http', 'tcp', 'tls'] as const) analyzeRules(vs, protocol, out);
      }
    }
    return out;
  },
};

interface Named { name?: string; match?: unknown[] }

function ruleName(r: Named, i: number): string {
  return r.name ? JSON.stringify(r.name) : `#${i}`;
}

function matchName(m: unknown, i: number): string {
  const n = (m as { name?: string } | null)?.name;
  return n ? JSON.stringify(n) : `#${i}`;
}

/** Canonical JSON of a match without its name (names do not change what a match selects). */
function canonical(m: unknown): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (v && typeof v === 'object') {
      const o: Record<string, unknown> = {};
      for (const k of Object.keys(v).sort()) if (k !== 'name') o[k] = sort((v as Record<string, unknown>)[k]);
      return o;
    }
    return v;
  };
  return JSON.stringify(sort(m ?? {}));
}

interface PrefixMatch { rule: string; match: string; prefix: string; rest: string }

function analyzeRules(vs: AnalyzedObject<VirtualServiceSpec>, protocol: 'http' | 'tcp' | 'tls', out: Finding[]): void {
  const rules = (vs.spec[protocol] ?? []) as Named[];
  const seen = new Map<string, number>();
  let emptySeen = -1;
  const prefixes: (PrefixMatch & { path: string })[] = [];
  rules.forEach((rule, i) => {
    if (!rule) return;
    const path = `spec.${protocol}[${i}]`;
    const matches = rule.match ?? [];
    if (matches.length === 0) {
      if (emptySeen >= 0) {
        out.push(report(NAME, vs, 'VirtualServiceUnreachableRule', [ruleName(rule, i), 'only the last rule can have no matches'], path));
      }
      emptySeen = i;
      return;
    }
    let dups = 0;
    matches.forEach((m, j) => {
      const key = canonical(m);
      const prior = seen.get(key);
      if (prior !== undefined) {
        out.push(report(NAME, vs, 'VirtualServiceIneffectiveMatch', [ruleName(rule, i), matchName(m, j), ruleName(rules[prior]!, prior)], `${path}.match[${j}]`));
        dups++;
      } else {
        seen.set(key, i);
      }
      if (protocol === 'http') {
        const pm = prefixMatch(m as HTTPMatchRequest, ruleName(rule, i), matchName(m, j));
        if (pm) prefixes.push({ ...pm, path: `${path}.match[${j}]` });
      }
    });
    if (dups === matches.length) {
      out.push(report(NAME, vs, 'VirtualServiceUnreachableRule', [ruleName(rule, i), 'all matches used by prior rules'], path));
    }
  });
  // An earlier URI-prefix match covers a later one whose prefix extends it and whose other conditions are the same
  // (or, for the method, unconstrained earlier).
  for (let a = 0; a < prefixes.length; a++) {
    for (let b = a + 1; b < prefixes.length; b++) {
      const i = prefixes[a]!;
      const j = prefixes[b]!;
      if (i.prefix === j.prefix || !j.prefix.startsWith(i.prefix)) continue;
      if (!restCovers(i.rest, j.rest)) continue;
      out.push(report(NAME, vs, 'VirtualServiceIneffectiveMatch', [j.rule, j.match, i.rule], j.path));
    }
  }
}

function prefixMatch(m: HTTPMatchRequest | null | undefined, rule: string, match: string): PrefixMatch | undefined {
  const prefix = m?.uri?.prefix;
  if (!m || !prefix) return undefined;
  const { name: _n, uri: _u, ...rest } = m;
  return { rule, match, prefix, rest: canonical(rest) };
}

/** The earlier match's non-URI conditions are the later one's, or the same minus an unconstrained method. */
function restCovers(earlier: string, later: string): boolean {
  if (earlier === later) return true;
  const e = JSON.parse(earlier) as Record<string, unknown>;
  const l = JSON.parse(later) as Record<string, unknown>;
  if (e.method !== undefined) return false;
  delete l.method;
  return canonical(e) === canonical(l);
}
