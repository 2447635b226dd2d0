// The kinds meshscope reads from a live context. Secrets are deliberately absent: meshscope never reads them.
import type { KubeObject } from '../../model/resources.js';

export interface LiveKind { kind: string; plural: string; group: string; version: string; namespaced: boolean; istio: boolean }

/** A kind meshscope knows: the versions it understands (newest first) and whether it lists the kind's objects. */
export interface KindSpec extends Omit<LiveKind, 'version'> {
  versions: string[];
  /** false: discovery reports whether the kind is served, but its objects are not listed yet. */
  list: boolean;
  /** true: an optional kind whose absence is not reported (experimental extensions). */
  quiet?: boolean;
}

export const CORE_KINDS: LiveKind[] = [
  { kind: 'Namespace', plural: 'namespaces', group: '', version: 'v1', namespaced: false, istio: false },
  { kind: 'Service', plural: 'services', group: '', version: 'v1', namespaced: true, istio: false },
  { kind: 'Pod', plural: 'pods', group: '', version: 'v1', namespaced: true, istio: false },
  { kind: 'EndpointSlice', plural: 'endpointslices', group: 'discovery.k8s.io', version: 'v1', namespaced: true, istio: false },
];

export const ISTIO_KIND_NAMES = ['VirtualService', 'DestinationRule', 'Gateway', 'ServiceEntry', 'Sidecar', 'WorkloadEntry', 'WorkloadGroup', 'EnvoyFilter'];

/** networking.istio.io versions, newest first. */
export const ISTIO_VERSIONS = ['v1', 'v1beta1', 'v1alpha3'];

const plural = (kind: string) => (/[^aeiou]y$/.test(kind) ? `${kind.toLowerCase().slice(0, -1)}ies` : kind.endsWith('s') ? `${kind.toLowerCase()}es` : `${kind.toLowerCase()}s`);

const spec = (group: string, kind: string, versions: string[], more: Partial<KindSpec> = {}): KindSpec =>
  ({ kind, plural: plural(kind), group, versions, namespaced: true, istio: group.endsWith('istio.io'), list: true, ...more });

/**
 * Every kind meshscope reads, in load order. Which version is asked for comes from each context's discovery
 * (discovery.ts). A Gateway API `Gateway` and Istio's are told apart by group (model/gateway-api.ts `indexKind`).
 */
export const KIND_SPECS: KindSpec[] = [
  ...CORE_KINDS.map(({ version, ...k }) => ({ ...k, versions: k.group ? [version, 'v1beta1'] : [version], list: true })),
  ...ISTIO_KIND_NAMES.map((kind) => spec('networking.istio.io', kind, ISTIO_VERSIONS)),
  ...['PeerAuthentication', 'AuthorizationPolicy', 'RequestAuthentication'].map((kind) => spec('security.istio.io', kind, ['v1', 'v1beta1'])),
  spec('gateway.networking.k8s.io', 'GatewayClass', ['v1', 'v1beta1'], { namespaced: false }),
  ...['Gateway', 'HTTPRoute'].map((kind) => spec('gateway.networking.k8s.io', kind, ['v1', 'v1beta1'])),
  ...['GRPCRoute', 'TCPRoute'].map((kind) => spec('gateway.networking.k8s.io', kind, ['v1', 'v1alpha2'])),
  spec('gateway.networking.k8s.io', 'TLSRoute', ['v1', 'v1alpha3', 'v1alpha2']),
  spec('gateway.networking.k8s.io', 'ReferenceGrant', ['v1', 'v1beta1', 'v1alpha2']),
  spec('gateway.networking.k8s.io', 'ListenerSet', ['v1']),
  spec('gateway.networking.k8s.io', 'BackendTLSPolicy', ['v1', 'v1alpha3']),
  ...['XBackend', 'XBackendTrafficPolicy'].map((kind) => spec('gateway.networking.x-k8s.io', kind, ['v1alpha1'], { quiet: true })),
];

/** What an absent group means to an operator. */
export const GROUP_NAMES: Record<string, { name: string; absent: string }> = {
  'networking.istio.io': { name: 'Istio', absent: 'Istio not installed (no networking.istio.io CRDs)' },
  'security.istio.io': { name: 'Istio security', absent: 'no Istio security CRDs' },
  'gateway.networking.k8s.io': { name: 'Gateway API', absent: 'Gateway API not installed' },
};

/** "EnvoyFilter (networking.istio.io/v1alpha3)": how load issues name a kind. */
export function kindLabel(k: { kind: string; group: string }, version: string): string {
  return `${k.kind} (${k.group ? `${k.group}/${version}` : version})`;
}

/** The list URL of a kind, narrowed to a namespace when given. */
export function listPath(k: LiveKind, namespace?: string): string {
  const base = k.group ? `/apis/${k.group}/${k.version}` : `/api/${k.version}`;
  return k.namespaced && namespace ? `${base}/namespaces/${encodeURIComponent(namespace)}/${k.plural}` : `${base}/${k.plural}`;
}

export function objectPath(k: LiveKind, namespace: string | undefined, name: string): string {
  const base = k.group ? `/apis/${k.group}/${k.version}` : `/api/${k.version}`;
  return k.namespaced ? `${base}/namespaces/${encodeURIComponent(namespace ?? '')}/${k.plural}/${encodeURIComponent(name)}` : `${base}/${k.plural}/${encodeURIComponent(name)}`;
}

/** apiVersion and kind first (list items omit them), managedFields stripped. The input is not modified. */
export function normalizeItem(k: LiveKind, apiVersion: string, item: Record<string, unknown>): KubeObject {
  const { apiVersion: _a, kind: _k, ...rest } = item;
  const out = { apiVersion: (_a as string | undefined) ?? apiVersion, kind: (_k as string | undefined) ?? k.kind, ...rest } as KubeObject;
  if (out.metadata && 'managedFields' in out.metadata) {
    const { managedFields: _m, ...meta } = out.metadata;
    out.metadata = meta as KubeObject['metadata'];
  }
  return out;
}
