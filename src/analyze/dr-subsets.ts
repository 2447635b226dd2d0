// Kiali's DestinationRule subset checks: a subset without labels (MS0004) selects every endpoint of the host, and
// two DestinationRules visible to the same clients defining the same host+subset (MS0005) — only one applies.
import type { DestinationRuleSpec } from '../model/resources.js';
import { toFqdn } from '../mesh/hosts.js';
import type { Check, Finding } from './types.js';
import type { AnalyzedObject } from './input.js';
import { report } from './report.js';

const NO_LABELS = 'destinationrule.SubsetWithoutLabels';
const DUPLICATE = 'destinationrule.DuplicateSubset';

export const drSubsetNoLabelsCheck: Check = {
  name: NO_LABELS,
  description: 'a DestinationRule subset has no labels (Kiali KIA0209)',
  codes: [{ code: 'MS0004', level: 'Warning', summary: 'subset without labels' }],
  run(input) {
    const out: Finding[] = [];
    for (const ctx of input.contexts) {
      for (const dr of ctx.kind<DestinationRuleSpec>('DestinationRule')) {
        (dr.spec.subsets ?? []).forEach((s, i) => {
          if (s?.name && Object.keys(s.labels ?? {}).length === 0) {
            out.push(report(NO_LABELS, dr, 'SubsetWithoutLabels', [s.name, dr.spec.host ?? ''], `spec.subsets[${i}]`));
          }
        });
      }
    }
    return out;
  },
};

/** Namespaces a DestinationRule applies to; undefined = all. */
function scope(dr: AnalyzedObject<DestinationRuleSpec>): Set<string> | undefined {
  const e = dr.spec.exportTo;
  if (!e || e.length === 0 || e.includes('*')) return undefined;
  return new Set(e.map((x) => (x === '.' ? dr.namespace : x)));
}

function overlap(a: AnalyzedObject<DestinationRuleSpec>, b: AnalyzedObject<DestinationRuleSpec>): boolean {
  if (selectorKey(a) !== selectorKey(b)) return false;
  const sa = scope(a);
  const sb = scope(b);
  if (!sa || !sb) return true;
  for (const n of sa) if (sb.has(n)) return true;
  return false;
}

function selectorKey(dr: AnalyzedObject<DestinationRuleSpec>): string {
  const l = dr.spec.workloadSelector?.matchLabels ?? {};
  return Object.keys(l).sort().map((k) => `${k}=${l[k]}`).join(',');
}

export const drDuplicateSubsetCheck: Check = {
  name: DUPLICATE,
  description: 'more than one DestinationRule defines the same host+subset for the same clients (Kiali KIA0201)',
  codes: [{ code: 'MS0005', level: 'Warning', summary: 'same host+subset in several DestinationRules' }],
  run(input) {
    const out: Finding[] = [];
    for (const ctx of input.contexts) {
      const byKey = new Map<string, { dr: AnalyzedObject<DestinationRuleSpec>; i: number }[]>();
      for (const dr of ctx.kind<DestinationRuleSpec>('DestinationRule')) {
        const host = toFqdn(dr.spec.host ?? '', dr.namespace);
        (dr.spec.subsets ?? []).forEach((s, i) => {
          if (!s?.name) return;
          const key = `${host}+${s.name}`;
          byKey.set(key, [...(byKey.get(key) ?? []), { dr, i }]);
        });
      }
      for (const [key, list] of byKey) {
        for (const a of list) {
          const other = list.find((b) => b.dr !== a.dr && overlap(a.dr, b.dr));
          if (!other) continue;
          out.push(report(DUPLICATE, a.dr, 'DuplicateDestinationRuleSubset', [key, other.dr.fullName], `spec.subsets[${a.i}]`));
        }
      }
    }
    return out;
  },
};
