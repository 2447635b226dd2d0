// VirtualService subtree: rules → destinations → target / subset → pods → endpoints, the Envoy clusters
// implementing each destination per proxy, and hops into other contexts.
import type { Mesh } from './join.js';
import type { CrossHop, DestinationModel, EndpointModel, PodModel, RuleModel, VirtualServiceModel } from './objects.js';
import type { DestinationKey, RuleKey, TreeNode } from './tree-types.js';
import {
  bare, danglingNode, endpointNode, envoyEndpointNode, flat, labelsText, lazyChildren, NO_BADGES, node, objectLink, podLink, setHealth,
  sumHealth, withProblems,
} from './tree-nodes.js';
import type { Fill } from './tree-nodes.js';
import { destinationLabel } from './destination-label.js';
import { clientTls, handshake, serverMtls } from './security/mtls.js';

export function virtualServiceNode(mesh: Mesh, vs: VirtualServiceModel): TreeNode {
  const gws = vs.gateways.map((b) => b.written).join(',');
  const n = node(vs.id, 'VirtualService', vs.name, {
    detail: `${vs.hosts.join(',')}${gws ? `  gateways ${gws}` : ''}`,
    context: vs.context, ref: vs.ref, searchText: vs.hosts.join(' '),
    badges: withProblems(NO_BADGES, mesh.graph.problemsOf(vs.id)),
  });
  lazyChildren(n, fillVirtualService, vs, mesh);
  return n;
}

const fillVirtualService: Fill<VirtualServiceModel> = (n, vs, env) => {
  for (const b of vs.gateways) {
    if (b.dangling) n.children.push(danglingNode(`${vs.id}/gw:${b.written}`, b.dangling, vs.context));
  }
  for (const r of vs.rules) n.children.push(ruleNode(env as Mesh, r));
};

/** The rule's place in its VirtualService, as the editor and other tools look it up (never parsed from ids or labels). */
function ruleKey(r: RuleModel): RuleKey {
  const named = r.name ? r.vs.rules.filter((x) => x.protocol === r.protocol && x.name === r.name).length === 1 : false;
  return named ? { kind: r.protocol, index: r.index, name: r.name } : { kind: r.protocol, index: r.index };
}

function destinationKey(d: DestinationModel): DestinationKey {
  const k: DestinationKey = { index: d.index, mirror: d.mirror, host: d.host };
  if (d.subset !== undefined) k.subset = d.subset;
  if (d.port !== undefined) k.port = d.port;
  return k;
}

export function ruleNode(mesh: Mesh, r: RuleModel): TreeNode {
  const n = bare(r.id, 'rule', r.name ? `${r.protocol}[${r.index}] ${r.name}` : `${r.protocol}[${r.index}]`, r.vs.context);
  n.detail = r.action !== 'route' ? `${r.match}  ${r.action}` : r.match;
  n.ref = r.vs.ref;
  n.rule = ruleKey(r);
  n.badges = withProblems(NO_BADGES, mesh.graph.problemsOf(r.id));
  for (const d of r.destinations) n.children.push(destinationNode(mesh, d, true, n.rule));
  return n;
}

export function destinationNode(mesh: Mesh, d: DestinationModel, deep: boolean, rule = ruleKey(d.rule)): TreeNode {
  const ctx = d.rule.vs.context;
  const n = bare(d.id, d.mirror ? 'mirror' : 'destination', destinationLabel(d), ctx);
  if (d.fqdn !== d.host) n.detail = d.fqdn;
  const tls = destinationTlsText(mesh, d);
  if (tls) n.detail = flat(`${n.detail ?? ''}${tls}`.trim());
  n.ref = d.rule.vs.ref;
  n.rule = rule;
  n.destination = destinationKey(d);
  n.searchText = d.envoy.length === 0 ? d.fqdn : `${d.fqdn} ${d.envoy.map((e) => e.name).join(' ')}`;
  n.badges = withProblems(d.mirror ? { mirrorPercent: d.mirrorPercent } : { weight: d.weight }, d.problems);
  for (const t of d.targets) n.children.push(objectLink(d.id, t, { detail: targetDetail(t.kind, d.resolution.via) }));
  for (const e of d.dangling) {
    if (e.kind !== 'destination-envoy-cluster' && e.kind !== 'cross-context') {
      n.children.push(danglingNode(d.id, e.reason, ctx, e.kind === 'destination-pod' ? 'warning' : 'error'));
    }
  }
  let podParent = n;
  if (d.subsetDef) {
    const s = d.subsetDef;
    podParent = bare(`${d.id}/subset`, 'subset', `subset ${s.name}`, ctx);
    const labels = labelsText(s.labels);
    podParent.detail = flat(`${labels || '(no labels)'}  DestinationRule ${s.rule.namespace}/${s.rule.name}${d.destinationRule ? ` (${d.destinationRule.scope})` : ''}`);
    podParent.ref = s.rule.ref;
    podParent.linkTo = s.id;
    podParent.searchText = labels;
    n.children.push(podParent);
  }
  if (deep) {
    let byPod: Map<PodModel, EndpointModel[]> | undefined;
    for (const e of d.endpoints) {
      if (!e.pod || e.source !== 'EndpointSlice') continue;
      byPod ??= new Map();
      const l = byPod.get(e.pod);
      if (l) l.push(e); else byPod.set(e.pod, [e]);
    }
    for (const p of d.pods) podParent.children.push(podLink(podParent.id, p, byPod?.get(p)));
    // Endpoints whose pod is listed already are shown under it; a Set only pays off for many pods.
    const podSet = d.pods.length > 16 ? new Set(d.pods) : undefined;
    for (const e of d.endpoints) {
      if (e.pod && (podSet ? podSet.has(e.pod) : d.pods.includes(e.pod))) continue;
      const en = endpointNode(podParent.id, e, ctx);
      for (const h of d.hops) if (h.address === e.address) en.children.push(hopNode(h));
      podParent.children.push(en);
    }
    for (const h of d.hops) {
      if (!d.endpoints.some((e) => e.address === h.address)) podParent.children.push(hopNode(h));
    }
    for (const e of d.dangling) if (e.kind === 'cross-context') n.children.push(danglingNode(d.id, e.reason, ctx, 'warning'));
    if (podParent !== n) {
      const h = sumHealth(podParent.children);
      for (const x of d.hops) { h.total += x.pods.length; h.healthy += readyCount(x.pods); }
      setHealth(podParent, h);
    }
    for (const l of d.envoy) {
      if (l.dangling && !l.name) {
        n.children.push(danglingNode(l.id, l.dangling, ctx));
        continue;
      }
      const problems = [];
      if (l.drift) problems.push({ severity: 'warning' as const, drift: true, message: l.drift });
      if (l.dangling) problems.push({ severity: 'error' as const, message: l.dangling });
      const en = node(l.id, 'envoy-cluster', l.name, {
        detail: `on ${l.proxy.namespace}/${l.proxy.podName}`, context: ctx,
        linkTo: `${l.proxy.id}/clusters/${l.name}`, searchText: `${l.name} ${l.proxy.podName}`,
        badges: withProblems({ weight: l.weight, healthy: l.healthy, total: l.total }, problems),
      });
      for (const ep of l.endpoints) en.children.push(envoyEndpointNode(en.id, ep, ctx));
      n.children.push(en);
    }
  }
  const h = sumHealth(deep ? (podParent === n ? n.children.filter((c) => c.kind === 'Pod' || c.kind === 'endpoint' || c.kind === 'link') : podParent.children) : []);
  let hopPods = 0;
  let hopReady = 0;
  for (const x of d.hops) { hopPods += x.pods.length; hopReady += readyCount(x.pods); }
  if (h.total + hopPods > 0) setHealth(n, { healthy: h.healthy + hopReady, total: h.total + hopPods });
  return n;
}

function readyCount(pods: PodModel[]): number {
  let n = 0;
  for (const p of pods) if (p.ready) n++;
  return n;
}

const TARGET_DETAIL = new Map<string, string>();

/** `Service (exact)`, `ServiceEntry (wildcard)`...: a handful of distinct strings, shared by every target link. */
function targetDetail(kind: string, via: string | undefined): string {
  const k = `${kind} (${via ?? 'exact'})`;
  let s = TARGET_DETAIL.get(k);
  if (s === undefined) { s = k; TARGET_DETAIL.set(k, s); }
  return s;
}

/** A hop into another context: its gateway (and what it serves there), or the same Service there, with the pods. */
export function hopNode(h: CrossHop, detail?: string, id = h.id): TreeNode {
  const gw = h.gatewayService;
  const to = gw ?? (h.via === 'service' ? h.targetService : undefined);
  const n = node(id, 'link', `→ ${h.context} ${to ? `${to.namespace}/${to.name}` : ''}`, {
    detail: detail ?? `${h.address}${h.port ? `:${h.port}` : ''}${h.targetHost && h.via !== 'service' ? `  as ${h.targetHost}${h.targetSubset ? ` ${h.targetSubset}` : ''}` : ''}`,
    context: h.context, linkTo: to?.id, ref: to?.ref, searchText: h.address,
    badges: withProblems({ healthy: h.pods.filter((p) => p.ready).length, total: h.pods.length }, h.dangling ? [{ severity: 'error', message: h.dangling }] : undefined),
  });
  if (h.dangling) n.dangling = h.dangling;
  for (const g of h.gateways) n.children.push(objectLink(id, g, { detail: `Gateway in ${h.context}`, searchText: g.servers.flatMap((s) => s.hosts.map((x) => x.host)).join(' ') }));
  for (const vs of h.virtualServices) {
    const vn = objectLink(id, vs, { detail: `VirtualService in ${h.context}  ${vs.hosts.join(',')}` });
    for (const d of h.destinations.filter((x) => x.rule.vs === vs)) {
      const dn = node(`${vn.id}/${d.id}`, 'destination', destinationLabel(d), {
        context: h.context, linkTo: d.id, badges: { weight: d.weight }, searchText: d.fqdn,
      });
      for (const p of d.pods) dn.children.push(podLink(dn.id, p, undefined, true));
      setHealth(dn, sumHealth(dn.children));
      vn.children.push(dn);
    }
    n.children.push(vn);
  }
  if (h.targetService) {
    const t = objectLink(id, h.targetService, { detail: `Service in ${h.context}` });
    let parent = t;
    if (h.targetSubsetDef) {
      const s = h.targetSubsetDef;
      parent = node(`${t.id}/subset`, 'subset', `subset ${s.name}`, {
        detail: `${labelsText(s.labels)}  DestinationRule ${s.rule.namespace}/${s.rule.name} (${h.context})`, context: h.context, linkTo: s.id,
      });
      t.children.push(parent);
    }
    for (const p of h.pods) parent.children.push(podLink(parent.id, p, undefined, true));
    setHealth(parent, sumHealth(parent.children));
    n.children.push(t);
  }
  if (h.dangling) n.children.push(danglingNode(id, h.dangling, h.context));
  return n;
}

/**
 * What clients send to a destination, in contexts with PeerAuthentications (plain trees stay plain):
 * `  sends plain text (DestinationRule app/frontend DISABLE) → STRICT: reset` or `  sends Istio mTLS (auto)`.
 */
function destinationTlsText(mesh: Mesh, d: DestinationModel): string {
  const ctx = mesh.context(d.rule.vs.context);
  const pas = ctx?.kind('PeerAuthentication') ?? [];
  if (pas.length === 0 || d.mirror) return '';
  const pod = d.pods.find((p) => p.hasSidecar) ?? d.pods[0];
  const server = pod
    ? { hasSidecar: pod.hasSidecar, ...serverMtls(pas.map((o) => o.loaded.obj) as never, { namespace: pod.namespace, labels: pod.labels }, undefined) }
    : { hasSidecar: false, mode: 'PERMISSIVE' as const }; // no pod of the mesh: auto mTLS does not apply
  const dr = d.destinationRule?.rules[0]?.value;
  const client = clientTls(dr?.loaded.obj as never, d.port, d.subset, server);
  const sends = client.sends === 'istio-mtls' ? 'Istio mTLS' : client.sends === 'plaintext' ? 'plain text' : 'its own TLS';
  const why = client.rule ? `DestinationRule ${client.rule.namespace}/${client.rule.name} ${client.mode}` : 'auto';
  const shake = pod ? handshake(client, server) : undefined;
  return `  sends ${sends} (${why})${shake && !shake.ok ? ` → ${server.mode}: refused` : ''}`;
}
