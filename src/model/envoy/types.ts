// Parsed Envoy config: each dump is parsed once into this; every proxy-config view and the mesh join read it.
// Field names are camelCase. `raw` keeps the original proto JSON (snake_case or camelCase as the dump had it).

export interface EnvoyCluster {
  name: string;
  /** Parsed from `direction|port|subset|fqdn` names; absent for other names. */
  direction?: string;
  port?: number;
  subset?: string;
  fqdn?: string;
  /** DiscoveryType enum name (STATIC when absent). */
  type: string;
  /** `name.namespace` from metadata.filter_metadata.istio.config, `<unknown>`, or '' */
  destinationRule: string;
  /** The raw istio.config path, e.g. /apis/networking.istio.io/v1/namespaces/app/destination-rule/demoapp */
  destinationRulePath?: string;
  dynamic: boolean;
  warming: boolean;
  raw: any;
}

export interface EnvoyEndpoint {
  cluster: string;
  /** ip, pipe path or envoy:// internal address */
  address: string;
  port: number;
  /** HEALTHY, UNHEALTHY, DRAINING, TIMEOUT, DEGRADED or UNKNOWN */
  health: string;
  locality?: string;
  weight?: number;
  outlierFailed?: boolean;
  /** 'eds' from the config dump, 'clusters' from /clusters?format=json */
  from: 'eds' | 'clusters';
  /** socket (ip:port), pipe (unix path), internal (envoy://listener/id) or unknown. */
  addressKind?: 'socket' | 'pipe' | 'internal' | 'unknown';
  /** Every address as istioctl prints it (primary first, then additional addresses), e.g. `10.0.0.1:8080`. */
  addresses?: string[];
  /** Raw source object: the ClusterLoadAssignment (eds) or the ClusterStatus (clusters). */
  raw?: unknown;
}

export interface EnvoyRouteMatch {
  prefix?: string;
  path?: string;
  pathSeparatedPrefix?: string;
  regex?: string;
  headers: { name: string; exact?: string; prefix?: string; regex?: string; present?: boolean; invert?: boolean }[];
  caseSensitive?: boolean;
}

export interface EnvoyWeightedCluster { name: string; weight: number }

export interface EnvoyRoute {
  name?: string;
  match: EnvoyRouteMatch;
  /** Single-cluster action. */
  cluster?: string;
  weightedClusters?: EnvoyWeightedCluster[];
  /** Mirror clusters with percent (0..100). */
  mirrors?: { cluster: string; percent: number }[];
  /** `name.namespace` of the VirtualService from metadata.filter_metadata.istio.config, else ''. */
  virtualService: string;
  virtualServicePath?: string;
  /** redirect, direct_response, filter_action, or route */
  action: string;
  raw: any;
}

export interface EnvoyVirtualHost { name: string; domains: string[]; routes: EnvoyRoute[] }

export interface EnvoyRouteConfig { name: string; dynamic: boolean; virtualHosts: EnvoyVirtualHost[]; raw: any }

export interface EnvoyFilterChainSummary {
  /** Human MATCH text as istioctl prints it. */
  match: string;
  /** Human DESTINATION text as istioctl prints it. */
  destination: string;
  /** RDS route config name, when the chain's HCM uses RDS. */
  routeConfigName?: string;
  /** tcp_proxy cluster, when the chain is TCP. */
  tcpCluster?: string;
  tcpWeightedClusters?: EnvoyWeightedCluster[];
  /** Inline route config, if the HCM carries one. */
  inlineRoutes?: EnvoyRouteConfig;
  sniHosts?: string[];
  destinationPort?: number;
}

export interface EnvoyListener {
  name: string;
  address: string;
  port: number;
  addresses: string;
  /** HTTP, TCP, HTTP+TCP or UNKNOWN */
  type: string;
  dynamic: boolean;
  chains: EnvoyFilterChainSummary[];
  raw: any;
}

export interface ParsedDump {
  bootstrap?: any;
  clusters: EnvoyCluster[];
  listeners: EnvoyListener[];
  routeConfigs: EnvoyRouteConfig[];
  /** EDS endpoints from the config dump (include_eds=true). */
  edsEndpoints: EnvoyEndpoint[];
  /** Which config_dump sections were present (type URL suffixes, e.g. ClustersConfigDump). */
  sections: string[];
  raw: any;
  /** Where the dump came from (file path or pod), for error messages. */
  source?: string;
  /** ClusterLoadAssignments in dump order (static first, then dynamic). */
  edsAssignments?: EnvoyLoadAssignment[];
  /** SDS secrets: warming first, then active, as istioctl lists them. */
  secrets?: EnvoySecret[];
  /** ECDS filters merged over every EcdsConfigDump section. */
  ecdsFilters?: EnvoyEcdsFilter[];
  /** The raw BootstrapConfigDump section (bootstrap plus last_updated). */
  bootstrapSection?: any;
}

export interface EnvoyLoadAssignment {
  clusterName: string;
  /** Endpoints of this assignment, in order (also found in ParsedDump.edsEndpoints). */
  endpoints: EnvoyEndpoint[];
  dynamic: boolean;
  raw: any;
}

export interface EnvoySecret {
  name: string;
  state: 'ACTIVE' | 'WARMING';
  /** The raw Secret (tls.v3.Secret) or undefined when Envoy has not received it. */
  secret?: any;
  raw: any;
}

export interface EnvoyEcdsFilter {
  name: string;
  /** typed_config type without type.googleapis.com/, '' when absent. */
  type: string;
  raw: any;
}
