// The navigable tree derived from the joined model. Shared by `meshscope tree`, the TUI and the analyzers.

export type NodeKind =
  | 'context' | 'namespace' | 'group'
  | 'Gateway' | 'VirtualService' | 'DestinationRule' | 'ServiceEntry' | 'Service' | 'Sidecar'
  | 'WorkloadEntry' | 'WorkloadGroup' | 'EnvoyFilter' | 'Pod' | 'Workload'
  | 'AuthorizationPolicy' | 'PeerAuthentication' | 'RequestAuthentication'
  | 'rule' | 'destination' | 'mirror' | 'subset' | 'endpoint'
  | 'proxy' | 'proxy-view' | 'envoy-listener' | 'envoy-route' | 'envoy-cluster' | 'envoy-endpoint'
  | 'listener' | 'Route' | 'route-rule' | 'backendRef'
  | 'link' | 'dangling';

export interface Problem {
  severity: 'error' | 'warning' | 'info';
  /** true when the problem is an intent/Envoy drift (shown as ≠). */
  drift?: boolean;
  code?: string;
  message: string;
  /** YAML path of the offending field, e.g. spec.http[0].route[1].destination.subset */
  path?: string;
}

export interface Badges {
  /** Route weight in percent (0..100), for destinations and weighted clusters. */
  weight?: number;
  /** Mirror percentage. */
  mirrorPercent?: number;
  healthy?: number;
  total?: number;
  problems?: Problem[];
}

/** A route rule of a VirtualService, spec.<kind>[index], as the nodes of the rule and of its destinations carry it. */
export interface RuleKey {
  kind: 'http' | 'tcp' | 'tls';
  index: number;
  /** Set when the name is unique among the VirtualService's rules of this kind (the rule's id uses it then). */
  name?: string;
}

/** A destination of a rule: its position in route[] (or, for a mirror, in the rule's mirror list) and what it names. */
export interface DestinationKey {
  index: number;
  mirror: boolean;
  host: string;
  subset?: string;
  port?: number;
}

/** Identifies the Kubernetes object behind a node, when there is one. */
export interface ObjectRefKey { context: string; kind: string; namespace?: string; name: string }

export interface TreeNode {
  /** Stable across refreshes: derived from context, kind, namespace, name and path, never from list positions of other objects. */
  id: string;
  kind: NodeKind;
  label: string;
  /** Extra one-line text shown dim after the label (match summary, host, cluster name...). */
  detail?: string;
  context?: string;
  badges: Badges;
  children: TreeNode[];
  ref?: ObjectRefKey;
  /** For link nodes: the id of the node this one points at (possibly in another context). */
  linkTo?: string;
  /** For dangling nodes: why the reference does not resolve. */
  dangling?: string;
  /** Extra words to match in search: hosts, IPs, labels, Envoy cluster names. */
  searchText?: string;
  /** On rule, destination and mirror nodes of a VirtualService: the rule they stand for or belong to. */
  rule?: RuleKey;
  /** On destination and mirror nodes of a VirtualService: which one of the rule's destinations. */
  destination?: DestinationKey;
  /** On route-rule and backendRef nodes of a Gateway API route (ref names the route): the index in spec.rules[]. */
  routeRule?: number;
}
