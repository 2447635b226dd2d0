// Ambient mode in the tree: namespaces and workloads carry their mode (and ztunnel's drift as ≠ problems); a Service
// names its waypoint; a waypoint (Gateway of class istio-waypoint) lists the services and workloads that use it and,
// under its Envoy, the routes it runs (VirtualServices and HTTPRoutes bound to those services); a workload names the
// ztunnel on its node.
import { GATEWAY_API_GATEWAY_KEY } from '../model/gateway-api.js';
import type { Mesh } from './join.js';
import type { ContextIndex } from './indexes.js';
import type { Problem, TreeNode } from './tree-types.js';
import { ambientOfSnapshot, modeBadge, type AmbientContext, type Drift, type PodEnrollment, type WaypointModel } from './ambient.js';
import type { PodModel, ProxyModel } from './objects.js';
import { objectId } from './objects.js';
import { appendChildren, flat, node, objectLink, podLink } from './tree-nodes.js';
import { proxyNode } from './tree-proxy.js';
import { serviceHost } from './hosts.js';

const isAmbientMode = (m: string) => m === 'ambient' || m === 'ambient-waypoint';
const driftProblems = (drift: Drift[]): Problem[] => drift.map((d) => ({ severity: 'warning', drift: true, code: 'MS0606', message: `ztunnel: ${d.message}`, ...(d.path ? { path: d.path } : {}) }));

function addProblems(n: TreeNode, problems: Problem[]): void {
  if (problems.length === 0) return;
  n.badges = { ...n.badges, problems: [...(n.badges.problems ?? []), ...problems] };
}

function prefixDetail(n: TreeNode, text: string): void {
  n.detail = flat(n.detail ? `${text}  ${n.detail}` : text);
}

/** Decorates one context's tree in place (only where ambient mode is in play). Returns the root. */
export function decorateAmbient(mesh: Mesh, ctx: ContextIndex, root: TreeNode): TreeNode {
  const a = ambientOfSnapshot(ctx.snapshot);
  const anyAmbient = a.waypoints.size > 0 || a.hasZtunnelDump || [...a.namespaces.values()].some((n) => isAmbientMode(n.mode));
  if (!anyAmbient) return root;
  const podsByKey = new Map<string, PodModel>();
  const byWorkload = new Map<string, PodEnrollment[]>();
  for (const p of ctx.pods) {
    podsByKey.set(`${p.namespace}/${p.name}`, p);
    const e = a.pods.get(`${p.namespace}/${p.name}`);
    if (!e) continue;
    const k = `${p.namespace}/${p.workload}`;
    const l = byWorkload.get(k);
    if (l) l.push(e); else byWorkload.set(k, [e]);
  }
  for (const nsNode of root.children) {
    if (nsNode.kind !== 'namespace') continue;
    const ns = nsNode.label;
    const e = a.namespaces.get(ns);
    if (e && isAmbientMode(e.mode)) prefixDetail(nsNode, `[${modeBadge(e.mode)}]${e.waypoint ? ` waypoint ${e.waypoint.namespace === ns ? '' : `${e.waypoint.namespace}/`}${e.waypoint.name}` : ''}`);
    for (const group of nsNode.children) {
      if (group.kind !== 'group') continue;
      for (const n of group.children) {
        if (n.kind === 'Workload') decorateWorkload(a, ns, n, byWorkload.get(`${ns}/${n.label}`) ?? []);
        else if (n.kind === 'Service') decorateService(mesh, a, ns, n);
        else if (n.kind === 'Gateway') {
          const w = a.waypoints.get(`${ns}/${n.label}`);
          if (w) decorateWaypoint(mesh, ctx, a, w, n, podsByKey);
        }
      }
    }
  }
  return root;
}

function decorateWorkload(a: AmbientContext, ns: string, n: TreeNode, mine: PodEnrollment[]): void {
  const first = mine[0];
  if (!first) return;
  if (isAmbientMode(first.mode)) {
    const ztunnels = [...new Set(mine.map((p) => p.ztunnelPod ?? p.ztunnel?.ztunnelPod).filter((z): z is string => Boolean(z)))];
    prefixDetail(n, `[${modeBadge(first.mode)}]${ztunnels.length ? ` ztunnel ${ztunnels.join(',')}` : ''}`);
  } else if (first.mode === 'gateway') {
    const gw = first.object.obj.metadata.labels?.['gateway.networking.k8s.io/gateway-name'];
    if (gw && a.waypoints.has(`${ns}/${gw}`)) prefixDetail(n, `[waypoint ${gw}]`);
  }
  addProblems(n, driftProblems(mine.flatMap((p) => p.drift)));
}

function decorateService(mesh: Mesh, a: AmbientContext, ns: string, n: TreeNode): void {
  const s = a.services.get(`${ns}/${n.label}`);
  if (!s) return;
  const wp = s.waypoint ? `${s.waypoint.namespace}/${s.waypoint.name}` : s.ztunnel?.waypoint ? `${ns}/${s.ztunnel.waypoint}` : undefined;
  if (isAmbientMode(s.mode) || wp) prefixDetail(n, `[${modeBadge(s.mode)}]${wp ? ` waypoint ${wp}${s.waypoint && !s.waypointGateway ? ' (missing)' : ''}` : ''}`);
  addProblems(n, driftProblems(s.drift));
  if (wp) {
    const [wns, wname] = wp.split('/');
    const gw = mesh.context(a.context)?.kind(GATEWAY_API_GATEWAY_KEY).find((g) => g.namespace === wns && g.name === wname);
    appendChildren(n, (sn) => {
      if (gw) sn.children.push(objectLink(sn.id, gw, { detail: `waypoint${s.ztunnel ? ` (ztunnel: ${s.ztunnel.waypoint ?? 'none'})` : ''}` }));
      else sn.children.push(node(`${sn.id}/waypoint`, 'dangling', `waypoint ${wp}`, { context: a.context, dangling: `no Gateway of class istio-waypoint ${wp} (MS0602)` }));
    });
  }
}

function decorateWaypoint(mesh: Mesh, ctx: ContextIndex, a: AmbientContext, w: WaypointModel, n: TreeNode, podsByKey: Map<string, PodModel>): void {
  n.detail = flat(`[waypoint for ${w.waypointFor}]  ${w.services.length} services, ${w.workloads.length} workloads`);
  // A waypoint is selected by its gateway-name label, not by an Istio Gateway selector: its health is its pods'.
  const envoyPods = w.pods.map((k) => podsByKey.get(k)).filter((p): p is PodModel => p !== undefined);
  n.badges = { healthy: envoyPods.filter((p) => p.ready).length, total: envoyPods.length, ...(n.badges.problems ? { problems: n.badges.problems.filter((p) => !/selector/.test(p.message)) } : {}) };
  if (n.badges.problems?.length === 0) delete n.badges.problems;
  const id = n.id;
  const kids: TreeNode[] = [];
  for (const key of w.services) {
    const [ns, name] = key.split('/');
    const svc = ctx.kind('Service').find((s) => s.namespace === ns && s.name === name);
    if (svc && !(ns === w.namespace && name === w.name)) kids.push(objectLink(id, svc, { detail: 'uses this waypoint' }));
  }
  for (const key of w.workloads) {
    const pod = podsByKey.get(key);
    if (pod) kids.push(podLink(id, pod));
  }
  for (const key of w.pods) {
    const pod = podsByKey.get(key);
    if (!pod) continue;
    const name = pod.name;
    const envoy = node(`${id}/envoy:${name}`, 'proxy', `Envoy ${name}`, { context: a.context, detail: pod.proxy ? 'config dump loaded' : 'no config dump' });
    for (const r of routesOf(mesh, ctx, w, envoy.id, pod.proxy)) envoy.children.push(r);
    if (pod.proxy) envoy.children.push(proxyNode(pod.proxy));
    kids.push(envoy);
  }
  n.children = [...kids, ...n.children.filter((c) => !(c.kind === 'link' && c.label.startsWith('server ')) && !(c.kind === 'dangling' && /selector/.test(c.label)))];
}

/**
 * The routes a waypoint's Envoy runs: mesh VirtualServices for its services' hosts and HTTPRoutes bound to them; under
 * each VirtualService, the Envoy routes (inbound-vip route configs) that carry it, or why none does.
 */
export function routesOf(mesh: Mesh, ctx: ContextIndex, w: WaypointModel, parentId: string, proxy?: ProxyModel): TreeNode[] {
  const out: TreeNode[] = [];
  const hosts = new Set(w.services.map((k) => { const [ns, name] = k.split('/'); return serviceHost(name!, ns!); }));
  for (const vs of ctx.virtualServices) {
    if (!vs.mesh || !vs.hosts.some((h) => hosts.has(h))) continue;
    const link = objectLink(parentId, vs, { detail: `VirtualService ${vs.hosts.join(',')}` });
    if (proxy?.parsed) {
      const routes = proxy.routes.filter((rm) => rm.vs === vs);
      for (const rm of routes) {
        const problems: Problem[] = [...rm.drift.map((m) => ({ severity: 'warning' as const, drift: true, code: 'MS0201', message: m })), ...(rm.dangling ? [{ severity: 'warning' as const, message: rm.dangling }] : [])];
        link.children.push(node(`${link.id}/route:${rm.routeConfig}/${rm.virtualHost}/${rm.index}`, 'envoy-route', `route ${rm.routeConfig}${rm.route.name ? ` "${rm.route.name}"` : ''}`, {
          context: ctx.name, linkTo: rm.id, detail: rm.clusters.map((c) => `${c.name} ${c.weight}%`).join(', '),
          searchText: rm.clusters.map((c) => c.name).join(' '), ...(problems.length ? { badges: { problems } } : {}),
        }));
      }
      if (routes.length === 0) {
        link.children.push(node(`${link.id}/route`, 'dangling', 'no Envoy route', { context: ctx.name, dangling: `the waypoint's Envoy ${proxy.namespace}/${proxy.podName} has no route from VirtualService ${vs.namespace}/${vs.name} (not pushed, or not bound to this waypoint)` }));
      }
    }
    out.push(link);
  }
  for (const r of ctx.kind('HTTPRoute')) {
    const refs = ((r.loaded.obj.spec?.parentRefs ?? []) as { kind?: string; group?: string; name?: string; namespace?: string }[]);
    const bound = refs.filter((p) => (p.kind ?? '') === 'Service' && (p.group ?? '') === '' && w.services.includes(`${p.namespace ?? r.namespace}/${p.name}`));
    if (bound.length === 0) continue;
    const l = node(`${parentId}/->${objectId(r.context, 'HTTPRoute', r.namespace, r.name)}`, 'link', `${r.namespace}/${r.name}`, { context: r.context, ref: r.ref, detail: `HTTPRoute for ${bound.map((b) => b.name).join(',')}` });
    out.push(l);
  }
  void mesh;
  return out;
}
