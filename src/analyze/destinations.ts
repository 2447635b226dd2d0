// Walks a VirtualService's route and mirror destinations with their YAML paths (shared by several checks).
import type { Destination, VirtualServiceSpec } from '../model/resources.js';

export interface AnnotatedDestination {
  destination: Destination;
  /** YAML path of the destination object, e.g. spec.http[0].route[1].destination */
  path: string;
  protocol: 'http' | 'tcp' | 'tls';
  ruleIndex: number;
  weight?: number;
}

export function routeDestinations(vs: VirtualServiceSpec): AnnotatedDestination[] {
  const out: AnnotatedDestination[] = [];
  for (const protocol of ['http', 'tcp', 'tls'] as const) {
    (vs[protocol] ?? []).forEach((rule, i) => {
      (rule?.route ?? []).forEach((rd, j) => {
        out.push({
          destination: rd?.destination ?? { host: '' }, path: `spec.${protocol}[${i}].route[${j}].destination`,
          protocol, ruleIndex: i, weight: rd?.weight,
        });
      });
    });
  }
  return out;
}

export function mirrorDestinations(vs: VirtualServiceSpec): AnnotatedDestination[] {
  const out: AnnotatedDestination[] = [];
  (vs.http ?? []).forEach((rule, i) => {
    if (rule?.mirror) out.push({ destination: rule.mirror, path: `spec.http[${i}].mirror`, protocol: 'http', ruleIndex: i });
    (rule?.mirrors ?? []).forEach((m, j) => {
      if (m?.destination) out.push({ destination: m.destination, path: `spec.http[${i}].mirrors[${j}].destination`, protocol: 'http', ruleIndex: i });
    });
  });
  return out;
}
