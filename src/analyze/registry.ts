// The check registry and the runner: `runChecks(input, opts)` → findings sorted by severity, then context/origin.
import type { Check, Finding, Level } from './types.js';
import { LEVEL_RANK } from './types.js';
import type { AnalysisInput } from './input.js';
import { gatewayPortCheck } from './gateway-port.js';
import { gatewayConflictCheck } from './gateway-conflict.js';
import { gatewayCertificateCheck } from './gateway-certificate.js';
import { vsDestinationHostCheck } from './vs-destination-host.js';
import { vsDestinationRuleCheck } from './vs-destination-rule.js';
import { vsGatewayCheck } from './vs-gateway.js';
import { vsMeshGatewayHostsCheck } from './vs-mesh-gateway-hosts.js';
import { vsUnreachableCheck } from './vs-unreachable.js';
import { serviceEntryAddressesCheck } from './serviceentry-addresses.js';
import { drCaCertificateCheck } from './dr-ca-certificate.js';
import { drSubsetPodsCheck } from './dr-subset-pods.js';
import { servicePortNameCheck } from './service-port-name.js';
import { vsSameHostGatewayCheck } from './vs-same-host-gateway.js';
import { vsRepeatedDestinationCheck, vsSingleDestinationWeightCheck, vsWeightSumCheck } from './vs-route-weights.js';
import { drDuplicateSubsetCheck, drSubsetNoLabelsCheck } from './dr-subsets.js';
import { gatewayUnservedHostCheck } from './gateway-unserved-host.js';
import { envoyDriftCheck } from './envoy-drift.js';
import { envoyHealthCheck } from './envoy-endpoint-health.js';
import { crossClusterHopCheck } from './cross-cluster-hop.js';
import { trafficShareCheck } from './traffic-share.js';
import { trafficErrorsCheck } from './traffic-errors.js';
import { sidecarSelectorCheck } from './sidecar-selector.js';
import { serviceEntryProtocolCheck } from './serviceentry-protocol.js';
import { vsJwtClaimRouteCheck } from './vs-jwt-claim-route.js';
import { deploymentServicesCheck } from './deployment-services.js';
import { deprecationCheck } from './deprecation.js';
import { conditionsCheck } from './conditions.js';
import { gatewayApiRouteCheck } from './gateway-api-routes.js';
import { AUTHZ_CHECKS } from './authz-checks.js';
import { ambientNoWaypointCheck } from './ambient-no-waypoint.js';
import { ambientWaypointMissingCheck } from './ambient-waypoint-missing.js';
import { ambientSidecarConflictCheck } from './ambient-sidecar-conflict.js';
import { ambientZtunnelDriftCheck } from './ambient-ztunnel-drift.js';

export const CHECKS: Check[] = [
  vsDestinationHostCheck,
  vsDestinationRuleCheck,
  vsGatewayCheck,
  vsMeshGatewayHostsCheck,
  vsUnreachableCheck,
  gatewayPortCheck,
  gatewayConflictCheck,
  gatewayCertificateCheck,
  gatewayUnservedHostCheck,
  serviceEntryAddressesCheck,
  serviceEntryProtocolCheck,
  sidecarSelectorCheck,
  vsJwtClaimRouteCheck,
  deploymentServicesCheck,
  deprecationCheck,
  drSubsetPodsCheck,
  drCaCertificateCheck,
  servicePortNameCheck,
  vsSameHostGatewayCheck,
  vsRepeatedDestinationCheck,
  vsSingleDestinationWeightCheck,
  drSubsetNoLabelsCheck,
  drDuplicateSubsetCheck,
  vsWeightSumCheck,
  envoyDriftCheck,
  envoyHealthCheck,
  crossClusterHopCheck,
  conditionsCheck,
  gatewayApiRouteCheck,
  ...AUTHZ_CHECKS,
  ambientNoWaypointCheck,
  ambientWaypointMissingCheck,
  ambientSidecarConflictCheck,
  ambientZtunnelDriftCheck,
  trafficShareCheck,
  trafficErrorsCheck,
];

export interface RunOptions {
  /** Check names or codes: run only those checks (a code keeps only findings with that code). */
  only?: string[];
  /** `CODE=Kind ns/name` (or `CODE` alone, or `*=Kind ns/name`): silence matching findings. */
  suppress?: string[];
}

export function findCheck(nameOrCode: string): Check[] {
  const byName = CHECKS.filter((c) => c.name.toLowerCase() === nameOrCode.toLowerCase());
  if (byName.length > 0) return byName;
  return CHECKS.filter((c) => c.codes.some((k) => k.code.toLowerCase() === nameOrCode.toLowerCase()));
}

/** Unknown names/codes in --only, for a usage error. */
export function unknownSelectors(only: readonly string[]): string[] {
  return only.filter((o) => findCheck(o).length === 0);
}

export function runChecks(input: AnalysisInput, opts: RunOptions = {}): Finding[] {
  const only = (opts.only ?? []).map((s) => s.trim()).filter(Boolean);
  let checks = CHECKS;
  const codes = new Set<string>();
  if (only.length > 0) {
    const picked = new Set<Check>();
    for (const o of only) {
      for (const c of findCheck(o)) picked.add(c);
      if (/^(IST|MS)\d+$/i.test(o)) codes.add(o.toUpperCase());
    }
    checks = CHECKS.filter((c) => picked.has(c));
  }
  const byNameOnly = only.some((o) => !/^(IST|MS)\d+$/i.test(o));
  const suppress = (opts.suppress ?? []).map(parseSuppress);
  const out: Finding[] = [];
  for (const c of checks) {
    for (const f of c.run(input)) {
      if (codes.size > 0 && !codes.has(f.code) && !(byNameOnly && only.some((o) => o.toLowerCase() === c.name.toLowerCase()))) continue;
      if (suppress.some((s) => (s.code === '*' || s.code === f.code) && (s.origin === undefined || s.origin === f.origin))) continue;
      out.push(f);
    }
  }
  return sortFindings(out);
}

function parseSuppress(s: string): { code: string; origin?: string } {
  const i = s.indexOf('=');
  if (i < 0) return { code: s.trim().toUpperCase() };
  return { code: s.slice(0, i).trim().toUpperCase(), origin: s.slice(i + 1).trim() };
}

export function sortFindings(list: Finding[]): Finding[] {
  return list.sort((a, b) =>
    LEVEL_RANK[b.level] - LEVEL_RANK[a.level]
    || a.context.localeCompare(b.context)
    || a.code.localeCompare(b.code)
    || a.origin.localeCompare(b.origin)
    || a.message.localeCompare(b.message));
}

export function atOrAbove(list: readonly Finding[], threshold: Level): Finding[] {
  return list.filter((f) => LEVEL_RANK[f.level] >= LEVEL_RANK[threshold]);
}
