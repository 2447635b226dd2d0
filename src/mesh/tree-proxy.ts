// A pod's proxy subtree: listeners, routes (each linked to the VirtualService rule it came from), clusters, endpoints.
import type { EnvoyRouteModel, ProxyModel } from './objects.js';
import type { Problem, TreeNode } from './tree-types.js';
import { envoyEndpointNode, NO_BADGES, node, setHealth, sumHealth, withProblems } from './tree-nodes.js';

export function proxyNode(p: ProxyModel): TreeNode {
  const ctx = p.context;
  const n = node(p.id, 'proxy', 'proxy', {
    detail: p.error ? `error: ${p.error}` : `${p.isGateway ? 'gateway' : p.parsed?.listeners.some((l) => l.name === 'main_internal') ? 'waypoint' : 'sidecar'}  health from ${p.endpointsFrom === 'clusters' ? '/clusters' : p.endpointsFrom === 'eds' ? 'EDS' : 'nothing'}`,
    context: ctx, badges: withProblems(NO_BADGES, p.error ? [{ severity: 'error', message: p.error }] : undefined),
  });
  const parsed = p.parsed;
  if (!parsed) return n;

  const listeners = node(`${p.id}/listeners`, 'proxy-view', 'listeners', { context: ctx, detail: `${parsed.listeners.length}` });
  // tcp_proxy chains linked to the rule they carry (joinEnvoy's linkTcpChains), by listener and chain index.
  const tcpRules = new Map<string, EnvoyRouteModel>();
  for (const rm of p.routes) if (rm.virtualHost === 'tcp_proxy' && rm.rule) tcpRules.set(`${rm.routeConfig}\0${rm.index}`, rm);
  for (const l of parsed.listeners) {
    const ln = node(`${p.id}/listeners/${l.name}`, 'envoy-listener', l.name, {
      detail: `${l.address}:${l.port} ${l.type}`, context: ctx, searchText: `${l.address} ${l.port}`,
    });
    l.chains.forEach((c, i) => {
      const weighted = c.tcpWeightedClusters ?? [];
      const total = weighted.reduce((sum, w) => sum + w.weight, 0);
      const target = c.routeConfigName ? `Route: ${c.routeConfigName}`
        : weighted.length > 0 ? `Clusters: ${weighted.map((w) => `${w.name} ${total > 0 ? Math.round((w.weight / total) * 1000) / 10 : 0}%`).join(', ')}` : c.destination;
      const rm = tcpRules.get(`${l.name}\0${i}`);
      const from = rm ? ruleText(rm) : '';
      ln.children.push(node(`${ln.id}/chain[${i}]`, 'envoy-listener', c.match || 'ALL', {
        detail: from ? `${target}  ← ${from}` : target, context: ctx,
        linkTo: rm ? (rm.rule!.source?.id ?? rm.rule!.id) : c.routeConfigName ? `${p.id}/routes/${c.routeConfigName}` : c.tcpCluster ? `${p.id}/clusters/${c.tcpCluster}` : undefined,
        badges: rm?.drift.length ? withProblems(NO_BADGES, rm.drift.map((m) => ({ severity: 'warning', drift: true, message: m }))) : undefined,
      }));
    });
    listeners.children.push(ln);
  }

  const routes = node(`${p.id}/routes`, 'proxy-view', 'routes', { context: ctx, detail: `${parsed.routeConfigs.length} route configs` });
  const byConfig = new Map<string, TreeNode>();
  for (const rc of parsed.routeConfigs) {
    const rn = node(`${p.id}/routes/${rc.name}`, 'envoy-route', rc.name, { context: ctx, detail: `${rc.virtualHosts.length} virtual hosts` });
    byConfig.set(rc.name, rn);
    routes.children.push(rn);
  }
  for (const rm of p.routes) {
    const problems: Problem[] = rm.drift.map((m) => ({ severity: 'warning', drift: true, message: m }));
    if (rm.dangling) problems.push({ severity: 'warning', message: rm.dangling });
    const src = rm.rule?.source;
    const vs = ruleText(rm);
    const rn = node(rm.id, 'envoy-route', `${rm.virtualHost} ${matchText(rm.route.match) || rm.route.name || ''}`.trim(), {
      detail: `${rm.clusters.map((c) => `${c.name} ${c.weight}%`).join(', ')}${vs ? `  ← ${vs}` : ''}`,
      context: ctx, linkTo: src?.id ?? rm.rule?.id, searchText: `${rm.domains.join(' ')} ${rm.clusters.map((c) => c.name).join(' ')}`,
      badges: withProblems(NO_BADGES, problems),
    });
    for (const c of rm.clusters) {
      rn.children.push(node(`${rm.id}/wc:${c.name}`, 'envoy-cluster', c.name, {
        context: ctx, linkTo: `${p.id}/clusters/${c.name}`, badges: { weight: c.weight }, searchText: c.name,
      }));
    }
    const parent = byConfig.get(rm.routeConfig);
    if (parent) parent.children.push(rn);
    else routes.children.push(rn);
  }

  const clusters = node(`${p.id}/clusters`, 'proxy-view', 'clusters', { context: ctx, detail: `${parsed.clusters.length}` });
  for (const c of parsed.clusters) {
    const eps = p.endpointsByCluster.get(c.name) ?? [];
    const cn = node(`${p.id}/clusters/${c.name}`, 'envoy-cluster', c.name, {
      detail: `${c.type}${c.destinationRule ? `  DR ${c.destinationRule}` : ''}`, context: ctx, searchText: c.name,
    });
    for (const e of eps) cn.children.push(envoyEndpointNode(cn.id, e, ctx));
    if (eps.length > 0) setHealth(cn, sumHealth(cn.children));
    clusters.children.push(cn);
  }

  const endpoints = node(`${p.id}/endpoints`, 'proxy-view', 'endpoints', { context: ctx, detail: `${p.endpoints.length} from ${p.endpointsFrom}` });
  for (const e of p.endpoints) {
    const en = envoyEndpointNode(`${p.id}/endpoints/${e.cluster}`, e, ctx);
    en.detail = `${en.detail}  ${e.cluster}`;
    endpoints.children.push(en);
  }
  setHealth(endpoints, sumHealth(endpoints.children));
  n.children.push(listeners, routes, clusters, endpoints);
  return n;
}

/** Where an Envoy route comes from: the Gateway API route rule (generated VirtualService in parentheses), else the VirtualService rule. */
function ruleText(rm: EnvoyRouteModel): string {
  const src = rm.rule?.source;
  if (src) return `${src.kind} ${src.namespace}/${src.name} rules[${src.rule}] (${rm.rule!.vs.name})`;
  return rm.rule ? `${rm.rule.vs.name}.${rm.rule.vs.namespace} ${rm.rule.protocol}[${rm.rule.index}]` : rm.route.virtualService || '';
}

function matchText(m: { prefix?: string; path?: string; regex?: string; pathSeparatedPrefix?: string; headers: { name: string; exact?: string; prefix?: string; regex?: string }[] }): string {
  const parts: string[] = [];
  if (m.prefix !== undefined) parts.push(`${m.prefix}*`);
  if (m.path !== undefined) parts.push(m.path);
  if (m.pathSeparatedPrefix !== undefined) parts.push(`${m.pathSeparatedPrefix}/*`);
  if (m.regex !== undefined) parts.push(`~${m.regex}`);
  for (const h of m.headers ?? []) parts.push(`${h.name}${h.exact !== undefined ? `=${h.exact}` : h.prefix !== undefined ? `^${h.prefix}` : h.regex !== undefined ? `~${h.regex}` : ''}`);
  return parts.join(' ');
}
