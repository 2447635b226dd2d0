// The joined mesh model: typed entities with ids, and typed edges followed both ways.
import type { LoadedObject, ServicePort, Subset } from '../model/resources.js';
import type { ProxyDump } from '../model/context.js';
import type { EnvoyCluster, EnvoyEndpoint, EnvoyRoute, ParsedDump } from '../model/envoy/types.js';
import type { ObjectRefKey, Problem } from './tree-types.js';
import type { DestinationRuleMatch, GatewayHost, HostResolution } from './hosts.js';

/** `${context}/${kind}/${namespace}/${name}` (namespace '' for cluster-scoped objects). Also the tree node id. */
export function objectId(context: string, kind: string, namespace: string | undefined, name: string): string {
  return `${context}/${kind}/${namespace ?? ''}/${name}`;
}

export interface MeshObject<Spec = any> {
  id: string;
  ref: ObjectRefKey;
  context: string;
  kind: string;
  namespace: string;
  name: string;
  labels: Record<string, string>;
  loaded: LoadedObject<Spec>;
}

export interface PodModel extends MeshObject {
  ip?: string;
  phase?: string;
  ready: boolean;
  /** Owning workload name (Deployment-like: ReplicaSet hash stripped), else the pod name. */
  workload: string;
  hasSidecar: boolean;
  proxy?: ProxyModel;
}

export interface EndpointModel {
  address: string;
  port?: number;
  ready?: boolean;
  source: 'EndpointSlice' | 'Pod' | 'ServiceEntry' | 'WorkloadEntry';
  pod?: PodModel;
  labels?: Record<string, string>;
  network?: string;
  /** Ports by port name: a ServiceEntry endpoint's, or a multi-port Service's EndpointSlice's. */
  ports?: Record<string, number>;
}

export interface ServiceModel extends MeshObject {
  host: string;
  ports: ServicePort[];
  pods: PodModel[];
  endpoints: EndpointModel[];
  /** ClusterIP(s), externalIPs, LoadBalancer IPs and hostnames. */
  addresses: string[];
  /** True for ingress / east-west gateway Services (their pods run a gateway). */
  isGateway: boolean;
}

export interface ServiceEntryModel extends MeshObject {
  hosts: string[];
  endpoints: EndpointModel[];
  pods: PodModel[];
}

export interface DestinationRuleModel extends MeshObject {
  host: string;
  subsets: SubsetModel[];
}

export interface SubsetModel {
  id: string;
  rule: DestinationRuleModel;
  name: string;
  labels: Record<string, string>;
  def: Subset;
}

export interface GatewayServerModel { index: number; port: number; protocol?: string; name?: string; hosts: GatewayHost[]; tlsMode?: string }

export interface GatewayModel extends MeshObject {
  selector: Record<string, string>;
  servers: GatewayServerModel[];
  pods: PodModel[];
  /** Services that select the gateway's pods, with their ports. */
  services: ServiceModel[];
  /** VirtualServices bound to it (hosts intersecting). */
  virtualServices: VirtualServiceModel[];
  /** Unresolved: selector matching no pod, server hosts no VirtualService serves. */
  dangling: string[];
}

export interface GatewayBinding {
  written: string;
  mesh: boolean;
  namespace?: string;
  name?: string;
  gateway?: GatewayModel;
  /** VirtualService hosts that intersect the gateway's server hosts. */
  hosts: string[];
  dangling?: string;
  /**
   * A Gateway istiod generates from a Gateway API listener (it has no GatewayModel): the pods that run it (labelled
   * with the Gateway's name, or behind its gateway Service) and the Envoy listener ports the listener becomes.
   */
  deployed?: { pods: PodModel[]; ports: number[] };
}

export type RuleProtocol = 'http' | 'tcp' | 'tls';

export interface VirtualServiceModel extends MeshObject {
  /** FQDN-completed hosts. */
  hosts: string[];
  gateways: GatewayBinding[];
  /** Bound to sidecars (no gateways, or 'mesh' listed). */
  mesh: boolean;
  rules: RuleModel[];
  /** Set on the VirtualServices istiod generates from Gateway API routes: the routes it came from. */
  generatedFrom?: { kind: string; namespace: string; name: string }[];
}

/** The Gateway API route rule a generated VirtualService rule came from. */
export interface RouteRuleSource {
  /** The route as loaded (its file and line). */
  loaded: LoadedObject;
  kind: string;
  namespace: string;
  name: string;
  /** Index in spec.rules[]. */
  rule: number;
  /** Index in spec.rules[rule].matches[] (absent when the rule has no matches). */
  match?: number;
  /** The route rule's tree node id. */
  id: string;
}

export interface RuleModel {
  id: string;
  vs: VirtualServiceModel;
  protocol: RuleProtocol;
  index: number;
  name?: string;
  /** One-line match summary, `*` for a catch-all. */
  match: string;
  /** YAML path, e.g. spec.http[0] */
  path: string;
  destinations: DestinationModel[];
  /** Envoy routes (per proxy) generated from this rule. */
  envoyRoutes: EnvoyRouteModel[];
  /** http: redirect, directResponse, delegate, or route. */
  action: string;
  /** Generated rules: the Gateway API route rule they came from. */
  source?: RouteRuleSource;
}

export interface DestinationModel {
  id: string;
  rule: RuleModel;
  /** Index in route[] (or in mirrors[]). */
  index: number;
  mirror: boolean;
  host: string;
  fqdn: string;
  subset?: string;
  port?: number;
  /** Weight as written. */
  weightWritten?: number;
  /** Effective percent of the rule's traffic (Istio: a single destination gets 100). */
  weight: number;
  mirrorPercent?: number;
  /** YAML path of the destination, e.g. spec.http[0].route[1].destination */
  path: string;
  /** Generated rules: the index in the route rule's backendRefs[] this destination came from. */
  backendRef?: number;
  resolution: HostResolution<ServiceModel | ServiceEntryModel>;
  targets: (ServiceModel | ServiceEntryModel)[];
  destinationRule?: DestinationRuleMatch<DestinationRuleModel>;
  subsetDef?: SubsetModel;
  pods: PodModel[];
  endpoints: EndpointModel[];
  hops: CrossHop[];
  envoy: EnvoyClusterLink[];
  problems: Problem[];
  /** Unresolved references from this destination (also in the graph as dangling edges). */
  dangling: { kind: EdgeKind; reason: string }[];
}

/**
 * A hop into another loaded context: through its gateway, or (`via: 'service'`) to the same Service, namespace and
 * name, there (multi-cluster: its endpoints in every cluster serve the host).
 */
export interface CrossHop {
  id: string;
  via?: 'service';
  /** The address that matched (ServiceEntry endpoint address or resolved host). */
  address: string;
  port?: number;
  context: string;
  gatewayService?: ServiceModel;
  gatewayPods: PodModel[];
  /** Gateways serving the host on those pods (MESH_EXTERNAL style hops). */
  gateways: GatewayModel[];
  virtualServices: VirtualServiceModel[];
  /** Destinations of those VirtualServices' rules that serve the host. */
  destinations: DestinationModel[];
  /** `.global` hops: the local service the host stands for in the remote context. */
  targetHost?: string;
  targetSubset?: string;
  targetService?: ServiceModel;
  targetSubsetDef?: SubsetModel;
  pods: PodModel[];
  dangling?: string;
}

export interface EnvoyRouteModel {
  id: string;
  proxy: ProxyModel;
  routeConfig: string;
  virtualHost: string;
  domains: string[];
  index: number;
  route: EnvoyRoute;
  vs?: VirtualServiceModel;
  rule?: RuleModel;
  /** Clusters and weights the route sends to. */
  clusters: { name: string; weight: number }[];
  /** Why the route does not link to a VirtualService rule. */
  dangling?: string;
  drift: string[];
}

export interface EnvoyClusterLink {
  id: string;
  proxy: ProxyModel;
  name: string;
  cluster?: EnvoyCluster;
  /** Weight (percent) of the cluster in the Envoy route(s) of the rule on this proxy. */
  weight?: number;
  endpoints: EnvoyEndpoint[];
  healthy: number;
  total: number;
  drift?: string;
  dangling?: string;
}

export interface ProxyModel {
  id: string;
  context: string;
  namespace: string;
  podName: string;
  pod?: PodModel;
  dump: ProxyDump;
  parsed?: ParsedDump;
  /** Health source: /clusters when present, else EDS. */
  endpoints: EnvoyEndpoint[];
  endpointsFrom: 'clusters' | 'eds' | 'none';
  endpointsByCluster: Map<string, EnvoyEndpoint[]>;
  clustersByName: Map<string, EnvoyCluster>;
  routes: EnvoyRouteModel[];
  isGateway: boolean;
  error?: string;
}

export type EdgeKind =
  | 'gateway-pod' | 'gateway-service' | 'vs-gateway' | 'vs-rule' | 'rule-destination'
  | 'destination-host' | 'destination-rule' | 'destination-subset' | 'destination-pod' | 'destination-endpoint'
  | 'service-pod' | 'serviceentry-endpoint' | 'pod-proxy'
  | 'destination-envoy-cluster' | 'envoy-route-rule' | 'cross-context' | 'service-member';

export interface MeshEdge {
  kind: EdgeKind;
  from: string;
  /** Absent when dangling. */
  to?: string;
  dangling?: string;
  drift?: string;
  weight?: number;
  /** Short words about the edge (ports, address...). */
  note?: string;
}

/** A host served in several contexts: one service, per-context members. */
export interface MeshService {
  host: string;
  members: (ServiceModel | ServiceEntryModel)[];
}
