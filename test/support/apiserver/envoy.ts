// A tiny fake Envoy admin (HTTP/1.1 on 127.0.0.1) that the port-forward relays to. One listener serves every pod:
// the API server registers each relay connection's local port so the admin knows which pod's dump to answer with.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';

export interface ProxyData {
  /** JSON text (or a value to serialise) of /config_dump?include_eds=true. */
  configDump?: unknown;
  configDumpFile?: string;
  clusters?: unknown;
  clustersFile?: string;
  /** Answer every admin request with this HTTP status (fault injection). */
  status?: number;
  /** Answers first when it returns something (dynamic config and /stats, see envoy-mesh.ts). */
  handler?: (url: URL) => { status: number; body: string } | undefined;
}

export function proxyBody(d: ProxyData, which: 'configDump' | 'clusters'): string | undefined {
  const file = which === 'configDump' ? d.configDumpFile : d.clustersFile;
  if (file) return readFileSync(file, 'utf8');
  const v = d[which];
  if (v === undefined) return undefined;
  return typeof v === 'string' ? v : JSON.stringify(v, null, 1);
}

export class FakeEnvoyAdmin {
  readonly proxies = new Map<string, ProxyData>();
  /** local port of a relay connection → "ns/pod" */
  readonly connections = new Map<number, string>();
  readonly requests: { pod: string; path: string }[] = [];
  private server: Server;
  port = 0;

  constructor() {
    this.server = createServer((req, res) => {
      const pod = this.connections.get(req.socket.remotePort ?? -1) ?? '';
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      this.requests.push({ pod, path: req.url ?? '' });
      const data = this.proxies.get(pod);
      const reply = (status: number, body: string, type = 'application/json') => {
        res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
        res.end(body);
      };
      if (!data) return reply(404, `no proxy ${pod}\n`, 'text/plain');
      if (data.status) return reply(data.status, 'admin failure\n', 'text/plain');
      const handled = data.handler?.(url);
      if (handled) return reply(handled.status, handled.body);
      if (url.pathname === '/config_dump') {
        const body = proxyBody(data, 'configDump');
        return body === undefined ? reply(404, 'no config dump\n', 'text/plain') : reply(200, body);
      }
      if (url.pathname === '/clusters') {
        const body = proxyBody(data, 'clusters');
        return body === undefined ? reply(404, 'no clusters\n', 'text/plain') : reply(200, body);
      }
      return reply(404, 'invalid path\n', 'text/plain');
    });
    this.server.keepAliveTimeout = 100;
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
