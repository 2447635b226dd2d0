// What checks read: per-context indexes over the loaded objects (built once per run), plus the joined mesh when
// proxies were loaded. Pure.
import { indexKind } from '../model/gateway-api.js';
import type { ContextSnapshot, MeshInput, ProxyDump } from '../model/context.js';
import type { LoadedObject, ServerPort, ServiceEntrySpec, ServiceSpec } from '../model/resources.js';
import type { Mesh } from '../mesh/join.js';
import type { MeshConfigLite } from '../model/mesh-config.js';
import { HostRegistry, isWildcard, serviceExportTo, serviceHost, toFqdn, selectorMatches, type HostEntry } from '../mesh/hosts.js';

export interface AnalyzedObject<Spec = any> {
  loaded: LoadedObject<Spec>;
  context: string;
  kind: string;
  /** Namespace as loaded ('' when the manifest has none and no default namespace applies). */
  namespace: string;
  name: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  spec: Spec;
  /** "Kind ns/name" or "Kind name". */
  origin: string;
  /** "ns/name" or "name" (istioctl's FullName). */
  fullName: string;
}

export interface PortInfo { number: number; name?: string; protocol?: string; targetPort?: number | string }

export interface HostInfo {
  obj: AnalyzedObject;
  ports: PortInfo[];
  /** Pod selector (Services) or workloadSelector labels (ServiceEntries). */
  selector?: Record<string, string>;
}

export class ContextIndex {
  readonly objects: AnalyzedObject[] = [];
  private readonly byKind = new Map<string, AnalyzedObject[]>();
  readonly hosts = new HostRegistry<HostInfo>();
  /** ServiceEntry wildcard hosts (the registry resolves concrete hosts against them; this serves wildcard lookups). */
  readonly wildcardHosts: HostEntry<HostInfo>[] = [];
  readonly proxies: ProxyDump[];
  private podsByNs?: Map<string, AnalyzedObject[]>;
  private podsByLabel?: Map<string, Map<string, AnalyzedObject[]>>;

  constructor(readonly snapshot: ContextSnapshot, defaultNamespace: string) {
    this.proxies = snapshot.proxies;
    for (const lo of snapshot.objects) {
      if (!lo?.obj?.kind || !lo.obj.metadata?.name) continue;
      if (lo.obj.kind === 'Secret') continue; // never read Secrets
      const o = toObj(lo, snapshot.name, defaultNamespace);
      this.objects.push(o);
      const key = indexKind(lo.obj);
      const list = this.byKind.get(key);
      if (list) list.push(o);
      else this.byKind.set(key, [o]);
    }
    for (const s of this.kind<ServiceSpec>('Service')) {
      this.hosts.add({
        host: serviceHost(s.name, s.namespace), kind: 'Service', namespace: s.namespace, name: s.name,
        exportTo: serviceExportTo(s.annotations),
        value: { obj: s, ports: (s.spec?.ports ?? []).map((p) => ({ number: p.port, name: p.name, protocol: p.protocol, targetPort: p.targetPort })), selector: s.spec?.selector },
      });
    }
    for (const se of this.kind<ServiceEntrySpec>('ServiceEntry')) {
      const ports = (se.spec?.ports ?? []).map((p: ServerPort) => ({ number: p.number, name: p.name, protocol: p.protocol, targetPort: p.targetPort }));
      for (const h of se.spec?.hosts ?? []) {
        const entry: HostEntry<HostInfo> = {
          host: toFqdn(h, se.namespace), kind: 'ServiceEntry', namespace: se.namespace, name: se.name,
          exportTo: se.spec?.exportTo, value: { obj: se, ports, selector: se.spec?.workloadSelector?.labels },
        };
        this.hosts.add(entry);
        if (isWildcard(entry.host)) this.wildcardHosts.push(entry);
      }
    }
  }

  get name(): string {
    return this.snapshot.name;
  }

  kind<Spec = any>(kind: string): AnalyzedObject<Spec>[] {
    return (this.byKind.get(kind) ?? []) as AnalyzedObject<Spec>[];
  }

  /** Pods of `namespace` (all namespaces when undefined) matching every selector label. */
  selectPods(namespace: string | undefined, selector: Record<string, string> | undefined): AnalyzedObject[] {
    if (!this.podsByNs) {
      this.podsByNs = new Map();
      for (const p of this.kind('Pod')) {
        const l = this.podsByNs.get(p.namespace);
        if (l) l.push(p);
        else this.podsByNs.set(p.namespace, [p]);
      }
    }
    const pool = namespace === undefined ? this.kind('Pod') : (this.podsByNs.get(namespace) ?? []);
    if (!selector) return pool.slice();
    // Narrow to the pods carrying the rarest selector label (same order as the namespace pool: both keep load order).
    let best: AnalyzedObject[] | undefined;
    for (const k in selector) {
      const v: unknown = selector[k];
      if (typeof v !== 'string') return pool.filter((p) => selectorMatches(selector, p.labels));
      const list = this.podsWithLabel(k, v);
      if (list.length === 0) return [];
      if (!best || list.length < best.length) best = list;
    }
    if (!best || best.length >= pool.length) return pool.filter((p) => selectorMatches(selector, p.labels));
    return best.filter((p) => (namespace === undefined || p.namespace === namespace) && selectorMatches(selector, p.labels));
  }

  /** Pods with label k=v, in load order (per label key, indexed on first use: selectors use few keys). */
  private podsWithLabel(k: string, v: string): AnalyzedObject[] {
    if (!this.podsByLabel) this.podsByLabel = new Map();
    let byValue = this.podsByLabel.get(k);
    if (!byValue) {
      byValue = new Map();
      for (const p of this.kind('Pod')) {
        if (!Object.prototype.hasOwnProperty.call(p.labels, k)) continue;
        const pv = String(p.labels[k]);
        const l = byValue.get(pv);
        if (l) l.push(p);
        else byValue.set(pv, [p]);
      }
      this.podsByLabel.set(k, byValue);
    }
    return byValue.get(v) ?? [];
  }
}

export function toObj(lo: LoadedObject, context: string, defaultNamespace: string): AnalyzedObject {
  const m = lo.obj.metadata;
  const clusterScoped = lo.obj.kind === 'Namespace' || lo.obj.kind === 'Node';
  const namespace = clusterScoped ? '' : (m.namespace ?? defaultNamespace);
  const fullName = namespace ? `${namespace}/${m.name}` : m.name;
  return {
    loaded: lo, context, kind: lo.obj.kind, namespace, name: m.name,
    labels: (m.labels ?? {}) as Record<string, string>,
    annotations: (m.annotations ?? {}) as Record<string, string>,
    spec: lo.obj.spec ?? {},
    origin: `${lo.obj.kind} ${fullName}`,
    fullName,
  };
}

export interface AnalysisInput {
  contexts: ContextIndex[];
  meshConfig: MeshConfigLite;
  /** The joined mesh (src/mesh), when available: drift, endpoint health and cross-context hops read it. */
  mesh?: Mesh;
  defaultNamespace: string;
}

export interface BuildOptions {
  /** Namespace for objects without one: 'default' like istioctl's CLI; '' reproduces istioctl's unit tests. */
  defaultNamespace?: string;
  meshConfig?: Partial<MeshConfigLite>;
  mesh?: Mesh;
}

export function buildAnalysisInput(input: MeshInput, opts: BuildOptions = {}): AnalysisInput {
  const ns = opts.defaultNamespace ?? 'default';
  return {
    contexts: input.contexts.map((c) => new ContextIndex(c, ns)),
    meshConfig: { rootNamespace: opts.meshConfig?.rootNamespace ?? 'istio-system', proxyMetadata: opts.meshConfig?.proxyMetadata ?? {} },
    mesh: opts.mesh,
    defaultNamespace: ns,
  };
}

/** Kubernetes labels.SelectorFromSet(...).String(): keys sorted, `k=v` joined by commas. */
export function selectorString(sel: Record<string, string> | undefined): string {
  if (!sel) return '';
  return Object.keys(sel).sort().map((k) => `${k}=${sel[k]}`).join(',');
}
