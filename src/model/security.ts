// security.istio.io specs (PeerAuthentication, AuthorizationPolicy, RequestAuthentication): the fields meshscope reads.

export const SECURITY_KINDS = ['PeerAuthentication', 'AuthorizationPolicy', 'RequestAuthentication'] as const;
type SecurityKind = (typeof SECURITY_KINDS)[number];

export interface LabelSelector { matchLabels?: Record<string, string> }

/** A policy target (Gateway API style): kind and name, with group and namespace optional. */
export interface PolicyTargetReference { group?: string; kind?: string; name?: string; namespace?: string }

export type MtlsMode = 'UNSET' | 'DISABLE' | 'PERMISSIVE' | 'STRICT';

export interface PeerAuthenticationSpec {
  selector?: LabelSelector;
  mtls?: { mode?: MtlsMode | string };
  /** Keyed by the workload's port number (a string in YAML/JSON). */
  portLevelMtls?: Record<string, { mode?: MtlsMode | string }>;
}

export interface AuthzSource {
  principals?: string[];
  notPrincipals?: string[];
  requestPrincipals?: string[];
  notRequestPrincipals?: string[];
  namespaces?: string[];
  notNamespaces?: string[];
  serviceAccounts?: string[];
  notServiceAccounts?: string[];
  ipBlocks?: string[];
  notIpBlocks?: string[];
  remoteIpBlocks?: string[];
  notRemoteIpBlocks?: string[];
}

export interface AuthzOperation {
  hosts?: string[];
  notHosts?: string[];
  ports?: string[];
  notPorts?: string[];
  methods?: string[];
  notMethods?: string[];
  paths?: string[];
  notPaths?: string[];
}

export interface AuthzCondition { key: string; values?: string[]; notValues?: string[] }

export interface AuthzRule {
  from?: { source?: AuthzSource }[];
  to?: { operation?: AuthzOperation }[];
  when?: AuthzCondition[];
}

export type AuthzAction = 'ALLOW' | 'DENY' | 'AUDIT' | 'CUSTOM';

export interface AuthorizationPolicySpec {
  selector?: LabelSelector;
  targetRef?: PolicyTargetReference;
  targetRefs?: PolicyTargetReference[];
  action?: AuthzAction | string;
  provider?: { name?: string };
  rules?: AuthzRule[];
}

export interface JwtRule {
  issuer?: string;
  audiences?: string[];
  jwksUri?: string;
  jwks?: string;
  fromHeaders?: { name: string; prefix?: string }[];
  fromParams?: string[];
  fromCookies?: string[];
  outputPayloadToHeader?: string;
  forwardOriginalToken?: boolean;
}

interface RequestAuthenticationSpec {
  selector?: LabelSelector;
  targetRef?: PolicyTargetReference;
  targetRefs?: PolicyTargetReference[];
  jwtRules?: JwtRule[];
}

/** The action an AuthorizationPolicy takes: ALLOW when unset, as in Istio. */
export function policyAction(spec: AuthorizationPolicySpec | undefined): AuthzAction {
  const a = spec?.action;
  return a === 'DENY' || a === 'AUDIT' || a === 'CUSTOM' ? a : 'ALLOW';
}

/** True when the object carries `istio.io/dry-run: "true"`. */
export function isDryRun(annotations: Record<string, string> | undefined): boolean {
  return (annotations?.['istio.io/dry-run'] ?? '').toLowerCase() === 'true';
}
