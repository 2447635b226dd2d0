// Type checks of the Gateway API fields meshscope reads (see shape.ts). Keyed by kind; only applied to objects of
// the gateway.networking.k8s.io group, whose Gateway is not Istio's.
import type { Shape } from './shape-types.js';

const strings: Shape = { list: 'string' };
const labels: Shape = { map: 'string' };
const parentRefs: Shape = { list: { obj: { group: 'string', kind: 'string', namespace: 'string', name: 'string', sectionName: 'string', port: 'int' } } };
const backendRef: Shape = { obj: { group: 'string', kind: 'string', namespace: 'string', name: 'string', port: 'int', weight: 'int', filters: 'list' } };
const backendRefs: Shape = { list: backendRef };
const headerMatches: Shape = { list: { obj: { type: 'string', name: 'string', value: 'string' } } };
const filters: Shape = { list: { obj: { type: 'string', requestHeaderModifier: 'object', responseHeaderModifier: 'object', requestRedirect: 'object', urlRewrite: 'object', requestMirror: 'object' } } };
const listeners: Shape = {
  list: { obj: { name: 'string', hostname: 'string', port: 'int', protocol: 'string', tls: 'object', allowedRoutes: 'object' } },
};

const targetRefs: Shape = { list: { obj: { group: 'string', kind: 'string', name: 'string', sectionName: 'string' } } };
const caRefs: Shape = { list: { obj: { group: 'string', kind: 'string', name: 'string', namespace: 'string' } } };
const validation: Shape = { obj: { hostname: 'string', caCertificateRefs: caRefs, wellKnownCACertificates: 'string', subjectAltNames: 'list' } };

function routeSpec(rule: Record<string, Shape>): Shape {
  return { obj: { parentRefs, hostnames: strings, rules: { list: { obj: { name: 'string', backendRefs, filters, ...rule } } } } };
}

export const GATEWAY_API_SPECS: Record<string, Shape> = {
  GatewayClass: { obj: { controllerName: 'string', description: 'string', parametersRef: 'object' } },
  Gateway: {
    obj: { gatewayClassName: 'string', listeners, addresses: { list: { obj: { type: 'string', value: 'string' } } }, infrastructure: { obj: { labels, annotations: labels } } },
  },
  ListenerSet: { obj: { parentRef: 'object', listeners } },
  HTTPRoute: routeSpec({
    matches: { list: { obj: { path: { obj: { type: 'string', value: 'string' } }, headers: headerMatches, queryParams: headerMatches, method: 'string' } } },
    timeouts: { obj: { request: 'string', backendRequest: 'string' } },
    retry: 'object',
  }),
  GRPCRoute: routeSpec({
    matches: { list: { obj: { method: { obj: { type: 'string', service: 'string', method: 'string' } }, headers: headerMatches } } },
  }),
  TCPRoute: routeSpec({}),
  TLSRoute: routeSpec({}),
  BackendTLSPolicy: { obj: { targetRefs, validation } },
  XBackendTrafficPolicy: { obj: { targetRefs, retryConstraint: 'object', sessionPersistence: 'object' } },
  XBackend: {
    obj: { type: 'string', externalHostname: { obj: { hostname: 'string' } }, port: { obj: { port: 'int' } }, protocol: 'string', tls: { obj: { mode: 'string', validation } } },
  },
  ReferenceGrant: {
    obj: {
      from: { list: { obj: { group: 'string', kind: 'string', namespace: 'string' } } },
      to: { list: { obj: { group: 'string', kind: 'string', name: 'string' } } },
    },
  },
};
