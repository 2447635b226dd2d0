// Per-context indexes: objects by kind and id, pods by label, Services and ServiceEntries by host, DRs by host.
import { indexKind } from '../model/gateway-api.js';
import type { ContextSnapshot } from '../model/context.js';
import type { LoadedObject, ServiceEntrySpec, ServiceSpec, GatewaySpec, DestinationRuleSpec } from '../model/resources.js';
import {
  DestinationRuleIndex, HostRegistry, parseGatewayHost, serviceExportTo, serviceHost, toFqdn,
} from './hosts.js';
import type {
  DestinationRuleModel, EndpointModel, GatewayModel, MeshObject, PodModel, ServiceEntryModel, ServiceModel,
  SubsetModel, VirtualServiceModel, ProxyModel,
} from './objects.js';
import { objectId } from './objects.js';
import { flat } from './tree-nodes.js';
import type { Translation } from './gateway-api/translate.js';

const HASH_SUFFIX = /-[a-z0-9]{6,10}-[a-z0-9]{5}$/;
const POD_SUFFIX = /-[a-z0-9]{5}$/;
const RS_HASH = /-[a-z0-9]{6,10}$/;

/** Generated VirtualServices by `${name}.${namespace}` (as Envoy's route metadata names them), built on demand. */
export interface GeneratedVirtualServiceSet {
  get(key: string): VirtualServiceModel | undefined;
  /** Every one, in translation order. */
  all(): VirtualServiceModel[];
  /** Those built so far. */
  built(): VirtualServiceModel[];
  /** Those with tcp or tls rules (matched to listener chains, not named by routes). */
  l4(): VirtualServiceModel[];
}

export class ContextIndex {
  private objectMap?: Map<string, MeshObject>;
  readonly byKind = new Map<string, MeshObject[]>();
  readonly namespaces = new Set<string>();
  readonly pods: PodModel[] = [];
  readonly podByName = new Map<string, PodModel>();
  readonly podByIp = new Map<string, PodModel>();
  private readonly podsByLabel = new Map<string, Map<string, PodModel[]>>();
  private readonly podsByNs = new Map<string, PodModel[]>();
  readonly services: ServiceModel[] = [];
  readonly serviceEntries: ServiceEntryModel[] = [];
  readonly destinationRules: DestinationRuleModel[] = [];
  readonly gateways: GatewayModel[] = [];
  readonly gatewayByKey = new Map<string, GatewayModel>();
  readonly virtualServices: VirtualServiceModel[] = [];
  /** istiod's translation of the Gateway API objects, when there are any. */
  gatewayApi?: Translation;
  /** Its VirtualServices as models, each built on first use (the join builds those Envoy routes name). */
  generated?: GeneratedVirtualServiceSet;
  readonly hosts = new HostRegistry<ServiceModel | ServiceEntryModel>();
  readonly drs = new DestinationRuleIndex<DestinationRuleModel>();
  readonly subsets = new Map<string, SubsetModel>();
  /** Gateway Service address (LB IP/hostname, externalIP, ClusterIP) → Service. */
  readonly gatewayAddresses = new Map<string, ServiceModel>();
  readonly proxies: ProxyModel[] = [];
  /** Every loaded context, this one included (set by the join before it links anything). */
  peers: ContextIndex[] = [];
  private serviceMap?: Map<string, ServiceModel>;
  private readonly rsWorkload = new Map<string, string>();

  constructor(readonly snapshot: ContextSnapshot) {
    this.build();
  }

  /** The VirtualServices istiod generates from the Gateway API routes (not loaded objects), all built. */
  get generatedVirtualServices(): VirtualServiceModel[] {
    return this.generated?.all() ?? [];
  }

  get name(): string {
    return this.snapshot.name;
  }

  /** Every object by id; built on first use (the join and the tree never look objects up by id). */
  get objects(): Map<string, MeshObject> {
    if (!this.objectMap) {
      this.objectMap = new Map();
      for (const list of this.byKind.values()) for (const o of list) this.objectMap.set(o.id, o);
    }
    return this.objectMap;
  }

  /** The Service `namespace/name`, if loaded. */
  serviceNamed(namespace: string, name: string): ServiceModel | undefined {
    if (!this.serviceMap) {
      this.serviceMap = new Map();
      for (const s of this.services) this.serviceMap.set(`${s.namespace}/${s.name}`, s);
    }
    return this.serviceMap.get(`${namespace}/${name}`);
  }

  kind(kind: string): MeshObject[] {
    return this.byKind.get(kind) ?? [];
  }

  /** Pods in `ns` whose labels include every selector label. */
  selectPods(ns: string | undefined, selector: Record<string, string> | undefined): PodModel[] {
    if (!selector || Object.keys(selector).length === 0) return [];
    let best: PodModel[] | undefined;
    for (const k in selector) {
      const list = this.podsByLabel.get(k)?.get(selector[k]!);
      if (!list) return [];
      if (!best || list.length < best.length) best = list;
    }
    return best!.filter((p) => (ns === undefined || p.namespace === ns) && matchAll(selector, p.labels));
  }

  podsIn(ns: string): PodModel[] {
    return this.podsByNs.get(ns) ?? [];
  }

  private base(lo: LoadedObject): MeshObject {
    const m = lo.obj.metadata;
    const ns = m.namespace ?? (lo.obj.kind === 'Namespace' ? '' : 'default');
    const name = m.name;
    const context = this.snapshot.name;
    return {
      id: flat(objectId(context, lo.obj.kind, ns, name)),
      ref: { context, kind: lo.obj.kind, namespace: ns || undefined, name },
      context, kind: lo.obj.kind, namespace: ns, name,
      labels: (m.labels ?? {}) as Record<string, string>,
      loaded: lo,
    };
  }

  private build(): void {
    const slicesBySvc = new Map<string, LoadedObject[]>();
    for (const lo of this.snapshot.objects) {
      if (!lo?.obj?.metadata?.name || !lo.obj.kind) continue;
      const kind = lo.obj.kind;
      if (kind === 'Secret') continue;
      if (kind === 'Pod') {
        const pod = this.addPod(lo);
        this.namespaces.add(pod.namespace);
        pushTo(this.byKind, kind, pod);
        continue;
      }
      const o = this.base(lo);
      if (kind === 'Namespace') this.namespaces.add(o.name);
      else if (o.namespace) this.namespaces.add(o.namespace);
      if (kind === 'EndpointSlice') {
        const svc = o.labels['kubernetes.io/service-name'];
        if (svc) {
          const k = `${o.namespace}/${svc}`;
          const l = slicesBySvc.get(k);
          if (l) l.push(lo); else slicesBySvc.set(k, [lo]);
        }
      }
      pushTo(this.byKind, indexKind(lo.obj), o);
    }
    for (const o of this.kind('Service')) this.addService(o, slicesBySvc.get(`${o.namespace}/${o.name}`));
    for (const o of this.kind('ServiceEntry')) this.addServiceEntry(o);
    for (const o of this.kind('DestinationRule')) this.addDestinationRule(o);
    for (const o of this.kind('Gateway')) this.addGateway(o);
  }

  /** Owning workload of a ReplicaSet (its pod-template hash stripped); one shared string per ReplicaSet. */
  private workloadOfRs(rs: string): string {
    let w = this.rsWorkload.get(rs);
    if (w === undefined) {
      w = rs.replace(RS_HASH, '');
      this.rsWorkload.set(rs, w);
    }
    return w;
  }

  private addPod(lo: LoadedObject): PodModel {
    const obj = lo.obj;
    const m = obj.metadata;
    const namespace = m.namespace ?? 'default';
    const name = m.name;
    const context = this.snapshot.name;
    const containers = (obj.spec?.containers ?? []) as { name: string }[];
    const status = obj.status ?? {};
    const statuses = (status.containerStatuses ?? []) as { ready?: boolean }[];
    let workload = '';
    for (const r of (m.ownerReferences ?? []) as { kind?: string; name?: string }[]) {
      if (r.kind === 'ReplicaSet' && r.name) { workload = this.workloadOfRs(r.name); break; }
    }
    if (!workload) workload = HASH_SUFFIX.test(name) ? name.replace(HASH_SUFFIX, '') : name.replace(POD_SUFFIX, '') || name;
    let ready = statuses.length === 0 ? status.phase !== 'Failed' : true;
    for (const st of statuses) if (st.ready === false) ready = false;
    let hasSidecar = false;
    for (const c of containers) if (c.name === 'istio-proxy') hasSidecar = true;
    const pod: PodModel = {
      id: flat(objectId(context, 'Pod', namespace, name)), ref: { context, kind: 'Pod', namespace, name },
      context, kind: 'Pod', namespace, name, labels: (m.labels ?? {}) as Record<string, string>, loaded: lo,
      ip: status.podIP as string | undefined, phase: status.phase as string | undefined, ready, workload, hasSidecar, proxy: undefined,
    };
    this.pods.push(pod);
    this.podByName.set(`${pod.namespace}/${pod.name}`, pod);
    if (pod.ip) this.podByIp.set(pod.ip, pod);
    const nsList = this.podsByNs.get(pod.namespace);
    if (nsList) nsList.push(pod); else this.podsByNs.set(pod.namespace, [pod]);
    for (const k in pod.labels) {
      let byValue = this.podsByLabel.get(k);
      if (!byValue) { byValue = new Map(); this.podsByLabel.set(k, byValue); }
      const v = pod.labels[k]!;
      const l = byValue.get(v);
      if (l) l.push(pod); else byValue.set(v, [pod]);
    }
    return pod;
  }

  private addService(o: MeshObject, slices: LoadedObject[] | undefined): void {
    const spec = (o.loaded.obj.spec ?? {}) as ServiceSpec;
    const pods = this.selectPods(o.namespace, spec.selector);
    const endpoints: EndpointModel[] = [];
    if (slices) {
      for (const s of slices) {
        const ports = (s.obj.ports ?? []) as { name?: string; port?: number }[];
        // A multi-port Service's slice names each port as the Service does: the trace picks the one it calls.
        const named = ports.filter((p) => p.name && typeof p.port === 'number');
        const byName = named.length > 1 ? Object.fromEntries(named.map((p) => [p.name!, p.port!])) : undefined;
        for (const ep of (s.obj.endpoints ?? []) as { addresses?: string[]; conditions?: { ready?: boolean }; targetRef?: { kind?: string; name?: string } }[]) {
          for (const address of ep.addresses ?? []) {
            const pod = ep.targetRef?.kind === 'Pod' && ep.targetRef.name
              ? this.podByName.get(`${o.namespace}/${ep.targetRef.name}`) : this.podByIp.get(address);
            endpoints.push({ address, port: ports[0]?.port, ready: ep.conditions?.ready !== false, source: 'EndpointSlice', pod, ...(byName ? { ports: byName } : {}) });
          }
        }
      }
    } else {
      for (const p of pods) if (p.ip) endpoints.push({ address: p.ip, ready: p.ready, source: 'Pod', pod: p });
    }
    const addresses: string[] = [];
    for (const ip of spec.clusterIPs ?? (spec.clusterIP ? [spec.clusterIP] : [])) if (ip && ip !== 'None') addresses.push(ip);
    for (const ip of spec.externalIPs ?? []) addresses.push(ip);
    for (const ing of (o.loaded.obj.status?.loadBalancer?.ingress ?? []) as { ip?: string; hostname?: string }[]) {
      if (ing.ip) addresses.push(ing.ip);
      if (ing.hostname) addresses.push(ing.hostname);
    }
    const lbl = o.labels;
    const isGateway = /gateway/.test(lbl.istio ?? '') || /gateway/.test(spec.selector?.istio ?? '')
      || lbl['gateway.istio.io/managed'] !== undefined || (spec.type === 'LoadBalancer' && /gateway/.test(o.name));
    const svc: ServiceModel = Object.assign(o, {
      host: serviceHost(o.name, o.namespace), ports: spec.ports ?? [], pods, endpoints, addresses, isGateway,
    });
    this.services.push(svc);
    this.hosts.add({ host: svc.host, kind: 'Service', namespace: o.namespace, name: o.name, exportTo: serviceExportTo(o.loaded.obj.metadata.annotations), value: svc });
    if (isGateway) for (const a of addresses) this.gatewayAddresses.set(a, svc);
  }

  private addServiceEntry(o: MeshObject): void {
    const spec = (o.loaded.obj.spec ?? {}) as ServiceEntrySpec;
    const hosts = (spec.hosts ?? []).map((h) => toFqdn(h, o.namespace));
    const endpoints: EndpointModel[] = (spec.endpoints ?? []).map((e) => ({
      address: e.address ?? '', source: 'ServiceEntry' as const, labels: e.labels, network: e.network, ports: e.ports,
      pod: e.address ? this.podByIp.get(e.address) : undefined,
    }));
    let pods: PodModel[] = [];
    const sel = spec.workloadSelector?.labels;
    if (sel) {
      pods = this.selectPods(o.namespace, sel);
      for (const p of pods) if (p.ip) endpoints.push({ address: p.ip, ready: p.ready, source: 'Pod', pod: p, labels: p.labels });
      for (const we of this.kind('WorkloadEntry')) {
        const ws = we.loaded.obj.spec ?? {};
        const labels = { ...we.labels, ...(ws.labels ?? {}) };
        if (we.namespace === o.namespace && matchAll(sel, labels) && ws.address) {
          endpoints.push({ address: ws.address, source: 'WorkloadEntry', labels, network: ws.network, ports: ws.ports });
        }
      }
    }
    const se: ServiceEntryModel = Object.assign(o, { hosts, endpoints, pods });
    this.serviceEntries.push(se);
    for (const h of hosts) {
      this.hosts.add({ host: h, kind: 'ServiceEntry', namespace: o.namespace, name: o.name, exportTo: spec.exportTo, value: se });
    }
  }

  private addDestinationRule(o: MeshObject): void {
    const spec = (o.loaded.obj.spec ?? {}) as DestinationRuleSpec;
    const dr = Object.assign(o, { host: toFqdn(spec.host ?? '', o.namespace), subsets: [] as SubsetModel[] }) as DestinationRuleModel;
    for (const s of spec.subsets ?? []) {
      if (!s?.name) continue;
      const subset: SubsetModel = { id: `${dr.id}/subset:${s.name}`, rule: dr, name: s.name, labels: s.labels ?? {}, def: s };
      dr.subsets.push(subset);
      this.subsets.set(subset.id, subset);
    }
    this.destinationRules.push(dr);
    if (dr.host) this.drs.add({ host: dr.host, namespace: o.namespace, name: o.name, exportTo: spec.exportTo, value: dr });
  }

  private addGateway(o: MeshObject): void {
    const spec = (o.loaded.obj.spec ?? {}) as GatewaySpec;
    const selector = spec.selector ?? {};
    // Istio selects gateway pods in every namespace unless PILOT_SCOPE_GATEWAY_TO_NAMESPACE is set.
    const pods = this.selectPods(undefined, selector);
    const podSet = new Set(pods);
    const services = pods.length === 0 ? [] : this.services.filter((s) => s.pods.some((p) => podSet.has(p)));
    const gw: GatewayModel = Object.assign(o, {
      selector,
      servers: (spec.servers ?? []).map((s, index) => ({
        index, port: s.port?.number, protocol: s.port?.protocol, name: s.name, tlsMode: s.tls?.mode,
        hosts: (s.hosts ?? []).map((h) => parseGatewayHost(h, o.namespace)),
      })),
      pods, services, virtualServices: [] as VirtualServiceModel[], dangling: [] as string[],
    }) as GatewayModel;
    for (const s of services) {
      if (!s.isGateway) {
        (s as { isGateway: boolean }).isGateway = true;
        for (const a of s.addresses) this.gatewayAddresses.set(a, s);
      }
    }
    this.gateways.push(gw);
    this.gatewayByKey.set(`${o.namespace}/${o.name}`, gw);
  }
}

function pushTo<T>(m: Map<string, T[]>, k: string, v: T): void {
  const l = m.get(k);
  if (l) l.push(v); else m.set(k, [v]);
}

function matchAll(selector: Record<string, string>, labels: Record<string, string>): boolean {
  for (const k in selector) if (labels[k] !== selector[k]) return false;
  return true;
}

/** The gateway Services of the other loaded contexts at this address (an east-west gateway's IP), with their context. */
export function gatewaysAt(contexts: readonly ContextIndex[], self: string, address: string): { context: ContextIndex; service: ServiceModel }[] {
  const out: { context: ContextIndex; service: ServiceModel }[] = [];
  for (const context of contexts) {
    if (context.name === self) continue;
    const service = context.gatewayAddresses.get(address);
    if (service) out.push({ context, service });
  }
  return out;
}
