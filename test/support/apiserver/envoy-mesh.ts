// Envoys that follow the test API server's VirtualServices: each proxy's config_dump routes a VirtualService's host
// with the weights the store holds now (after `lagMs`), or keeps the weights it had when made (`stale`), and its /stats
// counts requests per cluster as they go, at `rps` split by the weights it runs. Plug in with server.setProxy.
// With `httpRoute`, the proxy follows an HTTPRoute instead: its route is the one istiod generates for a mesh route
// (metadata naming `<ns>~<service host>`, backendRef weights as written, zero weights dropped).
import type { ObjectStore } from './store.js';
import { typeOfKind } from './store.js';
import type { ProxyData } from './envoy.js';

export interface MeshEnvoyOptions {
  store: ObjectStore;
  /** The VirtualService the proxy routes: "ns/name". Its http[0] and tcp[0] rules are served. */
  virtualService?: string;
  /** Or the HTTPRoute (parentRef a Service) the proxy routes: "ns/name". Its rules[0] is served. */
  httpRoute?: string;
  /** Service port of the route config. */
  port: number;
  /** Keep the weights of the moment it was made, whatever the store says. */
  stale?: boolean;
  /** A new version of the VirtualService reaches this proxy this long after it was written. */
  lagMs?: number;
  /** Requests (http) or connections (tcp) per second the proxy sends to the rule. */
  rps?: number;
  /** cluster subset → share of its requests that answer 5xx. */
  errors?: Record<string, number>;
  now?: () => number;
}

interface Dest { host: string; subset?: string; weight: number }

const VS = typeOfKind('VirtualService')!;
const HTTP_ROUTE = () => typeOfKind('HTTPRoute', 'gateway.networking.k8s.io')!;

/** The generated VirtualService of a mesh HTTPRoute, as istiod writes it: name `<ns>~<host>`, weights as written. */
function generatedFromRoute(route: Record<string, any> | undefined, ns: string): { name: string; resourceVersion?: string; spec: Record<string, any> } | undefined {
  if (!route) return undefined;
  const parent = route.spec?.parentRefs?.[0]?.name ?? route.metadata.name;
  const refs = ((route.spec?.rules?.[0]?.backendRefs ?? []) as { name: string; namespace?: string; port?: number; weight?: number }[])
    .filter((b) => (b.weight ?? 1) > 0);
  return {
    name: `${ns}~${parent}.${ns}.svc.cluster.local`, resourceVersion: route.metadata.resourceVersion,
    spec: { http: [{ route: refs.map((b) => ({ destination: { host: `${b.name}.${b.namespace ?? ns}.svc.cluster.local` }, weight: refs.length === 1 ? undefined : b.weight ?? 1 })) }] },
  };
}

function fqdn(host: string, ns: string): string {
  return host.includes('.') ? host : `${host}.${ns}.svc.cluster.local`;
}

/** The weighted destinations of the rule, as istiod would normalise them. */
function destinations(spec: Record<string, any> | undefined, ns: string): { protocol: 'http' | 'tcp'; dests: Dest[] } {
  const protocol = spec?.http?.length ? 'http' : 'tcp';
  const route = (spec?.[protocol]?.[0]?.route ?? []) as { destination: { host: string; subset?: string }; weight?: number }[];
  return { protocol, dests: route.map((r) => ({ host: fqdn(r.destination.host, ns), subset: r.destination.subset, weight: route.length === 1 ? 100 : r.weight ?? 0 })) };
}

export function meshEnvoy(o: MeshEnvoyOptions): ProxyData & { counters: Map<string, { rq: number; rq5xx: number; cx: number }> } {
  const now = o.now ?? Date.now;
  const [ns, routeName] = (o.httpRoute ?? o.virtualService ?? '').split('/') as [string, string];
  const read = () => {
    if (!o.httpRoute) return o.store.get(VS, ns, routeName);
    const g = generatedFromRoute(o.store.get(HTTP_ROUTE(), ns, routeName), ns);
    return g && { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: g.name, namespace: ns, resourceVersion: g.resourceVersion }, spec: g.spec };
  };
  const frozen = read();
  /** resourceVersion → when this proxy first saw it. */
  const seenAt = new Map<string, number>();
  let running = frozen;
  const current = () => {
    if (o.stale) return frozen;
    const latest = read();
    if (!latest) return running;
    const rv = latest.metadata.resourceVersion ?? '';
    if (!seenAt.has(rv)) seenAt.set(rv, now());
    if (now() - seenAt.get(rv)! >= (o.lagMs ?? 0)) running = latest;
    return running;
  };
  const cluster = (d: Dest) => `outbound|${o.port}|${d.subset ?? ''}|${d.host}`;
  const counters = new Map<string, { rq: number; rq5xx: number; cx: number }>();
  let last = now();
  let carry = new Map<string, number>();
  const advance = () => {
    const t = now();
    const { protocol, dests } = destinations(current()?.spec, ns);
    const total = dests.reduce((s, d) => s + d.weight, 0) || 1;
    for (const d of dests) {
      const c = cluster(d);
      const exact = (carry.get(c) ?? 0) + ((o.rps ?? 50) * (t - last) / 1000) * (d.weight / total);
      const n = Math.floor(exact);
      carry.set(c, exact - n);
      const k = counters.get(c) ?? { rq: 0, rq5xx: 0, cx: 0 };
      if (protocol === 'http') {
        k.rq += n;
        k.rq5xx = Math.floor(k.rq * (o.errors?.[d.subset ?? ''] ?? 0));
        k.cx = Math.ceil(k.rq / 100);
      } else k.cx += n;
      counters.set(c, k);
    }
    last = t;
  };
  const configDump = () => {
    const vs = current();
    const { protocol, dests } = destinations(vs?.spec, ns);
    const weighted = { clusters: dests.map((d) => ({ name: cluster(d), weight: d.weight })), total_weight: 100 };
    const host = o.httpRoute ? (vs?.metadata.name ?? '').slice(ns.length + 1) : dests[0]?.host ?? `${routeName}.${ns}.svc.cluster.local`;
    const clusters = { '@type': 'type.googleapis.com/envoy.admin.v3.ClustersConfigDump', dynamic_active_clusters: dests.map((d) => ({ cluster: { '@type': 'type.googleapis.com/envoy.config.cluster.v3.Cluster', name: cluster(d), type: 'EDS' } })) };
    if (protocol === 'tcp') {
      const listener = { name: `0.0.0.0_${o.port}`, address: { socket_address: { address: '0.0.0.0', port_value: o.port } }, filter_chains: [{ filters: [{ name: 'envoy.filters.network.tcp_proxy', typed_config: { '@type': 'type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy', stat_prefix: host, weighted_clusters: weighted } }] }] };
      return { configs: [clusters, { '@type': 'type.googleapis.com/envoy.admin.v3.ListenersConfigDump', dynamic_listeners: [{ name: listener.name, active_state: { listener: { '@type': 'type.googleapis.com/envoy.config.listener.v3.Listener', ...listener } } }] }] };
    }
    const name = vs?.metadata.name ?? routeName;
    const route = {
      match: { prefix: '/' }, name: o.httpRoute ? `${ns}.${routeName}.0` : 'default',
      metadata: { filter_metadata: { istio: { config: `/apis/networking.istio.io/v1/namespaces/${ns}/virtual-service/${name}` } } },
      route: dests.length === 1 ? { cluster: cluster(dests[0]!) } : { weighted_clusters: weighted },
    };
    return { configs: [clusters, { '@type': 'type.googleapis.com/envoy.admin.v3.RoutesConfigDump', dynamic_route_configs: [{ version_info: vs?.metadata.resourceVersion, route_config: { '@type': 'type.googleapis.com/envoy.config.route.v3.RouteConfiguration', name: String(o.port), virtual_hosts: [{ name: `${host}:${o.port}`, domains: [host, `${host}:${o.port}`], routes: [route] }] } }] }] };
  };
  const stats = (filter: string | null) => {
    advance();
    const re = filter ? new RegExp(filter) : undefined;
    const out: { name: string; value: number }[] = [{ name: 'server.uptime', value: 100 }];
    for (const [c, k] of counters) {
      out.push(
        { name: `cluster.${c}.upstream_rq_total`, value: k.rq }, { name: `cluster.${c}.upstream_rq_5xx`, value: k.rq5xx },
        { name: `cluster.${c}.upstream_rq_2xx`, value: k.rq - k.rq5xx }, { name: `cluster.${c}.upstream_cx_total`, value: k.cx },
      );
    }
    return { stats: [...out.filter((s) => !re || re.test(s.name)), { histograms: { supported_quantiles: [50], computed_quantiles: [] } }] };
  };
  return {
    counters,
    handler(url) {
      if (url.pathname === '/config_dump') { advance(); return { status: 200, body: JSON.stringify(configDump(), null, 1) }; }
      if (url.pathname === '/stats' && url.searchParams.get('format') === 'json') return { status: 200, body: JSON.stringify(stats(url.searchParams.get('filter'))) };
      return undefined;
    },
  };
}
