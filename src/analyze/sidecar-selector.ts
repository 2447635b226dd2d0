// sidecar.SelectorAnalyzer: a Sidecar's workload selector selects no pod in its namespace (IST0101); several Sidecars
// select the same pod (IST0110) or several in one namespace have no selector (IST0111); a Sidecar whose pods or
// namespace run in ambient mode has no effect (IST0167).
import type { SidecarSpec } from '../model/resources.js';
import type { Check, Finding } from './types.js';
import type { AnalyzedObject } from './input.js';
import { selectorString } from './input.js';
import { report } from './report.js';

const NAME = 'sidecar.SelectorAnalyzer';

/** A pod whose traffic ztunnel redirects (ambient mode) has no sidecar. */
export function podInAmbientMode(pod: AnalyzedObject | undefined): boolean {
  return pod?.annotations['ambient.istio.io/redirection'] === 'enabled';
}

/** A namespace labelled for ambient, and not for sidecar injection (istio-injection=enabled or a revision). */
export function namespaceInAmbientMode(ns: AnalyzedObject | undefined): boolean {
  if (!ns) return false;
  if (ns.labels['istio-injection'] === 'enabled') return false;
  if (ns.labels['istio.io/rev']) return false;
  return ns.labels['istio.io/dataplane-mode'] === 'ambient';
}

const names = (list: readonly AnalyzedObject[]): string[] => list.map((s) => s.name).sort();

export const sidecarSelectorCheck: Check = {
  name: NAME,
  description: 'Sidecar workload selectors select pods, Sidecars do not overlap, and no Sidecar targets ambient workloads',
  codes: [
    { code: 'IST0101', level: 'Error', summary: "a Sidecar's workload selector selects no pod" },
    { code: 'IST0110', level: 'Error', summary: 'several Sidecars select the same pod' },
    { code: 'IST0111', level: 'Error', summary: 'several Sidecars in a namespace have no workload selector' },
    { code: 'IST0167', level: 'Warning', summary: 'a Sidecar for ambient-mode pods or namespaces has no effect' },
  ],
  run(input) {
    const out: Finding[] = [];
    for (const ctx of input.contexts) {
      const namespaces = new Map(ctx.kind('Namespace').map((n) => [n.name, n] as const));
      const byPod = new Map<string, { pod: AnalyzedObject; sidecars: AnalyzedObject[] }>();
      const byNamespace = new Map<string, AnalyzedObject[]>();
      for (const sc of ctx.kind<SidecarSpec>('Sidecar')) {
        const labels = sc.spec.workloadSelector?.labels;
        if (!labels || Object.keys(labels).length === 0) {
          const l = byNamespace.get(sc.namespace);
          if (l) l.push(sc); else byNamespace.set(sc.namespace, [sc]);
          continue;
        }
        const pods = ctx.selectPods(sc.namespace, labels);
        if (pods.length === 0) {
          out.push(report(NAME, sc, 'ReferencedResourceNotFound', ['selector', selectorString(labels)], 'spec.workloadSelector.labels'));
          continue;
        }
        for (const p of pods) {
          const key = `${p.namespace}/${p.name}`;
          const e = byPod.get(key);
          if (e) e.sidecars.push(sc); else byPod.set(key, { pod: p, sidecars: [sc] });
        }
      }
      const ineffective = new Set<AnalyzedObject>();
      for (const { pod, sidecars } of byPod.values()) {
        const ambient = podInAmbientMode(pod);
        if (sidecars.length === 1 && !ambient) continue;
        for (const sc of sidecars) {
          if (ambient) {
            if (ineffective.has(sc)) continue;
            ineffective.add(sc);
            out.push(report(NAME, sc, 'IneffectivePolicy', ['selected workload is in ambient mode, the policy has no impact'], 'spec.workloadSelector.labels'));
            continue;
          }
          out.push(report(NAME, sc, 'ConflictingSidecarWorkloadSelectors', [names(sidecars), pod.namespace, pod.name], 'spec.workloadSelector.labels'));
        }
      }
      for (const [ns, sidecars] of byNamespace) {
        if (namespaceInAmbientMode(namespaces.get(ns))) {
          for (const sc of sidecars) {
            if (ineffective.has(sc)) continue;
            ineffective.add(sc);
            out.push(report(NAME, sc, 'IneffectivePolicy', ['namespace is in ambient mode, the policy has no impact'], 'metadata.namespace'));
          }
          continue;
        }
        if (sidecars.length < 2) continue;
        for (const sc of sidecars) out.push(report(NAME, sc, 'MultipleSidecarsWithoutWorkloadSelectors', [names(sidecars), ns], 'spec.workloadSelector'));
      }
    }
    return out;
  },
};
