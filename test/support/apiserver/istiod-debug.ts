// istiod's debug endpoints (debug/config_dump?proxyID=, debug/syncz) as the test API server serves them through the
// services/istiod/proxy subresource. By default istiod's view of a proxy is what its fake Envoy runs.
import type { RequestInfo } from './faults.js';
import { proxyBody, type FakeEnvoyAdmin } from './envoy.js';
import { status } from './status.js';

export class IstiodDebug {
  /** proxy id "pod.ns" → the dump istiod believes it sent, or null for "not connected". */
  private readonly views = new Map<string, unknown | null>();

  constructor(private readonly clusterId: string, private readonly envoy: FakeEnvoyAdmin) {}

  /** Unset (undefined) = same as Envoy. */
  setView(id: string, dump: unknown | null | undefined): void {
    if (dump === undefined) this.views.delete(id);
    else this.views.set(id, dump);
  }

  handle(info: RequestInfo, url: URL, reply: (c: number, b: unknown) => void): void {
    if (info.namespace !== 'istio-system' || !/^istiod(:15014|:http-monitoring)?$/.test(info.name ?? '')) {
      // As kube-apiserver answers a Service without v1 Endpoints: the name without scheme and port.
      const svc = (info.name ?? '').replace(/^https?:/, '').split(':')[0];
      return reply(404, status(404, 'NotFound', `services "${svc}" not found`, { name: svc, kind: 'services' }));
    }
    const sub = info.proxyPath ?? '';
    if (sub === 'debug/config_dump') {
      const id = url.searchParams.get('proxyID') ?? '';
      const view = this.view(id);
      if (view === null) return reply(404, 'Proxy not connected to this Pilot instance');
      return reply(200, view);
    }
    if (sub === 'debug/syncz') return reply(200, this.syncz());
    return reply(404, status(404, 'NotFound', `istiod has no debug endpoint /${sub}`));
  }

  /** istiod's view of a proxy: the override if set, else what the proxy runs. null = not connected. */
  private view(id: string): unknown | null {
    if (this.views.has(id)) return this.views.get(id) ?? null;
    const dot = id.lastIndexOf('.');
    const data = this.envoy.proxies.get(`${id.slice(dot + 1)}/${id.slice(0, dot)}`);
    const body = data && proxyBody(data, 'configDump');
    return body === undefined ? null : JSON.parse(body);
  }

  private syncz(): Record<string, string>[] {
    const out: Record<string, string>[] = [];
    for (const k of [...this.envoy.proxies.keys()].sort()) {
      const [ns, pod] = k.split('/');
      const id = `${pod}.${ns}`;
      const view = this.view(id);
      if (view === null) continue;
      const body = proxyBody(this.envoy.proxies.get(k)!, 'configDump');
      const actual = body ? JSON.parse(body) : undefined;
      const row: Record<string, string> = { cluster_id: this.clusterId, proxy: id, proxy_type: pod.includes('gateway') ? 'router' : 'sidecar', istio_version: '1.22.0' };
      for (const [key, section] of [['cluster', 'ClustersConfigDump'], ['listener', 'ListenersConfigDump'], ['route', 'RoutesConfigDump'], ['endpoint', 'EndpointsConfigDump']] as const) {
        const a = sectionOf(view, section), b = sectionOf(actual, section);
        row[`${key}_sent`] = a === undefined ? '' : 'nonce-2';
        row[`${key}_acked`] = a === undefined ? '' : a === b ? 'nonce-2' : 'nonce-1';
      }
      out.push(row);
    }
    return out;
  }
}

/** One section of a config dump without its timestamps and versions, as text to compare. */
function sectionOf(dump: unknown, type: string): string | undefined {
  const configs = (dump as { configs?: { '@type'?: string }[] } | null)?.configs;
  const s = configs?.find((c) => c['@type']?.endsWith(type)) as Record<string, unknown> | undefined;
  if (!s) return undefined;
  const strip = (v: unknown): unknown => Array.isArray(v) ? v.map(strip)
    : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).filter(([k]) => k !== 'last_updated' && k !== 'version_info').map(([k, x]) => [k, strip(x)])) : v;
  return JSON.stringify(strip(s));
}
