// The TUI's view of a joined mesh: contexts for the header, the tree, and each node's details (YAML, related
// resources, proxy-config tables, a rule's destinations with the Envoy clusters that implement them).
// Loaded after the first frame (it pulls in the analyzers through problems.ts).
import type { ContextSnapshot, MeshInput } from '../model/context.js';
import type { Mesh } from '../mesh/join.js';
import type { EnvoyRouteModel, ProxyModel } from '../mesh/objects.js';
import type { TreeNode } from '../mesh/tree-types.js';
import type { ContextInfo, MeshData, NodeDetails, ProxyViews, RelatedItem, RuleDestination } from '../ui/types.js';
import { treeProblems } from './problems.js';
import { nodesById } from '../mesh/tree-walk.js';
import { parseClusterName } from '../mesh/join-envoy.js';
import { landingSections } from '../ui/overview-sections.js';
import { ruleEndpointLines } from '../trace/rule-endpoints.js';

export function contextInfo(c: ContextSnapshot): ContextInfo {
  const proxies = c.proxies.filter((p) => !p.error).length;
  const counts: Record<string, number> = { objects: c.objects.length };
  if (proxies > 0) counts.proxies = proxies;
  const errors = c.issues.filter((i) => i.severity === 'error').length;
  const reason = c.reason ?? (c.status === 'partial' && errors > 0 ? `${errors} load errors (see meshscope snapshot check)` : undefined);
  return { name: c.name, status: c.status, counts: c.status === 'loading' || c.status === 'error' ? undefined : counts, reason, ...(c.absent?.length ? { absent: c.absent } : {}) };
}

function routeClusters(r: { cluster?: string; weightedClusters?: { name: string }[] } | undefined): string[] {
  if (!r) return [];
  return r.weightedClusters?.length ? r.weightedClusters.map((c) => c.name) : r.cluster ? [r.cluster] : [];
}

/** Where a listener row's DESTINATION leads: its route config, or its TCP cluster. */
function listenerDrill(destination: string): { tab: 'routes' | 'clusters'; keys: string[]; label: string } | undefined {
  const route = /^Route: (\S+)$/.exec(destination);
  if (route) return { tab: 'routes', keys: [route[1]!], label: `route config ${route[1]}` };
  const cluster = /^Cluster: (\S+)$/.exec(destination);
  if (cluster) return { tab: 'clusters', keys: [cluster[1]!], label: `cluster ${cluster[1]}` };
  return undefined;
}

type Json = Record<string, any>;
const socketOf = (a: Json | undefined): Json | undefined => a?.socket_address ?? a?.socketAddress;
const sameHost = (a: Json | undefined, e: { address: string; port: number }) => {
  const sa = socketOf(a);
  return sa?.address === e.address && Number(sa?.port_value ?? sa?.portValue ?? 0) === e.port;
};

/** The part of an endpoint's raw source that is about this endpoint: its host status, or its locality's lb endpoint. */
function endpointRaw(e: { raw?: unknown; address: string; port: number }): unknown {
  const raw = e.raw as Json | undefined;
  if (!raw || typeof raw !== 'object') return raw;
  const hosts = (raw.host_statuses ?? raw.hostStatuses) as Json[] | undefined;
  const host = hosts?.find((h) => sameHost(h?.address, e));
  if (host) return { cluster: raw.name, host };
  for (const loc of (raw.endpoints ?? []) as Json[]) {
    const lb = ((loc?.lb_endpoints ?? loc?.lbEndpoints ?? []) as Json[]).find((x) => sameHost(x?.endpoint?.address, e));
    if (lb) return { cluster_name: raw.cluster_name ?? raw.clusterName, locality: loc.locality, lb_endpoint: lb };
  }
  return raw;
}

/** `  ← HTTPRoute ns/name rules[i]` for an Envoy route of a VirtualService istiod generated from a Gateway API route. */
function routeSourceText(r: EnvoyRouteModel | undefined): string {
  const src = r?.rule?.source;
  return src ? `  ← ${src.kind} ${src.namespace}/${src.name} rules[${src.rule}]` : '';
}

function proxyViews(p: ProxyModel, m: typeof import('../model/envoy/views.js')): ProxyViews | undefined {
  const d = p.parsed;
  if (!d) return undefined;
  const listeners = m.listenerRows(d);
  const routes = m.routeRows(d);
  const bySource = new Map(p.routes.filter((r) => r.rule?.source).map((r) => [r.route, r]));
  const clusters = m.clusterRows(d);
  const views: ProxyViews = {
    listeners: {
      columns: ['ADDRESSES', 'PORT', 'MATCH', 'DESTINATION'], rows: listeners.map((r) => [r.addresses, String(r.port), r.match, r.destination]),
      keys: listeners.map((r) => r.name), raw: (i) => listeners[i]?.listener.raw, drill: (i) => listenerDrill(listeners[i]?.destination ?? ''),
    },
    routes: {
      columns: ['NAME', 'VHOST NAME', 'DOMAINS', 'MATCH', 'VIRTUAL SERVICE'], rows: routes.map((r) => [r.name, r.vhost, r.domains, r.match, r.virtualService + routeSourceText(r.route && bySource.get(r.route))]),
      keys: routes.map((r) => r.name), raw: (i) => routes[i]?.route?.raw ?? routes[i]?.routeConfig.raw,
      drill: (i) => {
        const names = routeClusters(routes[i]?.route);
        return names.length ? { tab: 'clusters', keys: names, label: `route ${routes[i]!.vhost} ${routes[i]!.match}` } : undefined;
      },
      after: {
        title: 'Weighted clusters per route (subset when the cluster is the route\'s own host)',
        lines: p.routes.filter((r) => r.clusters.length > 0).map((r) => {
          const vs = r.rule?.source ? routeSourceText(r) : r.rule ? `  ← ${r.rule.vs.name}.${r.rule.vs.namespace} ${r.rule.protocol}[${r.rule.index}]` : '';
          const drift = r.drift.length ? `  ≠ ${r.drift.join('; ')}` : '';
          const host = r.virtualHost.replace(/:\d+$/, '');
          // A waypoint's vhost is inbound|http|port; its route config names the host (inbound-vip|port|http|fqdn).
          const own = parseClusterName(r.routeConfig)?.fqdn;
          const short = (name: string) => {
            const n = parseClusterName(name);
            return n && (n.fqdn === host || (n.direction === 'inbound-vip' && n.fqdn === own)) ? n.subset || '(default)' : name;
          };
          return `${r.virtualHost} → ${r.clusters.map((c) => `${short(c.name)} ${c.weight}%`).join(', ')}${vs}${drift}`;
        }),
      },
    },
    clusters: {
      columns: ['SERVICE FQDN', 'PORT', 'SUBSET', 'DIRECTION', 'TYPE', 'DESTINATION RULE'],
      rows: clusters.map((r) => [r.fqdn, r.port, r.subset, r.direction, r.type, r.destinationRule]),
      keys: clusters.map((r) => r.name), raw: (i) => clusters[i]?.cluster.raw,
      drill: (i) => (clusters[i] ? { tab: 'endpoints', keys: [clusters[i]!.name], label: `cluster ${clusters[i]!.name}` } : undefined),
    },
  };
  if (p.endpointsFrom === 'clusters') {
    const eps = m.endpointRows(p.endpoints);
    views.endpoints = {
      columns: ['ENDPOINT', 'STATUS', 'OUTLIER CHECK', 'CLUSTER'], rows: eps.map((r) => [r.endpoint, r.status, r.outlierCheck, r.cluster]),
      keys: eps.map((r) => r.cluster), raw: (i) => eps[i] && endpointRaw(eps[i]!.host),
    };
  } else {
    const eps = m.edsRows(d);
    views.endpoints = {
      columns: ['NAME', 'STATUS', 'LOCALITY', 'CLUSTER'], rows: eps.map((r) => [r.name, r.status, r.locality, r.cluster]),
      keys: eps.map((r) => r.cluster), raw: (i) => eps[i] && endpointRaw(eps[i]!.endpoint),
    };
  }
  return views;
}

/** The TUI's view of a joined mesh. Pure apart from the refresh callback. */
export function meshData(input: MeshInput, mesh: Mesh, roots: TreeNode[], deps: {
  source: string; readOnly: boolean; refresh: () => void;
  yaml: typeof import('yaml'); views: typeof import('../model/envoy/views.js');
}): MeshData {
  const byId = nodesById(roots);
  const proxies = new Map<string, ProxyModel>(mesh.proxies().map((p) => [p.id, p]));
  const describe = (id: string): string => {
    const n = byId.get(id);
    if (!n) return id;
    const ns = n.ref?.namespace ? `${n.ref.namespace}/` : '';
    return `${n.kind} ${ns}${n.label}${n.context ? ` @${n.context}` : ''}`;
  };
  const proxyLabel = (p: ProxyModel) => `${p.context}/${p.namespace}/${p.podName}`;

  function related(id: string): RelatedItem[] {
    const out: RelatedItem[] = [];
    const seen = new Set<string>();
    for (const e of mesh.edgesFrom(id)) {
      if (e.to && byId.has(e.to) && !seen.has(e.to)) { seen.add(e.to); out.push({ label: `${e.kind} → ${describe(e.to)}`, targetId: e.to }); }
    }
    for (const e of mesh.edgesTo(id)) {
      if (byId.has(e.from) && !seen.has(e.from)) { seen.add(e.from); out.push({ label: `${e.kind} ← ${describe(e.from)}`, targetId: e.from }); }
    }
    return out.slice(0, 200);
  }

  function ruleDestinations(ruleId: string, only?: string): RuleDestination[] {
    const rule = mesh.rule(ruleId);
    if (!rule) return [];
    return rule.destinations.filter((d) => !only || d.id === only).map((d) => ({
      host: d.host, subset: d.subset, port: d.port,
      weight: d.mirror ? undefined : d.weight, mirrorPercent: d.mirror ? d.mirrorPercent ?? 100 : undefined,
      targetId: byId.has(d.id) ? d.id : undefined,
      envoy: d.envoy.filter((l) => l.name).map((l) => ({
        proxy: proxyLabel(l.proxy), cluster: l.name, weight: l.weight, healthy: l.healthy, total: l.total,
        targetId: byId.has(`${l.proxy.id}/clusters/${l.name}`) ? `${l.proxy.id}/clusters/${l.name}` : undefined,
      })),
    }));
  }

  function details(node: TreeNode): NodeDetails {
    const d: NodeDetails = { related: [] };
    const obj = node.ref ? mesh.object(node.ref) : undefined;
    if (obj && (node.kind === obj.kind || node.kind === 'Pod')) {
      d.yaml = deps.yaml.stringify(obj.loaded.obj, { lineWidth: 0 });
      d.related = related(obj.id);
      if (obj.loaded.origin.file) d.notes = [`from ${obj.loaded.origin.file}${obj.loaded.origin.line ? `:${obj.loaded.origin.line}` : ''}`];
    } else {
      d.related = related(node.id);
    }
    if (node.kind === 'Pod' || node.kind === 'proxy') {
      const p = node.kind === 'proxy' ? proxies.get(node.id) : node.ref && mesh.pod(node.ref.context, node.ref.namespace ?? '', node.ref.name)?.proxy;
      if (p) {
        d.proxy = proxyViews(p, deps.views);
        if (p.error) (d.notes ??= []).push(`proxy dump: ${p.error}`);
      }
    }
    if (node.kind === 'rule') d.ruleDestinations = ruleDestinations(node.id);
    if (node.kind === 'destination' || node.kind === 'mirror') {
      const dest = mesh.destination(node.id);
      if (dest) d.ruleDestinations = ruleDestinations(dest.rule.id, dest.id);
    }
    if (node.kind === 'VirtualService' && obj) {
      const vs = mesh.virtualService(obj.context, obj.namespace, obj.name);
      if (vs) d.ruleDestinations = vs.rules.flatMap((r) => ruleDestinations(r.id));
    }
    if (node.dangling) (d.notes ??= []).push(`unresolved: ${node.dangling}`);
    const sections = landingSections(node, contexts, treeProblems(input, mesh, roots).items);
    const ends = ruleEndpointLines(mesh, node);
    if (sections || ends) d.sections = [...(ends ? [{ title: ends.title, items: ends.lines }] : []), ...(sections ?? [])];
    return d;
  }

  const contexts = input.contexts.map(contextInfo);
  return {
    source: deps.source, readOnly: deps.readOnly, contexts, roots, details, refresh: deps.refresh,
    problemCounts: treeProblems(input, mesh, roots).counts,
  };
}
