// Generates the minified /config_dump?include_eds=true of a large mesh (≈20,000 clusters, matching listeners,
// routes and EDS) for the pc-views bench. Deterministic; written outside the repo.
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

export interface LargeDumpOptions { services?: number; file?: string }

const T = 'type.googleapis.com/';

function svc(i: number): { name: string; ns: string; host: string; ports: number[] } {
  const ns = `ns-${i % 97}`;
  const name = `svc-${i}`;
  return { name, ns, host: `${name}.${ns}.svc.cluster.local`, ports: [8080, 9090] };
}

function tlsMatch(host: string): unknown {
  return {
    name: 'tlsMode-istio',
    match: { tlsMode: 'istio' },
    transport_socket: {
      name: 'envoy.transport_sockets.tls',
      typed_config: {
        '@type': `${T}envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext`,
        common_tls_context: {
          tls_params: { tls_minimum_protocol_version: 'TLSv1_2', tls_maximum_protocol_version: 'TLSv1_3' },
          alpn_protocols: ['istio-peer-exchange', 'istio'],
          tls_certificate_sds_secret_configs: [{ name: 'default', sds_config: { api_config_source: { api_type: 'GRPC', transport_api_version: 'V3', grpc_services: [{ envoy_grpc: { cluster_name: 'sds-grpc' } }], set_node_on_first_message_only: true }, initial_fetch_timeout: '0s', resource_api_version: 'V3' } }],
          combined_validation_context: {
            default_validation_context: { match_subject_alt_names: [{ exact: `spiffe://cluster.local/ns/${host.split('.')[1]}/sa/default` }] },
            validation_context_sds_secret_config: { name: 'ROOTCA', sds_config: { api_config_source: { api_type: 'GRPC', transport_api_version: 'V3', grpc_services: [{ envoy_grpc: { cluster_name: 'sds-grpc' } }], set_node_on_first_message_only: true }, initial_fetch_timeout: '0s', resource_api_version: 'V3' } },
          },
        },
        sni: host,
      },
    },
  };
}

function cluster(name: string, host: string, ns: string, port: number, subset: string): unknown {
  return {
    version_info: '2024-05-01T10:00:00Z/42',
    cluster: {
      '@type': `${T}envoy.config.cluster.v3.Cluster`,
      name,
      type: 'EDS',
      eds_cluster_config: { eds_config: { ads: {}, initial_fetch_timeout: '0s', resource_api_version: 'V3' }, service_name: name },
      connect_timeout: '10s',
      lb_policy: 'LEAST_REQUEST',
      circuit_breakers: { thresholds: [{ max_connections: 4294967295, max_pending_requests: 4294967295, max_requests: 4294967295, max_retries: 4294967295, track_remaining: true }] },
      common_lb_config: {},
      metadata: { filter_metadata: { istio: { config: `/apis/networking.istio.io/v1/namespaces/${ns}/destination-rule/${host.split('.')[0]}`, services: [{ host, name: host.split('.')[0], namespace: ns }], ...(subset ? { subset } : {}) } } },
      filters: [{ name: 'istio.metadata_exchange', typed_config: { '@type': `${T}envoy.tcp.metadataexchange.config.MetadataExchange`, protocol: 'istio-peer-exchange', enable_discovery: true } }],
      transport_socket_matches: [tlsMatch(host), { name: 'tlsMode-disabled', match: {}, transport_socket: { name: 'envoy.transport_sockets.raw_buffer', typed_config: { '@type': `${T}envoy.extensions.transport_sockets.raw_buffer.v3.RawBuffer` } } }],
      typed_extension_protocol_options: { 'envoy.extensions.upstreams.http.v3.HttpProtocolOptions': { '@type': `${T}envoy.extensions.upstreams.http.v3.HttpProtocolOptions`, common_http_protocol_options: { idle_timeout: '3600s' }, use_downstream_protocol_config: { http_protocol_options: {}, http2_protocol_options: {} } } },
    },
    last_updated: '2024-05-01T10:00:01.123Z',
  };
}

function cla(name: string, i: number, port: number): unknown {
  const eps = [0, 1].map((k) => ({
    endpoint: { address: { socket_address: { address: `10.${(i >> 8) & 255}.${i & 255}.${10 + k}`, port_value: port } }, health_check_config: {} },
    health_status: k === 1 && i % 50 === 0 ? 'UNHEALTHY' : 'HEALTHY',
    metadata: { filter_metadata: { 'envoy.transport_socket_match': { tlsMode: 'istio' }, istio: { workload: `svc-${i}-v1;ns-${i % 97};svc-${i};v1;Kubernetes` } } },
    load_balancing_weight: 1,
  }));
  return { endpoint_config: { '@type': `${T}envoy.config.endpoint.v3.ClusterLoadAssignment`, cluster_name: name, endpoints: [{ locality: { region: 'us-east1', zone: `us-east1-${'bcd'[i % 3]}` }, lb_endpoints: eps, load_balancing_weight: 2 }], policy: { overprovisioning_factor: 140 } } };
}

function hcm(routeName: string): unknown {
  return {
    name: 'envoy.filters.network.http_connection_manager',
    typed_config: {
      '@type': `${T}envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager`,
      stat_prefix: `outbound_0.0.0.0_${routeName}`,
      rds: { config_source: { ads: {}, initial_fetch_timeout: '0s', resource_api_version: 'V3' }, route_config_name: routeName },
      http_filters: [
        { name: 'istio.metadata_exchange', typed_config: { '@type': `${T}envoy.extensions.filters.http.wasm.v3.Wasm`, config: { vm_config: { runtime: 'envoy.wasm.runtime.null', code: { local: { inline_string: 'envoy.wasm.metadata_exchange' } } }, configuration: { '@type': `${T}envoy.tcp.metadataexchange.config.MetadataExchange` } } } },
        { name: 'envoy.filters.http.router', typed_config: { '@type': `${T}envoy.extensions.filters.http.router.v3.Router` } },
      ],
      tracing: { client_sampling: { value: 100 }, random_sampling: { value: 1 }, overall_sampling: { value: 100 } },
      use_remote_address: false,
      upgrade_configs: [{ upgrade_type: 'websocket' }],
      stream_idle_timeout: '0s',
      normalize_path: true,
      path_with_escaped_slashes_action: 'KEEP_UNCHANGED',
    },
  };
}

/** Writes the dump and returns its path. About 70 MB for the default 5,000 services (20,000 clusters). */
export async function generateLargeDump(opts: LargeDumpOptions = {}): Promise<string> {
  const services = opts.services ?? 5000;
  const file = opts.file ?? join(tmpdir(), `meshscope-large-dump-${services}.json`);
  const out = createWriteStream(file);
  const w = (s: string): Promise<void> | void => {
    if (!out.write(s)) return new Promise((r) => out.once('drain', () => r()));
  };
  const list = async (items: (i: number) => unknown, n: number): Promise<void> => {
    for (let i = 0; i < n; i++) await w((i ? ',' : '') + JSON.stringify(items(i)));
  };
  const clusters: { name: string; i: number; port: number }[] = [];
  for (let i = 0; i < services; i++) {
    const s = svc(i);
    for (const port of s.ports) for (const subset of ['', 'v1']) clusters.push({ name: `outbound|${port}|${subset}|${s.host}`, i, port });
  }
  await w(`{"configs":[{"@type":"${T}envoy.admin.v3.BootstrapConfigDump","bootstrap":{"node":{"id":"sidecar~10.0.0.1~big-0.default~default.svc.cluster.local","metadata":{"ISTIO_VERSION":"1.22.0","ISTIO_PROXY_SHA":"istio-proxy:abc"}}}}`);
  await w(`,{"@type":"${T}envoy.admin.v3.ClustersConfigDump","version_info":"v1","static_clusters":[`);
  await w(JSON.stringify({ cluster: { '@type': `${T}envoy.config.cluster.v3.Cluster`, name: 'prometheus_stats', type: 'STATIC', connect_timeout: '0.250s' } }));
  await w('],"dynamic_active_clusters":[');
  await list((k) => {
    const c = clusters[k];
    const s = svc(c.i);
    return cluster(c.name, s.host, s.ns, c.port, c.name.split('|')[2]);
  }, clusters.length);
  await w(`]},{"@type":"${T}envoy.admin.v3.EndpointsConfigDump","dynamic_endpoint_configs":[`);
  await list((k) => cla(clusters[k].name, clusters[k].i, clusters[k].port), clusters.length);
  // Listeners: one per service IP and port (TCP) plus 0.0.0.0_<port> HTTP listeners.
  const listenerCount = Math.min(services, 2000);
  await w(`]},{"@type":"${T}envoy.admin.v3.ListenersConfigDump","version_info":"v1","dynamic_listeners":[`);
  await list((k) => {
    const s = svc(k);
    const port = s.ports[k % 2];
    const listener = {
      '@type': `${T}envoy.config.listener.v3.Listener`,
      name: `10.96.${(k >> 8) & 255}.${k & 255}_${port}`,
      address: { socket_address: { address: `10.96.${(k >> 8) & 255}.${k & 255}`, port_value: port } },
      filter_chains: [
        { filter_chain_match: { transport_protocol: 'raw_buffer', application_protocols: ['http/1.1', 'h2c'] }, filters: [hcm(`${s.host}:${port}`)] },
        { filters: [{ name: 'envoy.filters.network.tcp_proxy', typed_config: { '@type': `${T}envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy`, stat_prefix: `outbound|${port}||${s.host}`, cluster: `outbound|${port}||${s.host}` } }] },
      ],
      listener_filters: [{ name: 'envoy.filters.listener.tls_inspector', typed_config: { '@type': `${T}envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector` } }],
      traffic_direction: 'OUTBOUND',
      bind_to_port: false,
    };
    return { name: listener.name, active_state: { version_info: 'v1', listener, last_updated: '2024-05-01T10:00:01.123Z' } };
  }, listenerCount);
  // Routes: one route config per port with a virtual host per service, plus per-host configs for the TCP+HTTP listeners.
  await w(`]},{"@type":"${T}envoy.admin.v3.RoutesConfigDump","dynamic_route_configs":[`);
  const routeConfig = (name: string, hosts: number[], port: number): unknown => ({
    version_info: 'v1',
    route_config: {
      '@type': `${T}envoy.config.route.v3.RouteConfiguration`,
      name,
      virtual_hosts: hosts.map((i) => {
        const s = svc(i);
        return {
          name: `${s.host}:${port}`,
          domains: [`${s.host}`, `${s.name}.${s.ns}`, `${s.name}.${s.ns}.svc`, `${s.name}`, `10.96.${(i >> 8) & 255}.${i & 255}`],
          routes: [{
            match: { prefix: '/' },
            route: { weighted_clusters: { clusters: [{ name: `outbound|${port}|v1|${s.host}`, weight: 90 }, { name: `outbound|${port}||${s.host}`, weight: 10 }] }, timeout: '0s', retry_policy: { retry_on: 'connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes', num_retries: 2 }, max_grpc_timeout: '0s' },
            metadata: { filter_metadata: { istio: { config: `/apis/networking.istio.io/v1/namespaces/${s.ns}/virtual-service/${s.name}` } } },
            decorator: { operation: `${s.host}:${port}/*` },
            name: 'default',
          }],
          include_request_attempt_count: true,
        };
      }),
      validate_clusters: false,
      ignore_port_in_host_matching: true,
    },
    last_updated: '2024-05-01T10:00:01.123Z',
  });
  const all = Array.from({ length: services }, (_, i) => i);
  await w(JSON.stringify(routeConfig('8080', all.filter((i) => i % 2 === 0), 8080)) + ',' + JSON.stringify(routeConfig('9090', all.filter((i) => i % 2 === 1), 9090)));
  for (let k = 0; k < listenerCount; k++) {
    const s = svc(k);
    await w(',' + JSON.stringify(routeConfig(`${s.host}:${s.ports[k % 2]}`, [k], s.ports[k % 2])));
  }
  await w(']}]}');
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  return file;
}
