// Kubernetes Gateway API resources (gateway.networking.k8s.io): the fields meshscope reads.
import type { KubeObject } from './resources.js';

export const GATEWAY_API_GROUP = 'gateway.networking.k8s.io';

export const GATEWAY_API_KINDS = [
  'GatewayClass', 'Gateway', 'HTTPRoute', 'GRPCRoute', 'TCPRoute', 'TLSRoute', 'ReferenceGrant', 'ListenerSet',
  'BackendTLSPolicy', 'XBackend', 'XBackendTrafficPolicy',
] as const;
type GatewayApiKind = (typeof GATEWAY_API_KINDS)[number];

const KIND_SET = new Set<string>(GATEWAY_API_KINDS);

/** The API group of an apiVersion ("" for core). */
export function apiGroup(apiVersion: string | undefined): string {
  const v = apiVersion ?? '';
  const slash = v.indexOf('/');
  return slash < 0 ? '' : v.slice(0, slash);
}

/** True for objects of the Gateway API group (its Gateway is not Istio's networking.istio.io Gateway). */
export function isGatewayApiObject(obj: Pick<KubeObject, 'apiVersion' | 'kind'>): boolean {
  const g = apiGroup(obj.apiVersion);
  return KIND_SET.has(obj.kind) && (g === GATEWAY_API_GROUP || g === 'gateway.networking.x-k8s.io');
}

export interface ParentReference {
  group?: string;
  kind?: string;
  namespace?: string;
  name: string;
  sectionName?: string;
  port?: number;
}

export interface BackendRef {
  group?: string;
  kind?: string;
  name: string;
  namespace?: string;
  port?: number;
  weight?: number;
  filters?: HTTPRouteFilter[];
}

export interface HTTPPathMatch { type?: 'Exact' | 'PathPrefix' | 'RegularExpression'; value?: string }
export interface HTTPHeaderMatch { type?: 'Exact' | 'RegularExpression'; name: string; value: string }

export interface HTTPRouteMatch {
  path?: HTTPPathMatch;
  headers?: HTTPHeaderMatch[];
  queryParams?: HTTPHeaderMatch[];
  method?: string;
}

export interface HTTPHeader { name: string; value: string }
export interface HeaderModifier { set?: HTTPHeader[]; add?: HTTPHeader[]; remove?: string[] }
export interface PathModifier { type: 'ReplaceFullPath' | 'ReplacePrefixMatch'; replaceFullPath?: string; replacePrefixMatch?: string }

export interface HTTPRouteFilter {
  type: string;
  requestHeaderModifier?: HeaderModifier;
  responseHeaderModifier?: HeaderModifier;
  requestRedirect?: { scheme?: string; hostname?: string; path?: PathModifier; port?: number; statusCode?: number };
  urlRewrite?: { hostname?: string; path?: PathModifier };
  requestMirror?: { backendRef: BackendRef; percent?: number; fraction?: { numerator: number; denominator?: number } };
  extensionRef?: { group?: string; kind?: string; name?: string };
  cors?: Record<string, unknown>;
}

export interface HTTPRouteRule {
  name?: string;
  matches?: HTTPRouteMatch[];
  filters?: HTTPRouteFilter[];
  backendRefs?: BackendRef[];
  timeouts?: { request?: string; backendRequest?: string };
  retry?: { attempts?: number; backoff?: string; codes?: number[] };
}

export interface GRPCMethodMatch { type?: 'Exact' | 'RegularExpression'; service?: string; method?: string }
export interface GRPCRouteMatch { method?: GRPCMethodMatch; headers?: HTTPHeaderMatch[] }
export interface GRPCRouteRule { name?: string; matches?: GRPCRouteMatch[]; filters?: HTTPRouteFilter[]; backendRefs?: BackendRef[] }

export interface L4RouteRule { name?: string; backendRefs?: BackendRef[] }

export interface RouteSpec<Rule> { parentRefs?: ParentReference[]; hostnames?: string[]; rules?: Rule[] }
type HTTPRouteSpec = RouteSpec<HTTPRouteRule>;
type GRPCRouteSpec = RouteSpec<GRPCRouteRule>;
type TCPRouteSpec = RouteSpec<L4RouteRule>;
type TLSRouteSpec = RouteSpec<L4RouteRule>;

export interface RouteGroupKind { group?: string; kind: string }

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

export interface Listener {
  name: string;
  hostname?: string;
  port: number;
  protocol: string;
  tls?: { mode?: 'Terminate' | 'Passthrough'; certificateRefs?: { group?: string; kind?: string; name: string; namespace?: string }[]; options?: Record<string, string> };
  allowedRoutes?: { namespaces?: { from?: 'All' | 'Same' | 'Selector'; selector?: LabelSelector }; kinds?: RouteGroupKind[] };
}

export interface GatewayApiGatewaySpec {
  gatewayClassName: string;
  listeners?: Listener[];
  addresses?: { type?: string; value: string }[];
  infrastructure?: { labels?: Record<string, string>; annotations?: Record<string, string>; parametersRef?: unknown };
  allowedListeners?: { namespaces?: { from?: string; selector?: LabelSelector } };
}

interface GatewayClassSpec { controllerName: string; parametersRef?: unknown; description?: string }

export interface ReferenceGrantSpec {
  from: { group: string; kind: string; namespace: string }[];
  to: { group: string; kind: string; name?: string }[];
}

export interface ListenerSetSpec { parentRef: ParentReference; listeners?: Listener[] }

type GatewayApiObject<Spec = unknown> = KubeObject<Spec>;

/** Index key of a Gateway API Gateway in per-kind indexes, where plain 'Gateway' means Istio's. */
export const GATEWAY_API_GATEWAY_KEY = `${GATEWAY_API_GROUP}/Gateway`;

/** The per-kind index key of an object: its kind, except for the Gateway API Gateway. */
export function indexKind(obj: Pick<KubeObject, 'apiVersion' | 'kind'>): string {
  return obj.kind === 'Gateway' && isGatewayApiObject(obj) ? GATEWAY_API_GATEWAY_KEY : obj.kind;
}

/** One service known to istiod's registry (the JSON form of cases.json → harness.service_registry items). */
export interface RegistryService {
  hostname: string;
  namespace: string;
  name?: string;
  ports?: { name?: string; port: number; protocol?: string }[];
  instances?: { servicePort: number; endpointPort: number }[];
  externalAddresses?: Record<string, string[]>;
  labels?: Record<string, string>;
  kubeService?: boolean;
}

interface CaRefShape { group?: string; kind?: string; name?: string; namespace?: string }

/**
 * The ConfigMaps Gateway API objects name as CA bundles, as "namespace/name", each once: frontend client validation
 * of Gateways and ListenerSets (spec.tls.frontend), BackendTLSPolicy and XBackend validation. Secrets are never listed.
 */
export function caConfigMapRefs(objects: Pick<KubeObject, 'apiVersion' | 'kind' | 'metadata' | 'spec'>[]): string[] {
  const out = new Set<string>();
  const add = (refs: CaRefShape[] | undefined, ns: string, defaultKind: string | undefined, crossNamespace: boolean) => {
    for (const r of Array.isArray(refs) ? refs : []) {
      if (!r || typeof r.name !== 'string' || !r.name || (r.group ?? '') !== '' || (r.kind ?? defaultKind) !== 'ConfigMap') continue;
      out.add(`${crossNamespace && typeof r.namespace === 'string' && r.namespace ? r.namespace : ns}/${r.name}`);
    }
  };
  for (const o of objects) {
    const group = apiGroup(o.apiVersion);
    if (group !== GATEWAY_API_GROUP && group !== 'gateway.networking.x-k8s.io') continue;
    const ns = o.metadata?.namespace ?? 'default';
    const spec = (o.spec ?? {}) as Record<string, any>;
    if (o.kind === 'Gateway' || o.kind === 'ListenerSet' || o.kind === 'XListenerSet') {
      const fe = spec.tls?.frontend;
      add(fe?.default?.validation?.caCertificateRefs, ns, 'ConfigMap', true);
      for (const p of Array.isArray(fe?.perPort) ? fe.perPort : []) add(p?.tls?.validation?.caCertificateRefs, ns, 'ConfigMap', true);
    } else if (o.kind === 'BackendTLSPolicy') {
      add(spec.validation?.caCertificateRefs?.slice(0, 1), ns, undefined, false);
    } else if (o.kind === 'XBackend') {
      add(spec.tls?.validation?.caCertificateRefs?.slice(0, 1), ns, undefined, false);
    }
  }
  return [...out];
}
