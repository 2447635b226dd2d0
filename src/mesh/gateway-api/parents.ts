// Which parents (Gateway listeners, or the mesh for Service/ServiceEntry parents) a route binds to, and why a
// parent refuses it (sectionName, port, hostname, namespace, route kind), as istiod's extractParentReferenceInfo.
import type { ParentReference } from '../../model/gateway-api.js';
import { GW_GROUP, type TranslateContext } from './context.js';
import { classOf, type ParentInfo } from './gateways.js';
import { hostSubsetOf, hostsMatch, isWildcard } from './hosts.js';
import type { ConfigError, InputObject } from './model.js';

export interface ParentError extends ConfigError {}

export interface RouteParentRef {
  internalName: string;
  internalKind: string;
  hostname: string;
  denied?: ParentError;
  waypointError?: ConfigError;
  original: ParentReference;
  bannedHostnames: Set<string>;
  parentKey: { kind: string; namespace: string; name: string };
  parentSection: string;
  parent?: ParentInfo;
}

const MESH_KINDS = [
  { group: GW_GROUP, kind: 'HTTPRoute' }, { group: GW_GROUP, kind: 'GRPCRoute' },
  { group: GW_GROUP, kind: 'TCPRoute' }, { group: GW_GROUP, kind: 'TLSRoute' },
];

export function isMesh(r: RouteParentRef): boolean {
  return r.internalName === 'mesh';
}

/** group/kind of a parentRef, defaulted to Gateway; undefined for kinds istiod does not handle. */
export function parentKind(p: ParentReference): string | undefined {
  const group = p.group ?? GW_GROUP;
  const kind = p.kind ?? 'Gateway';
  if (group === GW_GROUP && (kind === 'Gateway' || kind === 'ListenerSet')) return kind;
  if (group === '' && kind === 'Service') return 'Service';
  if (group === 'networking.istio.io' && kind === 'ServiceEntry') return 'ServiceEntry';
  return undefined;
}

function waypointConfigured(labels: Record<string, string> | undefined): boolean {
  const v = labels?.['istio.io/use-waypoint'];
  return !!v && v.toLowerCase() !== 'none';
}

function parentAllows(ctx: TranslateContext, parent: ParentInfo, routeKind: string, kind: string, ref: ParentReference, hostnames: string[], localNs: string): { denied?: ParentError; waypoint?: ConfigError } {
  const ns = ref.namespace ?? localNs;
  if (kind === 'Service' || kind === 'ServiceEntry') {
    const obj = (kind === 'Service' ? ctx.services : ctx.serviceEntries).get(`${ns}/${ref.name}`);
    if (!obj) {
      return {
        denied: { reason: 'NoMatchingParent', message: `parent ${kind === 'Service' ? 'service' : 'service entry'}: "${ref.name}" not found` },
        waypoint: { reason: 'NoMatchingParent', message: 'parent not found' },
      };
    }
    if (!waypointConfigured(obj.metadata.labels)) {
      const nsLabels = ctx.namespaces.get(ns);
      if (nsLabels && !waypointConfigured(nsLabels)) return { waypoint: { reason: 'MissingLabel', message: 'missing use-waypoint label' } };
    }
  } else {
    if (ref.port !== undefined && ref.port !== 0 && ref.port !== parent.port) return { denied: { reason: 'NoMatchingParent', message: `port ${ref.port} not found` } };
    if (ref.sectionName && ref.sectionName !== parent.sectionName) return { denied: { reason: 'NoMatchingParent', message: `sectionName "${ref.sectionName}" not found` } };
    const hosts = hostnames.length ? hostnames : ['*'];
    if (parent.hostnames.length > 0) {
      let matched = false;
      let hostMatched = false;
      outer: for (const rh of hosts) {
        for (const ph of parent.hostnames) {
          const slash = ph.indexOf('/');
          const pns = slash >= 0 ? ph.slice(0, slash) : '*';
          const phost = slash >= 0 ? ph.slice(slash + 1) : ph;
          const hm = hostsMatch(phost, rh);
          hostMatched ||= hm;
          if (hm && (pns === '*' || pns === localNs)) { matched = true; break outer; }
        }
      }
      if (!matched) {
        if (hostMatched) return { denied: { reason: 'NotAllowedByListeners', message: `hostnames matched parent hostname "${parent.originalHostname}", but namespace "${localNs}" is not allowed by the parent` } };
        return { denied: { reason: 'NoMatchingListenerHostname', message: `no hostnames matched parent hostname "${parent.originalHostname}"` } };
      }
    }
  }
  if (!parent.allowedKinds.some((k) => k.kind === routeKind && (k.group ?? GW_GROUP) === GW_GROUP)) {
    return { denied: { reason: 'NotAllowedByListeners', message: `kind ${GW_GROUP}/v1/${routeKind} is not allowed` } };
  }
  return {};
}

/** True when the Service or ServiceEntry uses a waypoint that another controller runs: its routes are not istiod's. */
function foreignWaypoint(ctx: TranslateContext, kind: string, ns: string, name: string): boolean {
  const obj = (kind === 'Service' ? ctx.services : ctx.serviceEntries).get(`${ns}/${name}`);
  const labels = obj?.metadata.labels ?? {};
  const nsLabels = ctx.namespaces.get(ns) ?? {};
  const wp = labels['istio.io/use-waypoint'] ?? nsLabels['istio.io/use-waypoint'];
  if (!wp || wp.toLowerCase() === 'none') return false;
  const wpNs = labels['istio.io/use-waypoint-namespace'] ?? nsLabels['istio.io/use-waypoint-namespace'] ?? ns;
  const gw = (ctx.byKind.get('Gateway') ?? []).find((g) => g.metadata.name === wp && (g.metadata.namespace ?? 'default') === wpNs);
  return !!gw && !classOf(ctx, gw.spec?.gatewayClassName ?? '');
}

export function parentRefString(ref: ParentReference, localNs: string): string {
  return `${ref.group ?? GW_GROUP}/${ref.kind ?? 'Gateway'}/${ref.name}/${ref.sectionName ?? ''}/${ref.port ?? 0}.${ref.namespace ?? localNs}`;
}

function meshParent(): ParentInfo {
  return { internalName: 'mesh', allowedKinds: MESH_KINDS, hostnames: [], originalHostname: '', sectionName: '', port: 0, protocol: '', owner: { kind: 'Mesh', namespace: '', name: 'istio' } };
}

export function routeParents(ctx: TranslateContext, parents: Map<string, ParentInfo[]>, route: InputObject): RouteParentRef[] {
  const localNs = route.metadata.namespace ?? 'default';
  const hostnames: string[] = route.kind === 'TCPRoute' ? [] : (route.spec?.hostnames ?? []);
  const out: RouteParentRef[] = [];
  for (const ref of (route.spec?.parentRefs ?? []) as ParentReference[]) {
    const kind = parentKind(ref);
    if (!kind) continue;
    if ((kind === 'Service' || kind === 'ServiceEntry') && foreignWaypoint(ctx, kind, ref.namespace ?? localNs, ref.name)) continue;
    const pk = { kind, namespace: ref.namespace ?? localNs, name: ref.name };
    const current = kind === 'Service' || kind === 'ServiceEntry' ? [meshParent()] : (parents.get(`${kind}/${pk.namespace}/${pk.name}`) ?? []);
    for (const pr of current) {
      const banned = new Set<string>();
      for (const gw of current) {
        if (gw === pr || gw.port !== pr.port || gw.protocol !== pr.protocol) continue;
        banned.add(gw.originalHostname);
      }
      banned.delete(pr.originalHostname);
      const allowed = parentAllows(ctx, pr, route.kind, kind, ref, hostnames, localNs);
      out.push({
        internalName: pr.internalName, internalKind: kind, hostname: pr.originalHostname, denied: allowed.denied,
        waypointError: allowed.waypoint, original: ref, bannedHostnames: banned, parentKey: pk, parentSection: pr.sectionName, parent: pr,
      });
    }
  }
  const keyed = out.map((r) => ({ r, k: parentRefString(r.original, localNs) }));
  keyed.sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0));
  return keyed.map((x) => x.r);
}

/** The parents a route is accepted by, ordered by internal name. */
export function acceptedParents(refs: RouteParentRef[]): RouteParentRef[] {
  return refs.filter((r) => !r.denied).sort((a, b) => (a.internalName < b.internalName ? -1 : a.internalName > b.internalName ? 1 : 0));
}

/** False when a more specific listener of the same gateway, port and protocol owns this route host. */
export function hostnameAllowedByIsolation(r: RouteParentRef, routeHost: string): boolean {
  const ours = r.hostname;
  if (ours.length > 0 && !isWildcard(ours)) return true;
  if (ours.length > 0 && !hostsMatch(routeHost, ours)) return false;
  for (const check of r.bannedHostnames) {
    if (ours.length > check.length) continue;
    if (hostSubsetOf(routeHost, check)) return false;
  }
  return true;
}
