// Ambient enrollment, intent against ztunnel's reality: each namespace, Service and Pod's data-plane mode from its
// labels (istio.io/dataplane-mode, istio.io/use-waypoint[-namespace], istio-injection, sidecar.istio.io/inject), what
// ztunnel knows of it (HBONE or TCP, waypoint, service account, node), and the drift where the two differ. Waypoints
// are Gateways of class istio-waypoint; istio.io/waypoint-for says whether they serve services, workloads or both.
import type { ContextSnapshot } from '../model/context.js';
import type { KubeObject, LoadedObject } from '../model/resources.js';
import { parseZtunnelDump } from '../model/ztunnel/parse.js';
import type { ZService, ZWorkload } from '../model/ztunnel/types.js';
import { waypointIndex } from '../model/ztunnel/views.js';
import { isZtunnelPod } from '../model/ztunnel/pick.js';

export type DataplaneMode = 'sidecar' | 'ambient' | 'ambient-waypoint' | 'gateway' | 'none';

export const DATAPLANE_MODE = 'istio.io/dataplane-mode';
export const USE_WAYPOINT = 'istio.io/use-waypoint';
export const USE_WAYPOINT_NAMESPACE = 'istio.io/use-waypoint-namespace';
export const WAYPOINT_FOR = 'istio.io/waypoint-for';
export const REDIRECTION = 'ambient.istio.io/redirection';
export const WAYPOINT_CLASS = 'istio-waypoint';

/** Where a use-waypoint label sits: the object it is on and the YAML path of the label. */
export interface WaypointRef { name: string; namespace: string; on: 'Pod' | 'Service' | 'Namespace'; object: string; path: string }

export interface ZtunnelView { protocol: string; waypoint?: string; serviceAccount: string; node: string; status: string; ztunnelPod: string }

export type DriftCode = 'not-in-ztunnel' | 'not-captured' | 'captured-not-ambient' | 'waypoint-mismatch' | 'node-mismatch' | 'service-account-mismatch' | 'sidecar-and-ambient';
export interface Drift { code: DriftCode; message: string; path?: string }

export interface NamespaceEnrollment { context: string; name: string; mode: DataplaneMode; waypoint?: WaypointRef; optOutWaypoint: boolean; object: LoadedObject }

export interface ServiceEnrollment {
  context: string; namespace: string; name: string; mode: DataplaneMode;
  /** The waypoint intent names (service label, else namespace label), if any. */
  waypoint?: WaypointRef;
  /** The Gateway it names, when loaded. */
  waypointGateway?: LoadedObject;
  ztunnel?: { waypoint?: string; ztunnelPod: string };
  drift: Drift[];
  object: LoadedObject;
}

export interface PodEnrollment {
  context: string; namespace: string; name: string; node: string; mode: DataplaneMode;
  sidecar: boolean; redirected: boolean;
  /** The waypoint for workload-addressed traffic (pod label, else namespace label, when its Gateway serves workloads). */
  waypoint?: WaypointRef;
  /** The ztunnel pod on this pod's node, when known. */
  ztunnelPod?: string;
  ztunnel?: ZtunnelView;
  drift: Drift[];
  object: LoadedObject;
}

export interface WaypointModel {
  context: string; namespace: string; name: string; waypointFor: string; gateway: LoadedObject;
  /** "ns/name" of the Services and Pods whose traffic it serves (by label). */
  services: string[]; workloads: string[];
  /** Pods running its Envoy (gateway.networking.k8s.io/gateway-name). */
  pods: string[];
}

export interface AmbientContext {
  context: string;
  namespaces: Map<string, NamespaceEnrollment>;
  services: Map<string, ServiceEnrollment>;
  pods: Map<string, PodEnrollment>;
  waypoints: Map<string, WaypointModel>;
  /** ztunnel pod → node; whether any ztunnel dump was read. */
  ztunnelNodes: Map<string, string>;
  hasZtunnelDump: boolean;
  /** Dumps that could not be interpreted. */
  errors: string[];
}

const key = (ns: string, name: string) => `${ns}/${name}`;
const labelPath = (label: string) => `metadata.labels["${label}"]`;

export function isWaypointGateway(obj: KubeObject): boolean {
  return obj.kind === 'Gateway' && obj.apiVersion.startsWith('gateway.networking.k8s.io/') && (obj.spec as { gatewayClassName?: string } | undefined)?.gatewayClassName === WAYPOINT_CLASS;
}

function hasProxyContainer(pod: KubeObject): boolean {
  return Boolean((pod.spec?.containers as { name: string }[] | undefined)?.some((c) => c.name === 'istio-proxy'));
}

/** Envoy gateways (ingress, egress, waypoints): not sidecars. */
export function isGatewayEnvoyPod(pod: KubeObject): boolean {
  const labels = pod.metadata.labels ?? {};
  const proxy = (pod.spec?.containers as { name: string; args?: string[] }[] | undefined)?.find((c) => c.name === 'istio-proxy');
  if (!proxy) return false;
  if (proxy.args?.includes('router') || proxy.args?.includes('waypoint')) return true;
  return /gateway/.test(labels.istio ?? '') || 'gateway.networking.k8s.io/gateway-name' in labels || labels['istio.io/gateway-name'] !== undefined;
}

function useWaypoint(obj: KubeObject, on: WaypointRef['on']): WaypointRef | 'none' | undefined {
  const labels = obj.metadata.labels ?? {};
  const name = labels[USE_WAYPOINT];
  if (name === undefined || name === '') return undefined;
  if (name === 'none') return 'none';
  const ns = labels[USE_WAYPOINT_NAMESPACE] || obj.metadata.namespace || (on === 'Namespace' ? obj.metadata.name : 'default');
  return { name, namespace: ns, on, object: `${on} ${obj.metadata.namespace ? `${obj.metadata.namespace}/` : ''}${obj.metadata.name}`, path: labelPath(USE_WAYPOINT) };
}

const serves = (w: WaypointModel | undefined, what: 'service' | 'workload') => !w || w.waypointFor === 'all' || w.waypointFor === what;

function selects(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  if (!selector || Object.keys(selector).length === 0) return false;
  for (const k in selector) if (labels?.[k] !== selector[k]) return false;
  return true;
}

interface ZtunnelKnowledge {
  workloads: Map<string, { w: ZWorkload; waypoint?: string; ztunnelPod: string }>;
  services: Map<string, { s: ZService; waypoint?: string; ztunnelPod: string }>;
}

/** Every ztunnel's view merged (each has the mesh-wide view; the first dump that knows an object wins). */
function ztunnelKnowledge(snap: ContextSnapshot, errors: string[]): ZtunnelKnowledge {
  const out: ZtunnelKnowledge = { workloads: new Map(), services: new Map() };
  for (const z of snap.ztunnels ?? []) {
    if (z.configDump === undefined) continue;
    let d;
    try {
      d = parseZtunnelDump(z.configDump, z.configDumpFile ?? `ztunnel pod ${z.pod}`);
    } catch (err) {
      errors.push(err instanceof Error ? err.message : String(err));
      continue;
    }
    const index = waypointIndex(d.services);
    for (const w of d.workloads) {
      const k = key(w.namespace, w.name);
      if (!out.workloads.has(k)) out.workloads.set(k, { w, waypoint: w.waypoint ? index.get(w.waypoint.destination) ?? w.waypoint.destination : undefined, ztunnelPod: z.pod });
    }
    for (const s of d.services) {
      const k = key(s.namespace, s.name);
      if (!out.services.has(k)) out.services.set(k, { s, waypoint: s.waypoint ? index.get(s.waypoint.destination) ?? s.waypoint.destination : undefined, ztunnelPod: z.pod });
    }
  }
  return out;
}

function namespaceMode(ns: KubeObject): DataplaneMode {
  const l = ns.metadata.labels ?? {};
  if (l[DATAPLANE_MODE] === 'ambient') { const w = useWaypoint(ns, 'Namespace'); return w && w !== 'none' ? 'ambient-waypoint' : 'ambient'; }
  if (l['istio-injection'] === 'enabled' || l['istio.io/rev'] !== undefined) return 'sidecar';
  return 'none';
}

export function buildAmbientContext(snap: ContextSnapshot): AmbientContext {
  const errors: string[] = [];
  const out: AmbientContext = { context: snap.name, namespaces: new Map(), services: new Map(), pods: new Map(), waypoints: new Map(), ztunnelNodes: new Map(), hasZtunnelDump: false, errors };
  const pods: LoadedObject[] = [];
  const services: LoadedObject[] = [];
  for (const o of snap.objects) {
    const k = o.obj.kind;
    if (k === 'Namespace') {
      const ns = o.obj;
      const w = useWaypoint(ns, 'Namespace');
      out.namespaces.set(ns.metadata.name, { context: snap.name, name: ns.metadata.name, mode: namespaceMode(ns), waypoint: w === 'none' ? undefined : w, optOutWaypoint: w === 'none', object: o });
    } else if (k === 'Pod') pods.push(o);
    else if (k === 'Service') services.push(o);
    else if (isWaypointGateway(o.obj)) {
      const g = o.obj;
      const ns = g.metadata.namespace ?? 'default';
      out.waypoints.set(key(ns, g.metadata.name), { context: snap.name, namespace: ns, name: g.metadata.name, waypointFor: g.metadata.labels?.[WAYPOINT_FOR] ?? 'service', gateway: o, services: [], workloads: [], pods: [] });
    }
  }
  const zk = ztunnelKnowledge(snap, errors);
  out.hasZtunnelDump = (snap.ztunnels ?? []).some((z) => z.configDump !== undefined);
  for (const p of pods) {
    if (isZtunnelPod(p.obj) && (p.obj.metadata.namespace ?? '') !== '') {
      const node = (p.obj.spec?.nodeName as string | undefined) ?? '';
      if (p.obj.metadata.labels?.app === 'ztunnel' || p.obj.metadata.name.startsWith('ztunnel')) out.ztunnelNodes.set(p.obj.metadata.name, node);
    }
  }
  for (const z of snap.ztunnels ?? []) if (!out.ztunnelNodes.has(z.pod)) out.ztunnelNodes.set(z.pod, z.node ?? '');
  const ztunnelOnNode = new Map<string, string>();
  for (const [pod, node] of out.ztunnelNodes) if (node && !ztunnelOnNode.has(node)) ztunnelOnNode.set(node, pod);
  const nsOf = (name: string) => out.namespaces.get(name);

  // Services: intent (service label, else namespace label) against ztunnel's service waypoint.
  for (const o of services) {
    const s = o.obj;
    const ns = s.metadata.namespace ?? 'default';
    const nsE = nsOf(ns);
    const own = useWaypoint(s, 'Service');
    // A waypoint's own Service (it selects the waypoint's pods) is never sent through a waypoint.
    const ownGateway = (s.spec?.selector as Record<string, string> | undefined)?.['gateway.networking.k8s.io/gateway-name'] ?? s.metadata.labels?.['gateway.networking.k8s.io/gateway-name'];
    const isWaypointService = ownGateway !== undefined && out.waypoints.has(key(ns, ownGateway));
    const ref = own === 'none' || isWaypointService ? undefined : own ?? (nsE?.waypoint);
    const gw = ref ? out.waypoints.get(key(ref.namespace, ref.name)) : undefined;
    const waypoint = ref && serves(gw, 'service') ? ref : undefined;
    const ambientNs = nsE?.mode === 'ambient' || nsE?.mode === 'ambient-waypoint';
    const mode: DataplaneMode = ambientNs ? (waypoint && gw ? 'ambient-waypoint' : 'ambient') : nsE?.mode === 'sidecar' ? 'sidecar' : 'none';
    const e: ServiceEnrollment = { context: snap.name, namespace: ns, name: s.metadata.name, mode, waypoint, waypointGateway: gw?.gateway, drift: [], object: o };
    const z = zk.services.get(key(ns, s.metadata.name));
    if (z) {
      e.ztunnel = { waypoint: z.waypoint, ztunnelPod: z.ztunnelPod };
      if (waypoint && gw && z.waypoint !== waypoint.name) e.drift.push({ code: 'waypoint-mismatch', message: `${waypoint.object} names waypoint ${waypoint.namespace}/${waypoint.name}, but ztunnel ${z.ztunnelPod} ${z.waypoint ? `sends it to ${z.waypoint}` : 'has no waypoint for it'}`, path: waypoint.on === 'Service' ? waypoint.path : undefined });
      else if (!waypoint && z.waypoint && ambientNs) e.drift.push({ code: 'waypoint-mismatch', message: `no use-waypoint label applies, but ztunnel ${z.ztunnelPod} sends it to waypoint ${z.waypoint}` });
    }
    if (gw) gw.services.push(key(ns, s.metadata.name));
    out.services.set(key(ns, s.metadata.name), e);
  }

  // Pods.
  for (const o of pods) {
    const p = o.obj;
    const ns = p.metadata.namespace ?? 'default';
    const nsE = nsOf(ns);
    const labels = p.metadata.labels ?? {};
    const node = (p.spec?.nodeName as string | undefined) ?? '';
    const gatewayName = labels['gateway.networking.k8s.io/gateway-name'];
    if (gatewayName) out.waypoints.get(key(ns, gatewayName))?.pods.push(key(ns, p.metadata.name));
    const gateway = isGatewayEnvoyPod(p);
    const sidecar = !gateway && !isZtunnelPod(p) && hasProxyContainer(p);
    const redirected = p.metadata.annotations?.[REDIRECTION] === 'enabled';
    const podMode = labels[DATAPLANE_MODE];
    const ambientIntent = podMode === 'ambient' || (podMode !== 'none' && (nsE?.mode === 'ambient' || nsE?.mode === 'ambient-waypoint'));
    const own = useWaypoint(p, 'Pod');
    const ref = own === 'none' ? undefined : own ?? nsE?.waypoint;
    const gw = ref ? out.waypoints.get(key(ref.namespace, ref.name)) : undefined;
    const waypoint = ref && serves(gw, 'workload') && (own !== undefined || gw !== undefined) ? ref : undefined;
    const mode: DataplaneMode = gateway ? 'gateway' : sidecar ? 'sidecar' : ambientIntent && !isZtunnelPod(p) ? (waypoint && gw ? 'ambient-waypoint' : 'ambient') : 'none';
    const e: PodEnrollment = { context: snap.name, namespace: ns, name: p.metadata.name, node, mode, sidecar, redirected, waypoint, ztunnelPod: ztunnelOnNode.get(node), drift: [], object: o };
    if (sidecar && (redirected || podMode === 'ambient')) {
      e.drift.push({ code: 'sidecar-and-ambient', message: `pod has an istio-proxy sidecar and ${redirected ? `ambient redirection (${REDIRECTION}: enabled)` : `${DATAPLANE_MODE}=ambient`}`, path: redirected ? `metadata.annotations["${REDIRECTION}"]` : labelPath(DATAPLANE_MODE) });
    }
    const z = zk.workloads.get(key(ns, p.metadata.name));
    if (z) {
      const wp = z.waypoint;
      e.ztunnel = { protocol: z.w.protocol, waypoint: wp, serviceAccount: z.w.serviceAccount, node: z.w.node, status: z.w.status, ztunnelPod: (node && ztunnelOnNode.get(node)) || z.ztunnelPod };
      if (mode === 'ambient' || mode === 'ambient-waypoint') {
        if (z.w.protocol !== 'HBONE') e.drift.push({ code: 'not-captured', message: `labelled ambient, but ztunnel ${z.ztunnelPod} reaches it over ${z.w.protocol || 'plain TCP'} (not captured)` });
        if (waypoint && gw && wp !== waypoint.name) e.drift.push({ code: 'waypoint-mismatch', message: `${waypoint.object} names waypoint ${waypoint.namespace}/${waypoint.name}, but ztunnel ${z.ztunnelPod} ${wp ? `uses ${wp}` : 'has no waypoint for it'}`, path: waypoint.on === 'Pod' ? waypoint.path : undefined });
      } else if (mode === 'none' && z.w.protocol === 'HBONE' && !isZtunnelPod(p)) {
        e.drift.push({ code: 'captured-not-ambient', message: `not labelled ambient, but ztunnel ${z.ztunnelPod} captures it (HBONE)`, path: labelPath(DATAPLANE_MODE) });
      }
      if (node && z.w.node && z.w.node !== node) e.drift.push({ code: 'node-mismatch', message: `runs on node ${node}, but ztunnel ${z.ztunnelPod} places it on ${z.w.node}`, path: 'spec.nodeName' });
      const sa = (p.spec?.serviceAccountName as string | undefined) ?? (p.spec?.serviceAccount as string | undefined);
      if (sa && z.w.serviceAccount && sa !== z.w.serviceAccount) e.drift.push({ code: 'service-account-mismatch', message: `runs as service account ${sa}, but ztunnel ${z.ztunnelPod} knows it as ${z.w.serviceAccount}`, path: 'spec.serviceAccountName' });
    } else if ((mode === 'ambient' || mode === 'ambient-waypoint') && out.hasZtunnelDump && ['Running', undefined].includes(p.status?.phase as string | undefined)) {
      e.drift.push({ code: 'not-in-ztunnel', message: `labelled ambient (${podMode === 'ambient' ? `pod ${DATAPLANE_MODE}` : `namespace ${ns} ${DATAPLANE_MODE}`}=ambient), but no ztunnel knows it` });
    }
    if (waypoint && gw) gw.workloads.push(key(ns, p.metadata.name));
    out.pods.set(key(ns, p.metadata.name), e);
  }
  return out;
}

export interface AmbientModel { contexts: Map<string, AmbientContext> }

export function buildAmbient(contexts: ContextSnapshot[]): AmbientModel {
  return { contexts: new Map(contexts.map((c) => [c.name, ambientOfSnapshot(c)])) };
}

/** A short badge for a mode: what the tree shows beside namespaces and workloads. */
export function modeBadge(mode: DataplaneMode): string {
  return mode === 'ambient-waypoint' ? 'ambient+waypoint' : mode;
}

const built = new WeakMap<ContextSnapshot, AmbientContext>();

/** buildAmbientContext, once per snapshot object (the tree, trace and checks share it). */
export function ambientOfSnapshot(snap: ContextSnapshot): AmbientContext {
  let a = built.get(snap);
  if (!a) {
    a = buildAmbientContext(snap);
    built.set(snap, a);
  }
  return a;
}
