// Sidecars and ambient mixed: a sidecar pod in an ambient namespace (it keeps its sidecar; ztunnel leaves it alone,
// which is rarely what was meant), or one pod with both a sidecar and ambient labels or redirection (as Kiali's
// enrollment validations do).
import type { Check, Finding } from './types.js';
import { ambientFinding, ambientOf, isAmbient } from './ambient-common.js';
import { DATAPLANE_MODE } from '../mesh/ambient.js';

const NAME = 'ambient.SidecarConflictAnalyzer';

export const ambientSidecarConflictCheck: Check = {
  name: NAME,
  description: 'no sidecar pod in an ambient namespace, and no pod with both a sidecar and ambient enrollment',
  codes: [
    { code: 'MS0604', level: 'Warning', summary: 'a pod with a sidecar runs in an ambient namespace' },
    { code: 'MS0605', level: 'Error', summary: 'a pod has both a sidecar and ambient labels or redirection' },
  ],
  run(input) {
    const out: Finding[] = [];
    for (const ctx of input.contexts) {
      const a = ambientOf(ctx);
      // Only pods of ambient namespaces, or any pod when one is enrolled in both (most contexts have neither).
      const ambientNamespaces = new Set<string>();
      for (const [name, ns] of a.namespaces) if (isAmbient(ns.mode)) ambientNamespaces.add(name);
      let both = false;
      for (const e of a.pods.values()) if (e.sidecar && e.drift.some((d) => d.code === 'sidecar-and-ambient')) { both = true; break; }
      if (!both && ambientNamespaces.size === 0) continue;
      for (const pod of ctx.kind('Pod')) {
        if (!both && !ambientNamespaces.has(pod.namespace)) continue;
        const e = a.pods.get(`${pod.namespace}/${pod.name}`);
        if (!e?.sidecar) continue;
        const drift = e.drift.find((d) => d.code === 'sidecar-and-ambient');
        if (drift) {
          out.push(ambientFinding(NAME, pod, 'MS0605', 'Error', `${drift.message}: the pod is enrolled in both data planes`, drift.path));
          continue;
        }
        const ns = a.namespaces.get(pod.namespace);
        if (ns && isAmbient(ns.mode) && pod.labels[DATAPLANE_MODE] !== 'none') {
          const sideLabel = pod.labels['sidecar.istio.io/inject'] === 'true';
          out.push(ambientFinding(NAME, pod, 'MS0604', 'Warning', `pod has an istio-proxy sidecar in namespace ${pod.namespace}, which is in ambient mode (${DATAPLANE_MODE}=ambient)${sideLabel ? ' because of sidecar.istio.io/inject=true' : ''}`, sideLabel ? 'metadata.labels["sidecar.istio.io/inject"]' : 'spec.containers'));
        }
      }
    }
    return out;
  },
};
