// conditions.ConditionAnalyzer (IST0171): a condition with a negative status on a Service, ServiceEntry,
// AuthorizationPolicy, Gateway API Gateway or route (per parent), as istioctl reports it.
import { GATEWAY_API_GATEWAY_KEY } from '../model/gateway-api.js';
import type { Check, Finding } from './types.js';
import type { AnalyzedObject } from './input.js';

const NAME = 'conditions.ConditionAnalyzer';

interface Cond { type?: string; status?: string; reason?: string; message?: string }

export function negativeConditionFinding(o: AnalyzedObject, c: Cond, path: string): Finding {
  return {
    code: 'IST0171', level: 'Warning', context: o.context, origin: o.origin, check: NAME, path,
    message: `A condition with a negative status is present: type=${c.type ?? ''}, reason=${c.reason ?? ''}, message=${c.message ?? ''}.`,
    ref: { context: o.context, kind: o.kind, namespace: o.namespace || undefined, name: o.name },
    file: o.loaded.origin.file, line: o.loaded.origin.line,
  };
}

const conditionsOf = (o: AnalyzedObject): Cond[] => ((o.loaded.obj.status as { conditions?: Cond[] } | undefined)?.conditions ?? []).filter((c) => c && typeof c === 'object');

/** Istio's own conditions on Services and ServiceEntries (other controllers' types are not Istio's business). */
const istioType = (t: string | undefined) => typeof t === 'string' && t.startsWith('istio.io/');

export const conditionsCheck: Check = {
  name: NAME,
  description: 'a Service, ServiceEntry, AuthorizationPolicy, Gateway API Gateway or route carries a negative status condition',
  codes: [{ code: 'IST0171', level: 'Warning', summary: 'a condition with a negative status is present' }],
  run(input) {
    const out: Finding[] = [];
    for (const ctx of input.contexts) {
      for (const kind of ['Service', 'ServiceEntry']) {
        for (const o of ctx.kind(kind)) {
          conditionsOf(o).forEach((c, i) => { if (istioType(c.type) && c.status === 'False') out.push(negativeConditionFinding(o, c, `status.conditions[${i}]`)); });
        }
      }
      for (const o of ctx.kind('AuthorizationPolicy')) {
        conditionsOf(o).forEach((c, i) => {
          if (c.status === 'False' || c.reason === 'PartiallyInvalid') out.push(negativeConditionFinding(o, c, `status.conditions[${i}]`));
        });
      }
      for (const o of ctx.kind(GATEWAY_API_GATEWAY_KEY)) {
        conditionsOf(o).forEach((c, i) => { if (c.status === 'False') out.push(negativeConditionFinding(o, c, `status.conditions[${i}]`)); });
      }
      for (const kind of ['HTTPRoute', 'GRPCRoute', 'TCPRoute', 'TLSRoute']) {
        for (const o of ctx.kind(kind)) {
          const parents = ((o.loaded.obj.status as { parents?: { conditions?: Cond[] }[] } | undefined)?.parents ?? []);
          parents.forEach((p, pi) => (p?.conditions ?? []).forEach((c, i) => {
            if (c?.status === 'False') out.push(negativeConditionFinding(o, c, `status.parents[${pi}].conditions[${i}]`));
          }));
        }
      }
    }
    return out;
  },
};
