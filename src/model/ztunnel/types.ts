// ztunnel's admin /config_dump, read as istioctl reads it (istioctl/pkg/writer/ztunnel/configdump/api.go): every
// field a Go zero value when absent, so the views print what istioctl prints.

export interface GatewayAddress { destination: string }

export interface ZLocality { region: string; zone: string; subzone: string }

export interface ZWorkload {
  uid: string;
  /** null when the dump had no list (Go's nil slice). */
  workloadIps: string[] | null;
  waypoint?: GatewayAddress;
  networkGateway?: GatewayAddress;
  protocol: string;
  name: string;
  namespace: string;
  serviceAccount: string;
  workloadName: string;
  workloadType: string;
  canonicalName: string;
  canonicalRevision: string;
  clusterId: string;
  trustDomain: string;
  locality: ZLocality;
  node: string;
  network: string;
  status: string;
  hostname: string;
  capacity: number;
  applicationTunnel: { protocol: string; port?: number };
  authorizationPolicies: string[] | null;
}

export interface ZEndpoint {
  workloadUid: string;
  service: string;
  address: string;
  /** service port → target port, keys as strings, as the dump has it (null reads as 0: numberMapOf). */
  port: Readonly<Record<string, number | null>> | null;
}

export interface ZCidrVip { cidr: string; network: string }

export interface ZService {
  name: string;
  namespace: string;
  hostname: string;
  vips: string[] | null;
  cidrVips: ZCidrVip[] | null;
  ports: Map<string, number> | null;
  loadBalancer?: { mode: string; routingPreferences: string[] | null; healthPolicy: string };
  waypoint?: GatewayAddress;
  endpoints: Map<string, ZEndpoint> | null;
  subjectAltNames: string[] | null;
  ipFamilies: string;
  canonical: boolean;
}

/** One match of a policy clause; kept as the dump wrote it (only printed back in -o json|yaml). */
export type ZPolicyMatch = Record<string, unknown>;

export interface ZPolicy {
  name: string;
  namespace: string;
  scope: string;
  action: string;
  rules: ZPolicyMatch[][][] | null;
}

export interface ZCert { pem: string; serialNumber: string; validFrom: string; expirationTime: string }

export interface ZCertificate {
  identity: string;
  state: string;
  certChain: ZCert[] | null;
  rootCerts: ZCert[] | null;
}

export interface ZConnection { src: string; originalDst: string; actualDst: string; protocol: string }

export interface ZWorkloadState {
  state: string;
  connections: { inbound: ZConnection[] | null; outbound: ZConnection[] | null };
  info: { name: string; namespace: string; trustDomain: string; serviceAccount: string };
}

export interface ZtunnelDump {
  /** Where the dump came from (file, pod), for messages. */
  source: string;
  workloads: ZWorkload[];
  services: ZService[];
  policies: ZPolicy[];
  certificates: ZCertificate[];
  workloadState: ZWorkloadState[];
  /** The dump as parsed, for `all -o json|yaml`. */
  raw: Record<string, unknown>;
}

/**
 * What the tables read of a workload: a ZWorkload, or a dump's own object of its shape (absent fields undefined,
 * present ones of their type: tables-dump.ts).
 */
export interface WorkloadFields {
  uid?: string; workloadIps?: readonly string[] | null; waypoint?: { destination?: string }; protocol?: string;
  name?: string; namespace?: string; node?: string; status?: string; hostname?: string;
}

/** What the tables read of a service (as WorkloadFields); endpoints as a Map (ZService) or the dump's object. */
export interface ServiceFields {
  name?: string; namespace?: string; hostname?: string; vips?: readonly string[] | null; waypoint?: { destination?: string };
  endpoints?: ReadonlyMap<string, { workloadUid: string }> | Readonly<Record<string, { workloadUid?: string }>> | null;
}
