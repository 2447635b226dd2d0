// Typed Kubernetes and Istio resources, as loaded from a snapshot folder or a live context.

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  [key: string]: unknown;
}

export interface KubeObject<Spec = any> {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec?: Spec;
  status?: any;
  [key: string]: unknown;
}

/** Where an object came from: needed for error messages and for writing a snapshot file back. */
export interface ObjectOrigin {
  context: string;
  /** Snapshot file the object was read from (absent for live objects). */
  file?: string;
  /** 0-based index of the YAML document in the file. */
  docIndex?: number;
  /** 0-based index inside a `kind: List` document's items. */
  itemIndex?: number;
  /** 1-based line where the object starts in the file. */
  line?: number;
}

export interface LoadedObject<Spec = any> {
  obj: KubeObject<Spec>;
  origin: ObjectOrigin;
}

// ---- networking.istio.io specs (the fields meshscope reads) ----

export interface PortSelector { number?: number; name?: string }

export interface Destination { host: string; subset?: string; port?: PortSelector }

export interface RouteDestination { destination: Destination; weight?: number; headers?: unknown }

export interface StringMatch { exact?: string; prefix?: string; regex?: string }

export interface HTTPMatchRequest {
  name?: string;
  uri?: StringMatch;
  scheme?: StringMatch;
  method?: StringMatch;
  authority?: StringMatch;
  headers?: Record<string, StringMatch>;
  queryParams?: Record<string, StringMatch>;
  withoutHeaders?: Record<string, StringMatch>;
  port?: number;
  sourceLabels?: Record<string, string>;
  gateways?: string[];
  sourceNamespace?: string;
  ignoreUriCase?: boolean;
}

export interface Percent { value?: number }

export interface HTTPRoute {
  name?: string;
  match?: HTTPMatchRequest[];
  route?: RouteDestination[];
  redirect?: unknown;
  directResponse?: unknown;
  delegate?: { name?: string; namespace?: string };
  rewrite?: unknown;
  timeout?: string;
  retries?: unknown;
  fault?: unknown;
  mirror?: Destination;
  mirrorPercentage?: Percent;
  mirrorPercent?: number;
  mirrors?: { destination: Destination; percentage?: Percent }[];
  headers?: unknown;
}

export interface L4MatchAttributes {
  destinationSubnets?: string[];
  port?: number;
  sourceLabels?: Record<string, string>;
  gateways?: string[];
  sourceNamespace?: string;
}

export interface TLSMatchAttributes extends L4MatchAttributes { sniHosts?: string[] }

export interface TCPRoute { name?: string; match?: L4MatchAttributes[]; route?: RouteDestination[] }
export interface TLSRoute { name?: string; match?: TLSMatchAttributes[]; route?: RouteDestination[] }

export interface VirtualServiceSpec {
  hosts?: string[];
  gateways?: string[];
  http?: HTTPRoute[];
  tcp?: TCPRoute[];
  tls?: TLSRoute[];
  exportTo?: string[];
}

export interface Subset { name: string; labels?: Record<string, string>; trafficPolicy?: unknown }

export interface DestinationRuleSpec {
  host: string;
  subsets?: Subset[];
  trafficPolicy?: any;
  exportTo?: string[];
  workloadSelector?: { matchLabels?: Record<string, string> };
}

export interface ServerPort { number: number; protocol?: string; name?: string; targetPort?: number }

export interface GatewayServer {
  port: ServerPort;
  hosts: string[];
  bind?: string;
  name?: string;
  tls?: { mode?: string; credentialName?: string; httpsRedirect?: boolean; [k: string]: unknown };
}

export interface GatewaySpec { selector?: Record<string, string>; servers?: GatewayServer[] }

export interface WorkloadEntrySpec {
  address?: string;
  ports?: Record<string, number>;
  labels?: Record<string, string>;
  network?: string;
  locality?: string;
  weight?: number;
  serviceAccount?: string;
}

export interface ServiceEntrySpec {
  hosts?: string[];
  addresses?: string[];
  ports?: ServerPort[];
  location?: 'MESH_EXTERNAL' | 'MESH_INTERNAL' | string;
  resolution?: 'NONE' | 'STATIC' | 'DNS' | 'DNS_ROUND_ROBIN' | string;
  endpoints?: WorkloadEntrySpec[];
  workloadSelector?: { labels?: Record<string, string> };
  exportTo?: string[];
  subjectAltNames?: string[];
}

export interface SidecarSpec {
  workloadSelector?: { labels?: Record<string, string> };
  egress?: { port?: ServerPort; bind?: string; captureMode?: string; hosts: string[] }[];
  ingress?: unknown[];
  outboundTrafficPolicy?: { mode?: string };
}

// ---- core Kubernetes specs (the fields meshscope reads) ----

export interface ServicePort { name?: string; port: number; targetPort?: number | string; protocol?: string; appProtocol?: string; nodePort?: number }

export interface ServiceSpec {
  type?: string;
  selector?: Record<string, string>;
  ports?: ServicePort[];
  clusterIP?: string;
  clusterIPs?: string[];
  externalIPs?: string[];
  externalName?: string;
}

export interface ContainerSpec { name: string; image?: string; ports?: { name?: string; containerPort: number; protocol?: string }[]; args?: string[] }

export interface PodSpec { containers?: ContainerSpec[]; initContainers?: ContainerSpec[]; nodeName?: string; serviceAccountName?: string }
