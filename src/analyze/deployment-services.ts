// deployment.MultiServiceAnalyzer: the Services selecting a mesh Deployment's pods use one port with different
// protocols (IST0116), or one targetPort behind different ports (IST0137). Only Deployments in the mesh count (an
// istio-proxy container, the sidecar.istio.io/inject label or annotation, else the namespace's istio-injection).
import type { ServiceSpec } from '../model/resources.js';
import type { Check, Finding } from './types.js';
import type { ContextIndex, AnalyzedObject } from './input.js';
import { selectorMatches } from '../mesh/hosts.js';
import { report } from './report.js';

const NAME = 'deployment.MultiServiceAnalyzer';

interface Template {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: { containers?: { name?: string; image?: string }[] };
}

const record = (v: unknown): Record<string, string> => (v && typeof v === 'object' && !Array.isArray(v) ? v as Record<string, string> : {});

function inMesh(ctx: ContextIndex, d: AnalyzedObject, t: Template): boolean {
  const containers = Array.isArray(t.spec?.containers) ? t.spec.containers : [];
  if (containers.some((c) => c?.name === 'istio-proxy' && c.image)) return true;
  const inject = record(t.metadata?.labels)['sidecar.istio.io/inject'] ?? record(t.metadata?.annotations)['sidecar.istio.io/inject'];
  if (inject !== undefined) return inject === 'true';
  const ns = ctx.kind('Namespace').find((n) => n.name === d.namespace);
  return ns?.labels['istio-injection'] === 'enabled';
}

export const deploymentServicesCheck: Check = {
  name: NAME,
  description: "the Services selecting a mesh Deployment's pods disagree on a port's protocol, or map one targetPort to different ports",
  codes: [
    { code: 'IST0116', level: 'Warning', summary: 'a Deployment is behind Services using one port with different protocols' },
    { code: 'IST0137', level: 'Warning', summary: 'a Deployment is behind Services mapping one targetPort to different ports' },
  ],
  run(input) {
    const out: Finding[] = [];
    for (const ctx of input.contexts) {
      const services = ctx.kind<ServiceSpec>('Service');
      for (const d of ctx.kind<{ template?: Template }>('Deployment')) {
        const t: Template = d.spec.template && typeof d.spec.template === 'object' ? d.spec.template : {};
        if (!inMesh(ctx, d, t)) continue;
        const podLabels = record(t.metadata?.labels);
        // A Service without a selector selects no pod (its endpoints are managed by hand).
        const matching = services.filter((s) => s.namespace === d.namespace && s.spec.selector && Object.keys(s.spec.selector).length > 0
          && selectorMatches(s.spec.selector, podLabels));
        const byPort = new Map<number, Map<string, string[]>>();
        const byTarget = new Map<string, Map<number, string>>();
        for (const s of matching) {
          for (const p of Array.isArray(s.spec.ports) ? s.spec.ports : []) {
            if (typeof p?.port !== 'number') continue;
            const protocol = p.protocol || 'TCP';
            const protos = byPort.get(p.port) ?? new Map<string, string[]>();
            protos.set(protocol, [...(protos.get(protocol) ?? []), s.fullName]);
            byPort.set(p.port, protos);
            const target = p.targetPort === undefined || p.targetPort === 0 || p.targetPort === '' ? String(p.port) : String(p.targetPort);
            const ports = byTarget.get(target) ?? new Map<number, string>();
            ports.set(p.port, s.fullName);
            byTarget.set(target, ports);
          }
        }
        for (const [port, protos] of [...byPort].sort((a, b) => a[0] - b[0])) {
          if (protos.size < 2) continue;
          const names = [...protos.keys()].sort().flatMap((k) => protos.get(k)!);
          out.push(report(NAME, d, 'DeploymentAssociatedToMultipleServices', [d.name, port, names], 'spec.template.metadata.labels'));
        }
        for (const [target, ports] of [...byTarget].sort((a, b) => a[0].localeCompare(b[0]))) {
          if (ports.size < 2) continue;
          const sorted = [...ports].sort((a, b) => a[0] - b[0]);
          out.push(report(NAME, d, 'DeploymentConflictingPorts', [d.name, sorted.map(([, n]) => n), target, sorted.map(([p]) => p)], 'spec.template.metadata.labels'));
        }
      }
    }
    return out;
  },
};
