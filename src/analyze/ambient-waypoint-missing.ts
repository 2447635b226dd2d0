// istio.io/use-waypoint names a waypoint that does not exist: a Gateway of class istio-waypoint with that name in
// that namespace (istio.io/use-waypoint-namespace, else the object's own). Traffic meant for it is not routed
// (Kiali's waypoint validations check the same).
import { GATEWAY_API_GATEWAY_KEY, GATEWAY_API_GROUP } from '../model/gateway-api.js';
import type { Check, Finding } from './types.js';
import { ambientFinding, ambientOf } from './ambient-common.js';
import { USE_WAYPOINT, USE_WAYPOINT_NAMESPACE, WAYPOINT_CLASS } from '../mesh/ambient.js';

const NAME = 'ambient.WaypointReferenceAnalyzer';

export const ambientWaypointMissingCheck: Check = {
  name: NAME,
  description: 'istio.io/use-waypoint names a Gateway of class istio-waypoint that exists',
  codes: [
    { code: 'MS0602', level: 'Error', summary: 'istio.io/use-waypoint names a waypoint that does not exist' },
    { code: 'MS0603', level: 'Error', summary: 'istio.io/use-waypoint names a Gateway that is not a waypoint' },
  ],
  run(input) {
    const out: Finding[] = [];
    for (const ctx of input.contexts) {
      const a = ambientOf(ctx);
      const gateways = new Map(ctx.kind<{ gatewayClassName?: string }>(GATEWAY_API_GATEWAY_KEY).map((g) => [`${g.namespace}/${g.name}`, g] as const));
      // A context whose Gateways could not be listed (forbidden, timeout) proves nothing by their absence; one that
      // does not serve the Gateway API at all cannot have a waypoint, and the finding says why.
      const listFailed = ctx.snapshot.issues.some((i) => i.severity === 'error' && i.resource?.group === GATEWAY_API_GROUP && i.resource.kind === 'Gateway');
      if (listFailed) continue;
      const notInstalled = ctx.snapshot.absent?.some((x) => /^Gateway API not installed/.test(x)) ?? false;
      for (const kind of ['Namespace', 'Service', 'Pod']) {
        for (const o of ctx.kind(kind)) {
          const name = o.labels[USE_WAYPOINT];
          if (!name || name === 'none') continue;
          const ns = o.labels[USE_WAYPOINT_NAMESPACE] || (kind === 'Namespace' ? o.name : o.namespace);
          const path = `metadata.labels["${USE_WAYPOINT}"]`;
          const gw = gateways.get(`${ns}/${name}`);
          if (!gw) {
            out.push(ambientFinding(NAME, o, 'MS0602', 'Error', `istio.io/use-waypoint names waypoint ${ns}/${name}, which does not exist (no Gateway of class ${WAYPOINT_CLASS} ${ns}/${name} in context ${a.context}${notInstalled ? ': the Gateway API is not installed there' : ''})`, path));
          } else if (gw.spec.gatewayClassName !== WAYPOINT_CLASS) {
            out.push(ambientFinding(NAME, o, 'MS0603', 'Error', `istio.io/use-waypoint names Gateway ${ns}/${name}, whose class is ${gw.spec.gatewayClassName ?? '(none)'}, not ${WAYPOINT_CLASS}`, path));
          }
        }
      }
    }
    return out;
  },
};
