// Request trace: what a request would do according to the CRDs (intent) and to the proxy's Envoy config (reality).

/** Where the request starts: a pod's sidecar, or a gateway (Gateway resource, gateway workload or pod). */
export type TraceSource =
  | { kind: 'pod'; namespace: string; name: string }
  | { kind: 'gateway'; namespace: string; name: string };

export interface TraceRequest {
  context: string;
  from: TraceSource;
  /** Host as the client writes it (short name, FQDN, external host). Also the Host header unless headers.host is set. */
  host: string;
  /** Service port (sidecars) or Gateway server port (gateways). Defaults from the host's ports, 80 for gateways. */
  port?: number;
  /** Path with an optional query string; default `/`. */
  path?: string;
  /** Default GET. */
  method?: string;
  /** Header names are matched case-insensitively. `host` / `:authority` override the Host header. */
  headers?: Record<string, string>;
  /** TLS server name, for TLS / passthrough ports (set on cross-cluster hops through AUTO_PASSTHROUGH gateways). */
  sni?: string;
}

export type TraceSide = 'intent' | 'envoy';

export type StepKind =
  | 'source' | 'host' | 'gateway-server' | 'virtual-service' | 'rule' | 'destination' | 'subset' | 'pods' | 'endpoints'
  | 'mirror' | 'hop' | 'listener' | 'filter-chain' | 'route-config' | 'virtual-host' | 'route' | 'cluster'
  | 'envoy-endpoints' | 'disagreement' | 'note' | 'identity' | 'mtls' | 'authz' | 'rbac';

export interface TraceStep {
  side: TraceSide;
  kind: StepKind;
  /** What the step is about (object, rule, listener, cluster...). */
  name: string;
  context: string;
  /** ✓ or ✗: the request passes this step (or the step's thing exists and is healthy). */
  matched: boolean;
  /** Why, in one line. */
  reason: string;
  details?: Record<string, unknown>;
  /** Hop depth: 0 in the starting context, +1 per cross-cluster hop. */
  depth: number;
  /** Index of the segment (one proxy in one context) in Trace.segments. */
  segment: number;
  /** `ns/pod` of the proxy whose Envoy config the step reads (envoy side). */
  proxy?: string;
}

/** One proxy's part of the trace: the starting sidecar/gateway, then one per cross-cluster hop. */
export interface TraceSegment {
  index: number;
  depth: number;
  context: string;
  /** Segment this one hops from. */
  parent?: number;
  /** `sidecar ns/pod` or `gateway ns/pod`. */
  title: string;
  /** How the request got here (for hops): address, port, SNI. */
  via?: string;
  proxy?: string;
  request: TraceRequest;
  steps: TraceStep[];
}

export interface Trace {
  request: TraceRequest;
  segments: TraceSegment[];
  /** Every step of every segment, in segment order. */
  steps: TraceStep[];
  /** The disagreement steps (also in steps). */
  disagreements: TraceStep[];
  /** True when nothing failed on the way and intent and Envoy agree. */
  ok: boolean;
}

/** Bad trace input (unknown context, pod, gateway): the CLI turns it into a UserError. */
export class TraceInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TraceInputError';
  }
}
