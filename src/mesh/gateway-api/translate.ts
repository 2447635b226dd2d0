// Gateway API objects + service registry → the Istio Gateways, VirtualServices and DestinationRules istiod
// generates, each kind sorted by namespace and name, every generated object linked back to its source.
import { convertBackendPolicies, type PolicyOutcome } from './backend-policies.js';
import { buildContext } from './context.js';
import { convertGateways } from './gateways.js';
import { convertListenerSets } from './listenersets.js';
import type { GeneratedConfig, InputObject, TranslateOptions } from './model.js';
import { convertRoutes, type RouteOutcome } from './routes.js';
import type { GatewayResult } from './gateways.js';
import { convertXBackends } from './xbackends.js';

export interface Translation {
  configs: GeneratedConfig[];
  gateways: GatewayResult;
  routes: RouteOutcome[];
  /** XBackendTrafficPolicies and BackendTLSPolicies with their ancestor status. */
  policies: PolicyOutcome[];
}

const KIND_ORDER = { Gateway: 0, VirtualService: 1, DestinationRule: 2 } as const;

const EPOCH = Date.parse('1970-01-01T00:00:00Z');

/** Kind, then creation time, then namespace and name (each timestamp parsed once). */
function sortGenerated(configs: GeneratedConfig[]): GeneratedConfig[] {
  const keyed = configs.map((c) => ({ c, t: c.creationTimestamp ? Date.parse(c.creationTimestamp) : EPOCH }));
  keyed.sort((x, y) => {
    const a = x.c;
    const b = y.c;
    const k = KIND_ORDER[a.kind] - KIND_ORDER[b.kind];
    if (k !== 0) return k;
    if (x.t !== y.t) return x.t - y.t;
    if (a.namespace !== b.namespace) return a.namespace < b.namespace ? -1 : 1;
    return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  });
  return keyed.map((x) => x.c);
}

export function translateGatewayApi(objects: InputObject[], opts: TranslateOptions): Translation {
  const ctx = buildContext(objects, opts);
  const gateways = convertGateways(ctx);
  convertListenerSets(ctx, gateways);
  const routes = convertRoutes(ctx, gateways.parents);
  const policies = convertBackendPolicies(ctx);
  const configs = sortGenerated([...gateways.configs, ...routes.configs, ...policies.configs, ...convertXBackends(ctx)]);
  return { configs, gateways, routes: routes.outcomes, policies: policies.outcomes };
}
