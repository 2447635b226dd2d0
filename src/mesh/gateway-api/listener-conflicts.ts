// Listener conflicts between a Gateway and the ListenerSets attached to it: listeners are merged in precedence order
// (the Gateway's own, then ListenerSets by creation time, namespace and name); a listener that is not distinct from
// an earlier accepted one loses (ProtocolConflict or HostnameConflict) and frees nothing.
import type { GatewayApiGatewaySpec, Listener, ListenerSetSpec } from '../../model/gateway-api.js';
import { byCreation, GW_GROUP, objectsOf, selectorMatches, type TranslateContext } from './context.js';
import type { ConfigError, InputObject } from './model.js';

/** "Kind/namespace/name" of a Gateway or ListenerSet → listener name → conflict reason. */
export type ListenerConflicts = Map<string, Map<string, string>>;

export const CONFLICT_MESSAGE = 'Listener has a conflict with another listener attached to the same Gateway';

/** Does the Gateway's allowedListeners admit ListenerSets from a namespace? */
export function listenerSetNamespaceAllowed(ctx: TranslateContext, ns: string, parent: InputObject<GatewayApiGatewaySpec>): boolean {
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

/** The Gateway a ListenerSet attaches to, as "namespace/name" (undefined when its parentRef is not a Gateway). */
export function listenerSetParentKey(ls: InputObject<ListenerSetSpec>): string | undefined {
  const p = ls.spec?.parentRef;
  if (!p || (p.group ?? GW_GROUP) !== GW_GROUP || (p.kind ?? 'Gateway') !== 'Gateway') return undefined;
  return `${p.namespace ?? ls.metadata.namespace ?? 'default'}/${p.name}`;
}

const isL4 = (p: string) => p === 'TCP' || p === 'UDP';
const isHttpLike = (p: string) => p === 'HTTP' || p === 'HTTPS' || p === 'TLS';
const hostnameOf = (l: Listener) => l.hostname || '*';

function distinct(a: Listener, b: Listener): boolean {
  if (a.port !== b.port) return true;
  if ((isL4(a.protocol) && isHttpLike(b.protocol)) || (isHttpLike(a.protocol) && isL4(b.protocol))) return false;
  if (isL4(a.protocol) && isL4(b.protocol)) return false;
  if (isHttpLike(a.protocol) && isHttpLike(b.protocol)) return hostnameOf(a) !== hostnameOf(b);
  return a.protocol !== b.protocol;
}

function reason(a: Listener, b: Listener): string {
  if (isL4(a.protocol) && isL4(b.protocol)) return 'ProtocolConflict';
  return a.protocol !== b.protocol ? 'ProtocolConflict' : 'HostnameConflict';
}

/** The conflicts of one Gateway (of a class that supports ListenerSets) and its eligible ListenerSets. */
export function gatewayListenerConflicts(ctx: TranslateContext, gw: InputObject<GatewayApiGatewaySpec>): ListenerConflicts {
  const gwNs = gw.metadata.namespace ?? 'default';
  const key = `${gwNs}/${gw.metadata.name}`;
  const ordered: { owner: string; l: Listener }[] = (gw.spec?.listeners ?? []).map((l) => ({ owner: `Gateway/${key}`, l }));
  const sets = objectsOf<ListenerSetSpec>(ctx, 'ListenerSet')
    .filter((ls) => listenerSetParentKey(ls) === key && listenerSetNamespaceAllowed(ctx, ls.metadata.namespace ?? 'default', gw))
    .sort(byCreation);
  for (const ls of sets) {
    for (const l of ls.spec?.listeners ?? []) ordered.push({ owner: `ListenerSet/${ls.metadata.namespace ?? 'default'}/${ls.metadata.name}`, l });
  }
  const out: ListenerConflicts = new Map();
  const accepted: Listener[] = [];
  for (const { owner, l } of ordered) {
    const prior = accepted.find((a) => !distinct(l, a));
    if (!prior) { accepted.push(l); continue; }
    let m = out.get(owner);
    if (!m) out.set(owner, (m = new Map()));
    m.set(l.name, reason(l, prior));
  }
  return out;
}

export function conflictError(reasonText: string): ConfigError {
  return { reason: reasonText, message: CONFLICT_MESSAGE };
}
