// What the Gateway API translation reads and writes. Pure data; see translate.ts for the entry point.
import type { KubeObject } from '../../model/resources.js';

import type { RegistryService } from '../../model/gateway-api.js';
export type { RegistryService };

export interface TranslateOptions {
  domainSuffix: string;
  /** Entries that exist only in istiod's registry (added to those built from Services and ServiceEntries). */
  registry?: RegistryService[];
  /** Every ConfigMap that exists was loaded (a closed world): a missing one is missing in any namespace. */
  configMapsComplete?: boolean;
  /** ConfigMaps ("namespace/name") looked up one by one (live): one of them not loaded is missing. */
  configMapsChecked?: readonly string[];
  /** PILOT_ENABLE_ALPHA_GATEWAY_API (TCP/TLS listeners); default true. */
  alphaGatewayApi?: boolean;
}

/** A reference back to the Gateway API object (and rule, match, backendRef) a generated piece came from. */
export interface SourceLink {
  kind: string;
  namespace: string;
  name: string;
  /** Index of spec.rules[] for route rules. */
  rule?: number;
  /** Index of spec.rules[rule].matches[] (absent when the rule has no matches). */
  match?: number;
  /** spec.rules[rule].backendRefs[] index of each generated destination, in order. */
  backendRefs?: number[];
  /** Listener name for generated Gateways. */
  listener?: string;
}

export type GeneratedKind = 'Gateway' | 'VirtualService' | 'DestinationRule';

export interface GeneratedConfig {
  kind: GeneratedKind;
  namespace: string;
  name: string;
  annotations: Record<string, string>;
  spec: Record<string, unknown>;
  creationTimestamp?: string;
  /** Source of the whole object (listeners for Gateways, routes for VirtualServices). */
  sources: SourceLink[];
  /** Per generated route (spec.http / tcp / tls, in order): the route rule it came from. */
  routeLinks?: SourceLink[];
}

/** A Kubernetes condition as istiod writes it (lastTransitionTime left out). */
export interface Condition { type: string; status: 'True' | 'False' | 'Unknown'; reason: string; message: string; observedGeneration?: number }

export interface RouteParentStatus {
  parentRef: Record<string, unknown>;
  controllerName: string;
  conditions: Condition[];
}

export interface ComputedStatus {
  kind: string;
  apiVersion: string;
  namespace?: string;
  name: string;
  status: Record<string, unknown>;
}

interface TranslateResult {
  configs: GeneratedConfig[];
  statuses: ComputedStatus[];
}

export interface ConfigError { reason: string; message: string }

/** An object of the translation's input (Gateway API kinds, Services, ServiceEntries...). */
export type InputObject<Spec = any> = KubeObject<Spec>;

export const CONTROLLER = 'istio.io/gateway-controller';
export const INTERNAL_PARENTS = 'internal.istio.io/parents';
