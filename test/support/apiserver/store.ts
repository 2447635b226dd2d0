// The test API server's object store: resource table, resourceVersions, writes and watch events.
import type { KubeObject } from '../../../src/model/resources.js';
import { resourceTypes, type ResourceType } from './crds.js';

export type { ResourceType } from './crds.js';

let known: ResourceType[] | undefined;
/** Every type any test server may serve (built-ins, every Istio CRD, Gateway API experimental): to file seeds. */
export function knownTypes(): ResourceType[] {
  known ??= resourceTypes({ istio: 'current', gatewayApi: 'experimental' });
  return known;
}

/** The type of a kind (of a group when given; else the first: Istio's Gateway before Gateway API's). */
export function typeOfKind(kind: string, group?: string): ResourceType | undefined {
  return knownTypes().find((t) => t.kind === kind && (group === undefined || t.group === group));
}

/** The type of an object, from its apiVersion's group and its kind. */
export function typeOfObject(obj: { apiVersion?: string; kind?: string }): ResourceType | undefined {
  const av = obj.apiVersion ?? '';
  return obj.kind ? typeOfKind(obj.kind, av.includes('/') ? av.slice(0, av.indexOf('/')) : '') : undefined;
}

export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED'; object: KubeObject; rv: number;
  /** MODIFIED: the state before (a selecting watch tells moves into and out of its selection). */
  prev?: KubeObject;
  /** group/plural of the object's type */
  resource?: string;
}
export type WatchListener = (e: WatchEvent) => void;

const typeKey = (t: ResourceType) => `${t.group}/${t.plural}`;
const key = (t: ResourceType, ns: string | undefined, name: string) => `${typeKey(t)}/${ns ?? ''}/${name}`;

export class ObjectStore {
  private objects = new Map<string, KubeObject>();
  private rv = 1000;
  private history: WatchEvent[] = [];
  private listeners = new Set<{ type: string; ns?: string; fn: WatchListener }>();

  get resourceVersion(): string { return String(this.rv); }

  /** Watches from before this resourceVersion get the 410 ERROR event ("too old resource version"). */
  readonly oldestResourceVersion = 1000;

  /** Adds an object as the seed: it gets a uid, a resourceVersion and managedFields (which clients must strip). */
  seed(input: KubeObject): void {
    const t = typeOfObject(input);
    if (!t) return;
    const obj = structuredClone(input);
    obj.metadata.uid ??= `uid-${t.plural}-${obj.metadata.namespace ?? ''}-${obj.metadata.name}`;
    obj.metadata.resourceVersion = String(++this.rv);
    obj.metadata.creationTimestamp ??= '2024-05-01T10:00:00Z';
    if (!t.builtin) { obj.metadata.generation ??= 1; }
    obj.metadata.managedFields = [{ manager: 'kubectl', operation: 'Apply', apiVersion: obj.apiVersion, time: '2024-05-01T10:00:00Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:metadata': {} } }];
    this.objects.set(key(t, t.namespaced ? obj.metadata.namespace : undefined, obj.metadata.name), obj);
  }

  /** Objects of a type, sorted by namespace then name, converted to apiVersion. */
  list(t: ResourceType, ns?: string): KubeObject[] {
    const out: KubeObject[] = [];
    for (const [k, o] of this.objects) {
      if (!k.startsWith(`${typeKey(t)}/`)) continue;
      if (ns && o.metadata.namespace !== ns) continue;
      out.push(this.view(t, o));
    }
    return out.sort((a, b) => `${a.metadata.namespace ?? ''}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace ?? ''}/${b.metadata.name}`));
  }

  get(t: ResourceType, ns: string | undefined, name: string): KubeObject | undefined {
    const o = this.objects.get(key(t, t.namespaced ? ns : undefined, name));
    return o ? this.view(t, o) : undefined;
  }

  /** Stores a new version: bumps resourceVersion (and generation when spec changed) and notifies watchers. */
  write(t: ResourceType, next: KubeObject): KubeObject {
    const k = key(t, t.namespaced ? next.metadata.namespace : undefined, next.metadata.name);
    const prev = this.objects.get(k);
    const obj = structuredClone(next);
    obj.metadata.resourceVersion = String(++this.rv);
    if (prev && JSON.stringify(prev.spec) !== JSON.stringify(obj.spec) && prev.metadata.generation !== undefined) {
      obj.metadata.generation = (prev.metadata.generation ?? 0) + 1;
    }
    this.objects.set(k, obj);
    this.emit({ type: prev ? 'MODIFIED' : 'ADDED', object: this.view(t, obj), rv: this.rv, ...(prev ? { prev: this.view(t, prev) } : {}) }, t);
    return this.view(t, obj);
  }

  delete(t: ResourceType, ns: string | undefined, name: string): KubeObject | undefined {
    const k = key(t, t.namespaced ? ns : undefined, name);
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
    return this.history.filter((e) => e.rv > since && e.resource === typeKey(t) && (!ns || e.object.metadata.namespace === ns));
  }

  subscribe(t: ResourceType, ns: string | undefined, fn: WatchListener): () => void {
    const l = { type: typeKey(t), ns, fn };
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  private emit(e: WatchEvent, t: ResourceType): void {
    e.resource = typeKey(t);
    this.history.push(e);
    for (const l of this.listeners) if (l.type === e.resource && (!l.ns || l.ns === e.object.metadata.namespace)) l.fn(e);
  }

  private view(_t: ResourceType, o: KubeObject): KubeObject {
    return structuredClone(o);
  }
}
