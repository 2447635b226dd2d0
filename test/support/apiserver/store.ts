// The test API server's object store: resource table, resourceVersions, writes and watch events.
import type { KubeObject } from '../../../src/model/resources.js';

export interface ResourceType { kind: string; plural: string; group: string; namespaced: boolean; verbs: string[] }

export const CORE_TYPES: ResourceType[] = [
  { kind: 'Namespace', plural: 'namespaces', group: '', namespaced: false, verbs: ['get', 'list', 'watch', 'patch', 'update'] },
  { kind: 'Service', plural: 'services', group: '', namespaced: true, verbs: ['get', 'list', 'watch', 'patch', 'update'] },
  { kind: 'Pod', plural: 'pods', group: '', namespaced: true, verbs: ['get', 'list', 'watch', 'patch', 'update'] },
  { kind: 'Secret', plural: 'secrets', group: '', namespaced: true, verbs: ['get', 'list', 'watch', 'patch', 'update'] },
  { kind: 'ConfigMap', plural: 'configmaps', group: '', namespaced: true, verbs: ['get', 'list', 'watch', 'patch', 'update'] },
  { kind: 'EndpointSlice', plural: 'endpointslices', group: 'discovery.k8s.io', namespaced: true, verbs: ['get', 'list', 'watch', 'patch', 'update'] },
];
export const ISTIO_TYPES: ResourceType[] = [
  'VirtualService', 'DestinationRule', 'Gateway', 'ServiceEntry', 'Sidecar', 'WorkloadEntry', 'WorkloadGroup', 'EnvoyFilter',
].map((kind) => ({ kind, plural: kind.endsWith('Entry') ? `${kind.toLowerCase().slice(0, -1)}ies` : `${kind.toLowerCase()}s`, group: 'networking.istio.io', namespaced: true, verbs: ['get', 'list', 'watch', 'patch', 'update', 'create', 'delete'] }));
export const SECURITY_TYPES: ResourceType[] = [
  { kind: 'PeerAuthentication', plural: 'peerauthentications' }, { kind: 'AuthorizationPolicy', plural: 'authorizationpolicies' },
  { kind: 'RequestAuthentication', plural: 'requestauthentications' },
].map((t) => ({ ...t, group: 'security.istio.io', namespaced: true, verbs: ['get', 'list', 'watch', 'patch', 'update', 'create', 'delete'] }));
export const ALL_TYPES = [...CORE_TYPES, ...ISTIO_TYPES, ...SECURITY_TYPES];

export const GROUP_VERSIONS: Record<string, string> = { '': 'v1', 'discovery.k8s.io': 'v1' };

export function typeOfKind(kind: string): ResourceType | undefined {
  return ALL_TYPES.find((t) => t.kind === kind);
}

export interface WatchEvent { type: 'ADDED' | 'MODIFIED' | 'DELETED'; object: KubeObject; rv: number }
export type WatchListener = (e: WatchEvent) => void;

const key = (plural: string, ns: string | undefined, name: string) => `${plural}/${ns ?? ''}/${name}`;

export class ObjectStore {
  private objects = new Map<string, KubeObject>();
  private rv = 1000;
  private history: WatchEvent[] = [];
  private listeners = new Set<{ plural: string; ns?: string; fn: WatchListener }>();

  get resourceVersion(): string { return String(this.rv); }

  /** Adds an object as the seed: it gets a uid, a resourceVersion and managedFields (which clients must strip). */
  seed(input: KubeObject): void {
    const t = typeOfKind(input.kind);
    if (!t) return;
    const obj = structuredClone(input);
    obj.metadata.uid ??= `uid-${t.plural}-${obj.metadata.namespace ?? ''}-${obj.metadata.name}`;
    obj.metadata.resourceVersion = String(++this.rv);
    obj.metadata.creationTimestamp ??= '2024-05-01T10:00:00Z';
    if (t.group === 'networking.istio.io') { obj.metadata.generation ??= 1; }
    obj.metadata.managedFields = [{ manager: 'kubectl', operation: 'Apply', apiVersion: obj.apiVersion, time: '2024-05-01T10:00:00Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:metadata': {} } }];
    this.objects.set(key(t.plural, t.namespaced ? obj.metadata.namespace : undefined, obj.metadata.name), obj);
  }

  /** Objects of a type, sorted by namespace then name, converted to apiVersion. */
  list(t: ResourceType, ns?: string): KubeObject[] {
    const out: KubeObject[] = [];
    for (const [k, o] of this.objects) {
      if (!k.startsWith(`${t.plural}/`)) continue;
      if (ns && o.metadata.namespace !== ns) continue;
      out.push(this.view(t, o));
    }
    return out.sort((a, b) => `${a.metadata.namespace ?? ''}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace ?? ''}/${b.metadata.name}`));
  }

  get(t: ResourceType, ns: string | undefined, name: string): KubeObject | undefined {
    const o = this.objects.get(key(t.plural, t.namespaced ? ns : undefined, name));
    return o ? this.view(t, o) : undefined;
  }

  /** Stores a new version: bumps resourceVersion (and generation when spec changed) and notifies watchers. */
  write(t: ResourceType, next: KubeObject): KubeObject {
    const k = key(t.plural, t.namespaced ? next.metadata.namespace : undefined, next.metadata.name);
    const prev = this.objects.get(k);
    const obj = structuredClone(next);
    obj.metadata.resourceVersion = String(++this.rv);
    if (prev && JSON.stringify(prev.spec) !== JSON.stringify(obj.spec) && prev.metadata.generation !== undefined) {
      obj.metadata.generation = (prev.metadata.generation ?? 0) + 1;
    }
    this.objects.set(k, obj);
    this.emit({ type: prev ? 'MODIFIED' : 'ADDED', object: this.view(t, obj), rv: this.rv }, t);
    return this.view(t, obj);
  }

  delete(t: ResourceType, ns: string | undefined, name: string): KubeObject | undefined {
    const k = key(t.plural, t.namespaced ? ns : undefined, name);
    const prev = this.objects.get(k);
    if (!prev) return undefined;
    this.objects.delete(k);
    const gone = structuredClone(prev);
    gone.metadata.resourceVersion = String(++this.rv);
    this.emit({ type: 'DELETED', object: this.view(t, gone), rv: this.rv }, t);
    return gone;
  }

  /** Events after resourceVersion `since` for a type (and namespace), for a watch that resumes. */
  eventsSince(t: ResourceType, since: number, ns?: string): WatchEvent[] {
    return this.history.filter((e) => e.rv > since && e.object.kind === t.kind && (!ns || e.object.metadata.namespace === ns));
  }

  subscribe(plural: string, ns: string | undefined, fn: WatchListener): () => void {
    const l = { plural, ns, fn };
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  private emit(e: WatchEvent, t: ResourceType): void {
    this.history.push(e);
    for (const l of this.listeners) if (l.plural === t.plural && (!l.ns || l.ns === e.object.metadata.namespace)) l.fn(e);
  }

  private view(_t: ResourceType, o: KubeObject): KubeObject {
    return structuredClone(o);
  }
}
