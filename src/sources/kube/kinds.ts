// The kinds meshscope reads from a live context. Secrets are deliberately absent: meshscope never reads them.
import type { KubeObject } from '../../model/resources.js';

export interface LiveKind { kind: string; plural: string; group: string; version: string; namespaced: boolean; istio: boolean }

export const CORE_KINDS: LiveKind[] = [
  { kind: 'Namespace', plural: 'namespaces', group: '', version: 'v1', namespaced: false, istio: false },
  { kind: 'Service', plural: 'services', group: '', version: 'v1', namespaced: true, istio: false },
  { kind: 'Pod', plural: 'pods', group: '', version: 'v1', namespaced: true, istio: false },
  { kind: 'EndpointSlice', plural: 'endpointslices', group: 'discovery.k8s.io', version: 'v1', namespaced: true, istio: false },
];

export const ISTIO_KIND_NAMES = ['VirtualService', 'DestinationRule', 'Gateway', 'ServiceEntry', 'Sidecar', 'WorkloadEntry', 'WorkloadGroup', 'EnvoyFilter'];

/** networking.istio.io versions in order of preference. */
export const ISTIO_VERSIONS = ['v1', 'v1beta1', 'v1alpha3'];

export function istioKinds(version: string): LiveKind[] {
  return ISTIO_KIND_NAMES.map((kind) => ({ kind, plural: kind.endsWith('Entry') ? `${kind.toLowerCase().slice(0, -1)}ies` : `${kind.toLowerCase()}s`, group: 'networking.istio.io', version, namespaced: true, istio: true }));
}

/** security.istio.io versions meshscope understands, in order of preference (v1 since Istio 1.22). */
export const SECURITY_VERSIONS = ['v1', 'v1beta1'];

export const SECURITY_KINDS: LiveKind[] = [
  { kind: 'PeerAuthentication', plural: 'peerauthentications', group: 'security.istio.io', version: 'v1', namespaced: true, istio: true },
  { kind: 'AuthorizationPolicy', plural: 'authorizationpolicies', group: 'security.istio.io', version: 'v1', namespaced: true, istio: true },
  { kind: 'RequestAuthentication', plural: 'requestauthentications', group: 'security.istio.io', version: 'v1', namespaced: true, istio: true },
];

/** The security.istio.io kinds at a served version. */
export function securityKinds(version: string): LiveKind[] {
  return SECURITY_KINDS.map((k) => ({ ...k, version }));
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
