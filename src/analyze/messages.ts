// Message templates. IST codes use istioctl's texts (pkg/config/analysis/msg/messages.yaml) so output matches
// `istioctl analyze`; MS codes are meshscope's own.
import type { Level } from './types.js';

export interface MessageDef { code: string; level: Level; template: string }

export const MESSAGES = {
  Deprecated: { code: 'IST0002', level: 'Warning', template: 'Deprecated: %s' },
  ReferencedResourceNotFound: { code: 'IST0101', level: 'Error', template: 'Referenced %s not found: %q' },
  NoMatchingWorkloadsFound: { code: 'IST0127', level: 'Warning', template: 'No matching workloads for this resource with the following labels: %s' },
  ConflictingMeshGatewayVirtualServiceHosts: {
    code: 'IST0109', level: 'Error',
    template: 'The VirtualServices %s associated with mesh gateway define the same host %s which can lead to undefined behavior. This can be fixed by merging the conflicting VirtualServices into a single resource.',
  },
  ConflictingSidecarWorkloadSelectors: {
    code: 'IST0110', level: 'Error',
    template: 'The Sidecars %v in namespace %q select the same workload pod %q, which can lead to undefined behavior.',
  },
  MultipleSidecarsWithoutWorkloadSelectors: {
    code: 'IST0111', level: 'Error',
    template: 'The Sidecars %v in namespace %q have no workload selector, which can lead to undefined behavior.',
  },
  VirtualServiceDestinationPortSelectorRequired: {
    code: 'IST0112', level: 'Error',
    template: 'This VirtualService routes to a service %q that exposes multiple ports %v. Specifying a port in the destination is required to disambiguate.',
  },
  DeploymentAssociatedToMultipleServices: {
    code: 'IST0116', level: 'Warning',
    template: 'This deployment %s is associated with multiple services using port %d but different protocols: %v',
  },
  PortNameIsNotUnderNamingConvention: {
    code: 'IST0118', level: 'Info',
    template: "Port name %s (port: %d, targetPort: %s) doesn't follow the naming convention of Istio port.",
  },
  NoServerCertificateVerificationDestinationLevel: {
    code: 'IST0128', level: 'Warning',
    template: 'DestinationRule %s in namespace %s has TLS mode set to %s but no caCertificates are set to validate server identity for host: %s',
  },
  NoServerCertificateVerificationPortLevel: {
    code: 'IST0129', level: 'Warning',
    template: 'DestinationRule %s in namespace %s has TLS mode set to %s but no caCertificates are set to validate server identity for host: %s at port %s',
  },
  VirtualServiceUnreachableRule: { code: 'IST0130', level: 'Warning', template: 'VirtualService rule %v not used (%s).' },
  VirtualServiceIneffectiveMatch: {
    code: 'IST0131', level: 'Info',
    template: 'VirtualService rule %v match %v is not used (duplicate/overlapping match in rule %v).',
  },
  VirtualServiceHostNotFoundInGateway: {
    code: 'IST0132', level: 'Warning',
    template: 'one or more host %v defined in VirtualService %s not found in Gateway %s.',
  },
  ServiceEntryAddressesRequired: { code: 'IST0134', level: 'Warning', template: 'ServiceEntry addresses are required for this protocol.' },
  DeploymentConflictingPorts: {
    code: 'IST0137', level: 'Warning',
    template: 'This deployment %s is associated with multiple services %v using targetPort %q but different ports: %v.',
  },
  GatewayDuplicateCertificate: {
    code: 'IST0138', level: 'Warning',
    template: 'Duplicate certificate in multiple gateways %v may cause 404s if clients re-use HTTP2 connections.',
  },
  ConflictingGateways: {
    code: 'IST0145', level: 'Error',
    template: 'Conflict with gateways %s (workload selector %s, port %s, hosts %v).',
  },
  JwtClaimBasedRoutingWithoutRequestAuthN: {
    code: 'IST0149', level: 'Error',
    template: 'The virtual service uses the JWT claim based routing (key: %s) but found no request authentication for the gateway (%s) pod (%s). The request authentication must first be applied for the gateway pods to validate the JWT token and make the claims available for routing.',
  },
  ExternalNameServiceTypeInvalidPortName: {
    code: 'IST0150', level: 'Warning',
    template: 'Port name for ExternalName service is invalid. Proxy may prevent tcp named ports and unmatched traffic for ports serving TCP protocol from being forwarded correctly',
  },
  GatewayPortNotDefinedOnService: {
    code: 'IST0162', level: 'Warning',
    template: 'The gateway is listening on a target port (port %d) that is not defined in the Service associated with its workload instances (Pod selector %s). If you need to access the gateway port through the gateway Service, it will not be available.',
  },
  ReferencedInternalGateway: {
    code: 'IST0165', level: 'Warning',
    template: 'Gateway reference in VirtualService %s is to an implementation-generated internal Gateway: %s.',
  },
  IneffectivePolicy: { code: 'IST0167', level: 'Warning', template: 'The policy has no impact: %s.' },
  DestinationRuleSubsetNotSelectPods: {
    code: 'IST0173', level: 'Error',
    template: 'The Subset %s defined in the DestinationRule does not select any pods. Which may lead to 503 UH (NoHealthyUpstream).',
  },
  UnknownDestinationRuleHost: {
    code: 'IST0174', level: 'Warning',
    template: 'The host %s defined in the DestinationRule does not match any services in the mesh.',
  },
  ConflictingServiceEntryProtocol: {
    code: 'IST0177', level: 'Warning',
    template: 'Multiple ServiceEntries (%s) define the same host %q and port %d with conflicting protocols (%s).',
  },
  // ---- meshscope's own (MS codes) ----
  MultipleVirtualServicesForHost: {
    code: 'MS0001', level: 'Warning',
    template: 'The VirtualServices %s bound to gateway %s define the same host %s; the gateway uses only one of them. Merge them into a single resource.',
  },
  DuplicateDestinationInRule: {
    code: 'MS0002', level: 'Warning',
    template: 'Rule %v routes to host+subset %q more than once; Envoy merges the weights.',
  },
  WeightOnSingleDestination: {
    code: 'MS0003', level: 'Warning',
    template: 'Rule %v has a single destination with weight %d; Istio sends it 100%% of the traffic.',
  },
  SubsetWithoutLabels: {
    code: 'MS0004', level: 'Warning',
    template: 'Subset %q has no labels, so it selects every endpoint of host %s.',
  },
  DuplicateDestinationRuleSubset: {
    code: 'MS0005', level: 'Warning',
    template: 'Host+subset %q is also defined by DestinationRule %s; only one rule applies to a client.',
  },
  WeightsNotSumming: {
    code: 'MS0006', level: 'Info',
    template: 'Weights of rule %v sum to %d, not 100; Istio normalises them (%s).',
  },
  GatewayHostNotServed: {
    code: 'MS0007', level: 'Warning',
    template: 'Gateway host %s on port %d is served by no VirtualService bound to this Gateway: requests for it get 404.',
  },
  EnvoyRouteDrift: {
    code: 'MS0201', level: 'Warning',
    template: 'Proxy %s does not run what rule %v intends: %s (stale or rejected push?).',
  },
  NoHealthyEndpoint: {
    code: 'MS0202', level: 'Error',
    template: 'Proxy %s routes rule %v to Envoy cluster %s, which has no healthy endpoint (%d endpoints).',
  },
  TrafficShareDrift: {
    code: 'MS0203', level: 'Warning',
    template: 'Destination %s of rule %v got %s of the %s counted on %s, its weight is %s (stale proxy, outlier ejection, or a subset with no healthy endpoints?).',
  },
  DestinationErrors: {
    code: 'MS0204', level: 'Warning',
    template: 'Destination %s of rule %v answered 5xx to %s of %d requests while %s did not (counted on %s).',
  },
  BrokenCrossClusterHop: { code: 'MS0301', level: 'Error', template: 'Cross-cluster hop of rule %v is broken: %s.' },
} as const satisfies Record<string, MessageDef>;

export type MessageName = keyof typeof MESSAGES;

function goQuote(s: string): string {
  return JSON.stringify(s);
}

function goValue(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map((x) => goValue(x)).join(' ')}]`;
  if (v === undefined || v === null) return '<nil>';
  return String(v);
}

/** Go fmt.Sprintf for the verbs the templates use: %s %v %d %q %%. */
export function sprintf(template: string, args: readonly unknown[]): string {
  let i = 0;
  return template.replace(/%([svdq%])/g, (_m, verb: string) => {
    if (verb === '%') return '%';
    const a = args[i++];
    if (verb === 'q') return goQuote(String(a ?? ''));
    if (verb === 'd') return typeof a === 'number' ? String(Math.trunc(a)) : goValue(a);
    return goValue(a);
  });
}

export function render(name: MessageName, args: readonly unknown[]): { code: string; level: Level; message: string } {
  const def = MESSAGES[name] as MessageDef;
  return { code: def.code, level: def.level, message: sprintf(def.template, args) };
}
