// destinationrule.SubsetSelectPodAnalyzer: a DestinationRule host must be a Service or ServiceEntry of the mesh
// (IST0174), and each subset must select some workload of it (IST0173). Multi-cluster: the host's workloads in
// every loaded context count, so a subset whose pods run in another cluster is fine.
import type { DestinationRuleSpec, ServiceEntrySpec } from '../model/resources.js';
import { isWildcard, selectorMatches, toFqdn, type HostEntry } from '../mesh/hosts.js';
import type { Check, Finding } from './types.js';
import type { AnalysisInput, ContextIndex, HostInfo, AnalyzedObject } from './input.js';
import { report } from './report.js';

const NAME = 'destinationrule.SubsetSelectPodAnalyzer';

/** Labels that describe where a pod runs (node topology), not the pod itself: Istio matches them by locality. */
function isTopologyLabel(k: string): boolean {
  return k.startsWith('topology.kubernetes.io/') || k.startsWith('topology.istio.io/') || k === 'kubernetes.io/hostname';
}

export const drSubsetPodsCheck: Check = {
  name: NAME,
  description: 'a DestinationRule host matches no service, or a subset selects no workload in any loaded context',
  codes: [
    { code: 'IST0173', level: 'Error', summary: 'subset selects no pods (503 UH)' },
    { code: 'IST0174', level: 'Warning', summary: 'DestinationRule host matches no service in the mesh' },
  ],
  run(input) {
    const out: Finding[] = [];
    const memo: Memo = { byName: firstByName(input.contexts), pods: new Map(), entries: new Map() };
    for (const ctx of input.contexts) {
      for (const dr of ctx.kind<DestinationRuleSpec>('DestinationRule')) {
        const host = toFqdn(dr.spec.host ?? '', dr.namespace);
        if (!host || isWildcard(host)) continue;
        const entries = hostEntries(input, host, memo);
        if (entries.length === 0) {
          out.push(report(NAME, dr, 'UnknownDestinationRuleHost', [dr.spec.host ?? ''], 'spec.host'));
          continue;
        }
        (dr.spec.subsets ?? []).forEach((s, i) => {
          if (!s?.name) return;
          const labels: Record<string, string> = {};
          for (const [k, v] of Object.entries(s.labels ?? {})) if (!isTopologyLabel(k)) labels[k] = v;
          let checkable = false;
          let selected = false;
          for (const e of entries) {
            const r = workloadsMatch(memo, e, labels);
            if (r === undefined) continue;
            checkable = true;
            if (r) { selected = true; break; }
          }
          if (checkable && !selected) {
            out.push(report(NAME, dr, 'DestinationRuleSubsetNotSelectPods', [s.name], `spec.subsets[${i}].labels`));
          }
        });
      }
    }
    return out;
  },
};

interface Memo {
  byName: Map<string, ContextIndex>;
  /** Pods an entry's selector picks (per entry value, computed once per run). */
  pods: Map<HostInfo, AnalyzedObject[]>;
  entries: Map<string, Located[]>;
}

function hostEntries(input: AnalysisInput, host: string, memo: Memo): Located[] {
  const hit = memo.entries.get(host);
  if (hit) return hit;
  const out: Located[] = [];
  for (const c of input.contexts) for (const entry of c.hosts.declared(host)) out.push({ entry, context: c.name });
  memo.entries.set(host, out);
  return out;
}

function selected(memo: Memo, ctx: ContextIndex, e: HostEntry<HostInfo>, sel: Record<string, string>): AnalyzedObject[] {
  let pods = memo.pods.get(e.value);
  if (!pods) { pods = ctx.selectPods(e.namespace, sel); memo.pods.set(e.value, pods); }
  return pods;
}

/** true/false when the entry's workloads are known; undefined when it has none to check (external service). */
/** A host entry and the name of the context that declares it. */
interface Located { entry: HostEntry<HostInfo>; context: string }

function workloadsMatch(memo: Memo, located: Located, subset: Record<string, string>): boolean | undefined {
  const ctx = memo.byName.get(located.context)!;
  const e = located.entry;
  if (e.kind === 'Service') {
    const sel = e.value.selector;
    if (!sel || Object.keys(sel).length === 0) return undefined;
    return selected(memo, ctx, e, sel).some((p) => selectorMatches(subset, p.labels));
  }
  const se = e.value.obj.spec as ServiceEntrySpec;
  if (se.workloadSelector?.labels) {
    const sel = se.workloadSelector.labels;
    if (selected(memo, ctx, e, sel).some((p) => selectorMatches(subset, p.labels))) return true;
    return ctx.kind('WorkloadEntry').some((w) => w.namespace === e.namespace && selectorMatches(sel, weLabels(w)) && selectorMatches(subset, weLabels(w)));
  }
  const eps = se.endpoints ?? [];
  if (eps.length === 0) return undefined;
  return eps.some((ep) => selectorMatches(subset, ep.labels ?? {}));
}

function weLabels(w: { labels: Record<string, string>; spec: { labels?: Record<string, string> } }): Record<string, string> {
  return { ...w.labels, ...(w.spec.labels ?? {}) };
}

function firstByName(contexts: readonly ContextIndex[]): Map<string, ContextIndex> {
  const m = new Map<string, ContextIndex>();
  for (const c of contexts) if (!m.has(c.name)) m.set(c.name, c);
  return m;
}
