// virtualservice.JWTClaimRouteAnalyzer: a VirtualService on a gateway routes on a JWT claim
// (`@request.auth.claims.<name>` header match) but no RequestAuthentication applies to the gateway's pods, so the
// claim is never there (IST0149, one finding per gateway pod).
// A live context whose RequestAuthentications could not be listed (forbidden, timeout) is skipped rather than flagged
// for a policy that may well exist; one that does not serve them has none.
import type { GatewaySpec, VirtualServiceSpec } from '../model/resources.js';
import type { Check, Finding } from './types.js';
import { resolveGatewayRef, selectorMatches } from '../mesh/hosts.js';
import { report } from './report.js';

const NAME = 'virtualservice.JWTClaimRouteAnalyzer';
const CLAIM_PREFIX = '@request.auth.claims';

/** Istio's routing-claim header names: `@request.auth.claims.a.b` or `@request.auth.claims[a][b]`. */
export function isClaimHeader(name: string): boolean {
  if (!name.toLowerCase().startsWith(CLAIM_PREFIX)) return false;
  const rest = name.slice(CLAIM_PREFIX.length);
  return (rest.startsWith('.') && rest.length > 1) || (rest.startsWith('[') && rest.endsWith(']') && rest.length > 2);
}

/** The first claim header a rule matches on (headers, then withoutHeaders), with its YAML path. */
function claimKey(vs: VirtualServiceSpec): { key: string; path: string } | undefined {
  const http = vs.http ?? [];
  for (let i = 0; i < http.length; i++) {
    const matches = http[i]?.match ?? [];
    for (let j = 0; j < matches.length; j++) {
      for (const field of ['headers', 'withoutHeaders'] as const) {
        const m = matches[j]?.[field];
        if (!m || typeof m !== 'object') continue;
        for (const key of Object.keys(m)) {
          if (isClaimHeader(key)) return { key, path: `spec.http[${i}].match[${j}].${field}[${JSON.stringify(key)}]` };
        }
      }
    }
  }
  return undefined;
}

export const vsJwtClaimRouteCheck: Check = {
  name: NAME,
  description: 'a VirtualService routes on a JWT claim at a gateway whose pods no RequestAuthentication applies to',
  codes: [{ code: 'IST0149', level: 'Error', summary: 'JWT claim based routing without a RequestAuthentication on the gateway pods' }],
  run(input) {
    const out: Finding[] = [];
    const root = input.meshConfig.rootNamespace;
    for (const ctx of input.contexts) {
      if (ctx.snapshot.source.kind === 'live' && ctx.snapshot.issues.some((i) => i.severity === 'error' && i.message.includes('RequestAuthentication ('))) continue;
      const raByNamespace = new Map<string, (Record<string, string> | undefined)[]>();
      for (const ra of ctx.kind<{ selector?: { matchLabels?: Record<string, string> } }>('RequestAuthentication')) {
        const l = raByNamespace.get(ra.namespace) ?? [];
        l.push(ra.spec.selector?.matchLabels);
        raByNamespace.set(ra.namespace, l);
      }
      const gateways = new Map(ctx.kind<GatewaySpec>('Gateway').map((g) => [g.fullName, g] as const));
      for (const vs of ctx.kind<VirtualServiceSpec>('VirtualService')) {
        const claim = claimKey(vs.spec);
        if (!claim) continue;
        for (const ref of vs.spec.gateways ?? []) {
          if (typeof ref !== 'string') continue;
          const r = resolveGatewayRef(ref, vs.namespace);
          if (r.mesh) continue;
          const gwName = r.namespace ? `${r.namespace}/${r.name}` : r.name;
          const gw = gateways.get(gwName);
          if (!gw) continue; // a missing gateway is virtualservice.GatewayAnalyzer's finding
          for (const pod of ctx.kind('Pod')) {
            if (!selectorMatches(gw.spec.selector, pod.labels)) continue;
            const selectors = [...(raByNamespace.get(root) ?? []), ...(pod.namespace === root ? [] : raByNamespace.get(pod.namespace) ?? [])];
            if (selectors.some((s) => selectorMatches(s, pod.labels))) continue;
            out.push(report(NAME, vs, 'JwtClaimBasedRoutingWithoutRequestAuthN', [claim.key, gwName, pod.name], claim.path));
          }
        }
      }
    }
    return out;
  },
};
