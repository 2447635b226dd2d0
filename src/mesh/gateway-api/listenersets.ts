// ListenerSets: extra listeners attached to a Gateway that allows them (spec.allowedListeners). Each listener
// becomes an Istio Gateway in the ListenerSet's namespace, bound to the parent Gateway's services.
import type { GatewayApiGatewaySpec, ListenerSetSpec } from '../../model/gateway-api.js';
import { GW_GROUP, objectsOf, selectorMatches, type TranslateContext } from './context.js';
import {
  buildListener, classOf, defaultName, GATEWAY_NAME_SUFFIX, gatewayServices, isManaged, parentMeta, supportedKinds,
  type GatewayResult, type ParentInfo,
} from './gateways.js';
import { INTERNAL_PARENTS, type InputObject } from './model.js';

function namespaceAllowed(ctx: TranslateContext, ns: string, parent: InputObject<GatewayApiGatewaySpec>): boolean {
  const n = parent.spec?.allowedListeners?.namespaces;
  if (!n) return false;
  if (n.from !== undefined) {
    if (n.from === 'All') return true;
    if (n.from === 'Same') return ns === parent.metadata.namespace;
    if (n.from !== 'Selector') return false;
  }
  if (!n.selector) return false;
  const labels = ctx.namespaces.get(ns);
  return !!labels && selectorMatches(n.selector, labels);
}

export function convertListenerSets(ctx: TranslateContext, res: GatewayResult): void {
  const gateways = new Map(objectsOf<GatewayApiGatewaySpec>(ctx, 'Gateway').map((g) => [`${g.metadata.namespace ?? 'default'}/${g.metadata.name}`, g] as const));
  for (const ls of objectsOf<ListenerSetSpec>(ctx, 'ListenerSet')) {
    const ns = ls.metadata.namespace ?? 'default';
    const p = ls.spec?.parentRef;
    if (!p || (p.group ?? GW_GROUP) !== GW_GROUP || (p.kind ?? 'Gateway') !== 'Gateway') continue;
    const parent = gateways.get(`${p.namespace ?? ns}/${p.name}`);
    if (!parent) continue;
    const info = classOf(ctx, parent.spec?.gatewayClassName ?? '');
    if (!info || !info.supportsListenerSet) continue;
    if (!namespaceAllowed(ctx, ns, parent)) continue;
    const svc = gatewayServices(ctx, parent, info);
    if (svc.services.length === 0 && svc.error) continue;
    const sa = isManaged(parent.spec ?? ({} as GatewayApiGatewaySpec))
      ? (parent.metadata.annotations?.['gateway.istio.io/service-account'] || defaultName(parent, info)) : '';
    const parents: ParentInfo[] = [];
    for (const l of ls.spec?.listeners ?? []) {
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
