// The navigable tree derived from the joined mesh: Context → Namespace → groups → objects → their joined paths.
// Node ids are stable: object ids are `${context}/${kind}/${namespace}/${name}`, nested nodes extend their parent's id.
import { locatedLoadIssue } from '../model/context.js';
import type { Mesh } from './join.js';
import { gatewaysAt, type ContextIndex } from './indexes.js';
import type { DestinationRuleModel, GatewayModel, MeshObject, PodModel, ProxyModel, ServiceEntryModel, ServiceModel } from './objects.js';
import type { NodeKind, TreeNode } from './tree-types.js';
import {
  bare, danglingNode, endpointNode, flat, labelsText, lazyChildren, node, objectLink, podBadges, podLink, podStrings, setHealth, sumHealth,
  withProblems, withTextCache, workloadId, workloadLinks,
} from './tree-nodes.js';
import type { Fill } from './tree-nodes.js';
import { virtualServiceNode } from './tree-routes.js';
import { proxyNode } from './tree-proxy.js';
import { GATEWAY_API_GROUPS, gatewayApiNodes, serviceRouteNodes } from './tree-gateway-api.js';
import { selectorMatches } from './hosts.js';
import { SECURITY_GROUPS, securityNodes, workloadMtlsText, workloadPolicyLinks } from './tree-security.js';
import { decorateAmbient } from './tree-ambient.js';

export function contextNodeId(context: string): string {
  return context;
}

export function namespaceNodeId(context: string, ns: string): string {
  return `${context}/Namespace//${ns}`;
}

const GROUPS: { kind: string; label: string }[] = [
  { kind: 'Gateway', label: 'Gateways' },
  { kind: 'VirtualService', label: 'VirtualServices' },
  { kind: 'DestinationRule', label: 'DestinationRules' },
  { kind: 'ServiceEntry', label: 'ServiceEntries' },
  { kind: 'Service', label: 'Services' },
  { kind: 'Workload', label: 'Workloads' },
  { kind: 'Sidecar', label: 'Sidecars' },
  { kind: 'WorkloadEntry', label: 'WorkloadEntries' },
  { kind: 'WorkloadGroup', label: 'WorkloadGroups' },
  { kind: 'EnvoyFilter', label: 'EnvoyFilters' },
  ...GATEWAY_API_GROUPS,
  ...SECURITY_GROUPS,
];

/** The whole tree: one root per loaded context. */
export function buildMeshTree(mesh: Mesh): TreeNode[] {
  return withTextCache(mesh, () => mesh.contexts.map((ctx) => decorateAmbient(mesh, ctx, contextTree(mesh, ctx))));
}

function byName<T extends MeshObject>(a: T, b: T): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

const byName_ = byName;

function sortedByName<T extends MeshObject>(list: readonly T[]): T[] {
  return list.slice().sort(byName);
}

function contextTree(mesh: Mesh, ctx: ContextIndex): TreeNode {
  const snap = ctx.snapshot;
  const root = node(contextNodeId(ctx.name), 'context', ctx.name, {
    context: ctx.name,
    // Status only: where the context came from (live or a folder) is the header's to say, so a live tree and the
    // tree of a snapshot written from it are the same.
    detail: `${snap.status}${snap.reason ? `: ${snap.reason}` : ''}`,
    // A load error names its file and line (the context is the node itself).
    badges: withProblems({}, snap.issues.filter((i) => i.severity === 'error')
      .map((i) => ({ severity: 'error' as const, message: i.file ? locatedLoadIssue(i) : i.message }))),
  });
  const perNs = new Map<string, Map<string, TreeNode[]>>();
  const put = (ns: string, kind: string, n: TreeNode): void => {
    let m = perNs.get(ns);
    if (!m) { m = new Map(); perNs.set(ns, m); }
    const l = m.get(kind);
    if (l) l.push(n); else m.set(kind, [n]);
  };
  const workloads = new Map<string, Map<string, PodModel[]>>();
  for (const p of ctx.pods) {
    let byName = workloads.get(p.namespace);
    if (!byName) { byName = new Map(); workloads.set(p.namespace, byName); }
    const l = byName.get(p.workload);
    if (l) l.push(p); else byName.set(p.workload, [p]);
  }
  const workloadNodes: [string, TreeNode][] = [];
  for (const ns of [...workloads.keys()].sort()) {
    const byName = workloads.get(ns)!;
    for (const name of [...byName.keys()].sort()) {
      const pods = byName.get(name)!.sort(byName_);
      let ready = 0;
      for (const p of pods) if (p.ready) ready++;
      const wn = bare(workloadId(pods[0]!), 'Workload', name, ctx.name);
      wn.detail = labelsText(pods[0]!.labels) + workloadMtlsText(ctx, pods[0]!);
      wn.badges = { healthy: ready, total: pods.length };
      lazyChildren(wn, fillWorkload, pods, mesh);
      workloadNodes.push([ns, wn]);
    }
  }
  for (const gw of sortedByName(ctx.gateways)) put(gw.namespace, 'Gateway', gatewayNode(mesh, gw));
  for (const vs of sortedByName(ctx.virtualServices)) put(vs.namespace, 'VirtualService', virtualServiceNode(mesh, vs));
  for (const dr of sortedByName(ctx.destinationRules)) put(dr.namespace, 'DestinationRule', destinationRuleNode(mesh, dr));
  for (const se of sortedByName(ctx.serviceEntries)) put(se.namespace, 'ServiceEntry', serviceEntryNode(mesh, se));
  for (const s of sortedByName(ctx.services)) put(s.namespace, 'Service', serviceNode(mesh, s));
  for (const kind of ['Sidecar', 'WorkloadEntry', 'WorkloadGroup', 'EnvoyFilter']) {
    for (const o of sortedByName(ctx.kind(kind))) {
      put(o.namespace, kind, node(o.id, kind as NodeKind, o.name, {
        context: ctx.name, ref: o.ref, detail: kind === 'WorkloadEntry' ? String(o.loaded.obj.spec?.address ?? '') : undefined,
        searchText: labelsText(o.labels),
      }));
    }
  }
  for (const [ns, wn] of workloadNodes) put(ns, 'Workload', wn);
  for (const g of gatewayApiNodes(ctx)) put(g.ns, g.group, g.node);
  for (const s of securityNodes(mesh, ctx)) put(s.namespace, s.kind, s.node);
  for (const ns of [...new Set([...ctx.namespaces, ...perNs.keys()])].sort()) {
    const groups = perNs.get(ns);
    const nsNode = node(namespaceNodeId(ctx.name, ns), 'namespace', ns, { context: ctx.name });
    for (const g of GROUPS) {
      const kids = groups?.get(g.kind);
      if (!kids || kids.length === 0) continue;
      const gn = node(`${nsNode.id}/${g.label}`, 'group', g.label, { context: ctx.name, detail: String(kids.length), children: kids });
      nsNode.children.push(gn);
    }
    root.children.push(nsNode);
  }
  return root;
}

const fillWorkload: Fill<PodModel[]> = (n, pods, env) => {
  n.children.push(...workloadPolicyLinks(env as Mesh, n.id, pods[0]!));
  for (const p of pods) n.children.push(podNode(env as Mesh, p));
};

export function podNode(mesh: Mesh, p: PodModel): TreeNode {
  const n = bare(p.id, 'Pod', p.name, p.context);
  // An ambient pod has no sidecar by design: ztunnel on its node carries its traffic.
  const dataplane = p.hasSidecar ? '' : p.loaded.obj.metadata.annotations?.['ambient.istio.io/redirection'] === 'enabled' ? '  ambient (ztunnel)' : '  no sidecar';
  n.detail = flat(`${p.ip ?? 'no IP'}  ${p.phase ?? ''}${p.ready ? '' : ' not ready'}${dataplane}`);
  n.ref = p.ref;
  n.searchText = podStrings(p).search;
  n.badges = podBadges(p);
  if (p.proxy) lazyChildren(n, fillProxy, p.proxy, mesh);
  return n;
}

const fillProxy: Fill<ProxyModel> = (n, proxy) => {
  n.children.push(proxyNode(proxy));
};

function gatewayNode(mesh: Mesh, gw: GatewayModel): TreeNode {
  const hosts = gw.servers.flatMap((s) => s.hosts.map((h) => h.host));
  const n = node(gw.id, 'Gateway', gw.name, {
    detail: `${labelsText(gw.selector)}  ${gw.servers.map((s) => `${s.port}/${s.protocol ?? ''}`).join(' ')}`,
    context: gw.context, ref: gw.ref, searchText: `${hosts.join(' ')} ${labelsText(gw.selector)}`,
    badges: withProblems({ healthy: gw.pods.filter((p) => p.ready).length, total: gw.pods.length }, mesh.graph.problemsOf(gw.id)),
  });
  for (const s of gw.servers) {
    n.children.push(node(`${gw.id}/server[${s.index}]`, 'link', `server ${s.name ?? s.index} ${s.port}/${s.protocol ?? ''}`, {
      detail: s.hosts.map((h) => (h.namespace === '*' ? h.host : `${h.namespace}/${h.host}`)).join(','), context: gw.context,
      searchText: s.hosts.map((h) => h.host).join(' '),
    }));
  }
  for (const s of gw.services) {
    n.children.push(objectLink(gw.id, s, {
      detail: `Service ${s.ports.map((p) => `${p.name ?? ''}:${p.port}`).join(' ')}  ${s.addresses.join(',')}`, searchText: s.addresses.join(' '),
    }));
  }
  for (const p of gw.pods) n.children.push(podLink(gw.id, p));
  for (const vs of gw.virtualServices) n.children.push(objectLink(gw.id, vs, { detail: vs.hosts.join(',') }));
  for (const reason of gw.dangling) n.children.push(danglingNode(gw.id, reason, gw.context, 'warning'));
  return n;
}

function destinationRuleNode(mesh: Mesh, dr: DestinationRuleModel): TreeNode {
  const n = bare(dr.id, 'DestinationRule', dr.name, dr.context);
  n.detail = dr.host;
  n.ref = dr.ref;
  n.searchText = dr.host;
  lazyChildren(n, fillDestinationRule, dr, mesh);
  return n;
}

const fillDestinationRule: Fill<DestinationRuleModel> = (n, dr, env) => {
  const mesh = env as Mesh;
  const ctx = mesh.context(dr.context)!;
  const res = ctx.hosts.resolve(dr.host, dr.namespace);
  const target = res.entries[0]?.value;
  if (target) n.children.push(objectLink(dr.id, target, { detail: target.kind }));
  else n.children.push(danglingNode(dr.id, `host ${dr.host}: ${res.note ?? 'not found'}`, dr.context, 'warning'));
  for (const s of dr.subsets) {
    const labels = labelsText(s.labels);
    const sn = bare(s.id, 'subset', s.name, dr.context);
    sn.detail = labels || '(no labels)';
    sn.ref = dr.ref;
    sn.searchText = labels;
    if (target) {
      const local = target.kind === 'Service' ? (target as ServiceModel).pods : (target as ServiceEntryModel).pods;
      const selected = local.filter((p) => selectorMatches(s.labels, p.labels));
      workloadLinks(sn.id, selected, sn.children);
      if (target.kind === 'ServiceEntry') {
        for (const e of (target as ServiceEntryModel).endpoints) {
          if (!e.pod && selectorMatches(s.labels, e.labels)) sn.children.push(endpointNode(sn.id, e, dr.context));
        }
      }
      if (sn.children.length === 0 && target.kind === 'Service') {
        // The same service in other contexts (multi-cluster): its members' pods count too.
        for (const m of mesh.services.get((target as ServiceModel).host)?.members ?? []) {
          if (m.context === dr.context || m.kind !== 'Service') continue;
          const remote = (m as ServiceModel).pods.filter((p) => selectorMatches(s.labels, p.labels));
          for (const w of workloadLinks(sn.id, remote)) {
            w.detail = `${w.detail} in ${m.context}`;
            sn.children.push(w);
          }
        }
      }
      if (sn.children.length === 0) {
        const why = `subset ${s.name} (${labelsText(s.labels) || 'no labels'}) selects no pods of ${target.kind === 'Service' ? (target as ServiceModel).host : dr.host} in any loaded context`;
        // IST0173 is an error (requests to the subset get 503 UH): the same level as the analyzer's finding.
        sn.children.push(danglingNode(sn.id, why, dr.context, 'error'));
        sn.badges = { problems: [{ severity: 'error', code: 'IST0173', message: why }] };
      } else setHealth(sn, sumHealth(sn.children));
    }
    n.children.push(sn);
  }
};

function serviceEntryNode(mesh: Mesh, se: ServiceEntryModel): TreeNode {
  const spec = se.loaded.obj.spec ?? {};
  const n = node(se.id, 'ServiceEntry', se.name, {
    detail: `${se.hosts.join(',')}  ${spec.location ?? ''} ${spec.resolution ?? ''} ${(spec.addresses ?? []).join(',')}`.trim(),
    context: se.context, ref: se.ref, searchText: `${se.hosts.join(' ')} ${(spec.addresses ?? []).join(' ')}`,
  });
  lazyChildren(n, fillServiceEntry, se, mesh);
  return n;
}

const fillServiceEntry: Fill<ServiceEntryModel> = (n, se, env) => {
  const mesh = env as Mesh;
  for (const e of se.endpoints) {
    const en = endpointNode(se.id, e, se.context);
    for (const { context: other, service: gw } of gatewaysAt(mesh.contexts, se.context, e.address)) {
      en.children.push(node(`${en.id}/->${gw.id}`, 'link', `→ ${other.name} ${gw.namespace}/${gw.name}`, { linkTo: gw.id, context: other.name, ref: gw.ref, detail: 'gateway Service' }));
    }
    n.children.push(en);
  }
};

function serviceNode(mesh: Mesh, s: ServiceModel): TreeNode {
  let ready = 0;
  for (const e of s.endpoints) if (e.ready !== false) ready++;
  let ports = '';
  for (const p of s.ports) ports += `${ports ? ' ' : ''}${p.name ?? ''}:${p.port}`;
  const n = bare(s.id, 'Service', s.name, s.context);
  n.detail = flat(`${s.host}  ${ports}${s.addresses.length ? `  ${s.addresses.join(',')}` : ''}`);
  n.ref = s.ref;
  n.searchText = s.addresses.length === 0 ? s.host : flat(`${s.host} ${s.addresses.join(' ')}`);
  n.badges = { healthy: ready, total: s.endpoints.length };
  lazyChildren(n, fillService, s, mesh);
  return n;
}

const fillService: Fill<ServiceModel> = (n, s, env) => {
  const mesh = env as Mesh;
  workloadLinks(s.id, s.pods, n.children);
  const ctx = mesh.context(s.context);
  if (ctx?.gatewayApi) n.children.push(...serviceRouteNodes(ctx, s));
  const members = mesh.services.get(s.host)?.members;
  if (members && members.length > 1) {
    const others = members.filter((m) => m.context !== s.context);
    if (others.length > 0) {
      // One link per Service: to the member in the next context (following it cycles through all of them).
      const after = others.find((m) => m.context > s.context) ?? others[0]!;
      const names = [...new Set(others.map((m) => m.context))];
      n.children.push(node(`${s.id}/members`, 'link', `also in ${names.length > 3 ? `${names.slice(0, 3).join(', ')} (+${names.length - 3})` : names.join(', ')}`, {
        linkTo: after.id, context: after.context, ref: after.ref, detail: `${after.kind} ${after.namespace}/${after.name} in ${after.context}`,
      }));
    }
  }
};
