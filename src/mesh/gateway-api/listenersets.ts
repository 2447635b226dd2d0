// ListenerSets: extra listeners attached to a Gateway that allows them (spec.allowedListeners). Each listener
// becomes an Istio Gateway in the ListenerSet's namespace, bound to the parent Gateway's services.
import type { GatewayApiGatewaySpec, ListenerSetSpec } from '../../model/gateway-api.js';
import { objectsOf, type TranslateContext } from './context.js';
import {
  buildListener, classOf, defaultName, GATEWAY_NAME_SUFFIX, gatewayServices, isManaged, parentMeta, supportedKinds,
  type GatewayResult, type ParentInfo,
} from './gateways.js';
import { listenerSetNamespaceAllowed, listenerSetParentKey } from './listener-conflicts.js';
import { INTERNAL_PARENTS, type InputObject } from './model.js';

export function convertListenerSets(ctx: TranslateContext, res: GatewayResult): void {
  const gateways = new Map<string, InputObject<GatewayApiGatewaySpec>>(objectsOf<GatewayApiGatewaySpec>(ctx, 'Gateway').map((g) => [`${g.metadata.namespace ?? 'default'}/${g.metadata.name}`, g]));
  for (const ls of objectsOf<ListenerSetSpec>(ctx, 'ListenerSet')) {
    const ns = ls.metadata.namespace ?? 'default';
    const parentKey = listenerSetParentKey(ls);
    const parent = parentKey ? gateways.get(parentKey) : undefined;
    if (!parent) continue;
    const info = classOf(ctx, parent.spec?.gatewayClassName ?? '');
    if (!info || !info.supportsListenerSet) continue;
    if (!listenerSetNamespaceAllowed(ctx, ns, parent)) continue;
    const svc = gatewayServices(ctx, parent, info);
    if (svc.services.length === 0 && svc.error) continue;
    const sa = isManaged(parent.spec ?? ({} as GatewayApiGatewaySpec))
      ? (parent.metadata.annotations?.['gateway.istio.io/service-account'] || defaultName(parent, info)) : '';
    const conflicts = res.conflicts.get(`ListenerSet/${ns}/${ls.metadata.name}`);
    const parents: ParentInfo[] = [];
    for (const l of ls.spec?.listeners ?? []) {
      if (conflicts?.has(l.name)) continue;
      const built = buildListener(ctx, ls, info.controller, l);
      const name = `${ls.metadata.name}~${GATEWAY_NAME_SUFFIX}~${l.name}`;
      if (built.ok) {
        res.configs.push({
          kind: 'Gateway', namespace: ns, name, creationTimestamp: ls.metadata.creationTimestamp,
          annotations: {
            'internal.istio.io/gateway-semantics': 'gateway',
            'internal.istio.io/gateway-service': svc.services.join(','),
            'internal.istio.io/parent-namespace': parent.metadata.namespace ?? 'default',
            [INTERNAL_PARENTS]: parentMeta('ListenerSet', ls.metadata.name, ns, l.name),
            'internal.istio.io/service-account-name': sa,
          },
          spec: { servers: [built.server] },
          sources: [{ kind: 'ListenerSet', namespace: ns, name: ls.metadata.name, listener: l.name }],
        });
      }
      parents.push({
        internalName: `${ns}/${name}`, allowedKinds: supportedKinds(l).kinds, hostnames: built.server.hosts as string[],
        originalHostname: l.hostname ?? '', sectionName: l.name, port: l.port, protocol: l.protocol,
        owner: { kind: 'ListenerSet', namespace: ns, name: ls.metadata.name },
      });
    }
    res.parents.set(`ListenerSet/${ns}/${ls.metadata.name}`, parents);
  }
}
