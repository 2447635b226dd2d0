// Gateway API problems found by translating routes as istiod does (meshscope's own codes): a backendRef to a
// missing Service (MS0401) or port (MS0402), a cross-namespace backendRef without ReferenceGrant (MS0403), a
// duplicate listener (MS0404), a rule whose backends all weigh 0 (MS0405), a route no listener accepts (MS0406).
import { GATEWAY_API_GATEWAY_KEY, type BackendRef, type GatewayApiGatewaySpec, type HTTPRouteRule } from '../model/gateway-api.js';
import type { ServiceSpec } from '../model/resources.js';
import { translateGatewayApi } from '../mesh/gateway-api/translate.js';
import type { Check, Finding, Level } from './types.js';
import type { AnalyzedObject } from './input.js';

const NAME = 'gatewayapi.RouteAnalyzer';
const ROUTE_KINDS = ['HTTPRoute', 'GRPCRoute', 'TCPRoute', 'TLSRoute'];

function finding(o: AnalyzedObject, code: string, level: Level, message: string, path: string): Finding {
  return {
    code, level, context: o.context, origin: o.origin, check: NAME, path, message,
    ref: { context: o.context, kind: o.kind, namespace: o.namespace || undefined, name: o.name },
    file: o.loaded.origin.file, line: o.loaded.origin.line,
  };
}

function backendChecks(o: AnalyzedObject, services: Map<string, AnalyzedObject<ServiceSpec>>, out: Finding[], refused: Set<string>): void {
  const rules = (o.spec?.rules ?? []) as HTTPRouteRule[];
  rules.forEach((r, ri) => {
    const refs = (r.backendRefs ?? []) as BackendRef[];
    if (refs.length > 0 && refs.every((b) => (b.weight ?? 1) === 0)) {
      const what = o.kind === 'TCPRoute' || o.kind === 'TLSRoute' ? 'connections are refused' : 'requests get HTTP 500';
      out.push(finding(o, 'MS0405', 'Warning', `Every backendRef of rule ${ri} has weight 0: ${what}.`, `spec.rules[${ri}].backendRefs`));
    }
    refs.forEach((b, bi) => {
      if ((b.group ?? '') !== '' || (b.kind ?? 'Service') !== 'Service') return;
      const ns = b.namespace ?? o.namespace;
      const path = `spec.rules[${ri}].backendRefs[${bi}]`;
      if (refused.has(`${ri}/${bi}`)) {
        out.push(finding(o, 'MS0403', 'Error', `backendRef ${ns}/${b.name} is in another namespace and no ReferenceGrant in ${ns} allows ${o.kind}s from ${o.namespace}.`, path));
        return;
      }
      const svc = services.get(`${ns}/${b.name}`);
      if (!svc) { out.push(finding(o, 'MS0401', 'Error', `backendRef Service ${ns}/${b.name} not found.`, path)); return; }
      const ports = (svc.spec.ports ?? []).map((p) => p.port);
      if (b.port !== undefined && ports.length > 0 && !ports.includes(b.port)) {
        out.push(finding(o, 'MS0402', 'Error', `backendRef Service ${ns}/${b.name} has no port ${b.port} (ports ${ports.join(', ')}).`, `${path}.port`));
      }
    });
  });
}

function duplicateListeners(gw: AnalyzedObject<GatewayApiGatewaySpec>, out: Finding[]): void {
  const seen = new Map<string, string>();
  (gw.spec.listeners ?? []).forEach((l, i) => {
    const key = `${l.port}/${l.protocol}/${l.hostname ?? '*'}`;
    const first = seen.get(key);
    if (first !== undefined) out.push(finding(gw, 'MS0404', 'Warning', `Listener ${JSON.stringify(l.name)} has the same port ${l.port}, protocol ${l.protocol} and hostname ${l.hostname ?? '(any)'} as listener ${JSON.stringify(first)}: the listeners conflict.`, `spec.listeners[${i}]`));
    else seen.set(key, l.name);
  });
}

export const gatewayApiRouteCheck: Check = {
  name: NAME,
  description: 'Gateway API routes whose backends or parents do not resolve, duplicate listeners, all-zero weights',
  codes: [
    { code: 'MS0401', level: 'Error', summary: 'backendRef to a missing Service' },
    { code: 'MS0402', level: 'Error', summary: 'backendRef to a port the Service does not have' },
    { code: 'MS0403', level: 'Error', summary: 'cross-namespace backendRef without a ReferenceGrant' },
    { code: 'MS0404', level: 'Warning', summary: 'duplicate listener (port, protocol, hostname) on a Gateway' },
    { code: 'MS0405', level: 'Warning', summary: 'every backendRef of a rule has weight 0' },
    { code: 'MS0406', level: 'Warning', summary: 'a route that no listener accepts' },
  ],
  run(input) {
    const out: Finding[] = [];
    for (const ctx of input.contexts) {
      const routes = ROUTE_KINDS.flatMap((k) => ctx.kind(k));
      const gateways = ctx.kind<GatewayApiGatewaySpec>(GATEWAY_API_GATEWAY_KEY);
      for (const gw of gateways) duplicateListeners(gw, out);
      if (routes.length === 0) continue;
      const services = new Map(ctx.kind<ServiceSpec>('Service').map((s) => [`${s.namespace}/${s.name}`, s] as const));
      const t = translateGatewayApi(ctx.objects.map((o) => o.loaded.obj), { domainSuffix: 'cluster.local', configMapsChecked: ctx.snapshot.configMapsChecked });
      const outcomes = new Map(t.routes.map((r) => [`${r.obj.kind}/${r.obj.metadata.namespace ?? 'default'}/${r.obj.metadata.name}`, r] as const));
      for (const o of routes) {
        const oc = outcomes.get(`${o.kind}/${o.namespace}/${o.name}`);
        const refused = new Set<string>();
        // A RefNotPermitted error names the backendRef: find it by name and namespace.
        for (const e of [oc?.gatewayError].filter(Boolean)) {
          if (e!.reason !== 'RefNotPermitted') continue;
          ((o.spec?.rules ?? []) as HTTPRouteRule[]).forEach((r, ri) => (r.backendRefs ?? []).forEach((b, bi) => {
            if (b.namespace && b.namespace !== o.namespace && e!.message.startsWith(`backendRef ${b.name}/${b.namespace} `)) refused.add(`${ri}/${bi}`);
          }));
        }
        backendChecks(o, services, out, refused);
        if (!oc || oc.parents.length === 0) continue;
        if (oc.parents.every((p) => p.denied)) {
          const idx = ((o.spec?.parentRefs ?? []) as unknown[]).indexOf(oc.parents[0]!.original);
          const reasons = [...new Set(oc.parents.map((p) => `${p.denied!.reason}: ${p.denied!.message}`))].join('; ');
          out.push(finding(o, 'MS0406', 'Warning', `No listener accepts this ${o.kind}: ${reasons}.`, idx >= 0 ? `spec.parentRefs[${idx}]` : 'spec.parentRefs'));
        }
      }
    }
    return out;
  },
};
