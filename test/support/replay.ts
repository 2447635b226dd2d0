// A tiny HTTPS server that answers with recorded kube-apiserver exchanges (../shared/conformance/kube-apiserver) byte
// for byte: status, Content-Type and body; a watch answer in its recorded chunks (optionally cut in the middle of an
// event, to test the client's framing); a WebSocket upgrade refused as recorded. Requests are kept for assertions.
import { createServer, type Server } from 'node:https';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { testCertificate } from './apiserver/certs.js';
import { kubeconfigYaml } from './apiserver/index.js';
import { KUBE_APISERVER } from './paths.js';

export interface Exchange {
  id: string;
  request: { method: string; path: string; query: string; body: string | null; identity: string };
  response: { status: number; reason_phrase?: string; headers: Record<string, string>; body: string; chunks?: { data: string }[] };
}
export interface SeenRequest { method: string; path: string; params: URLSearchParams; headers: Record<string, string | string[] | undefined>; body: string }
export type Served = string | { id: string; match?: (r: SeenRequest) => boolean; splitChunks?: boolean };

export const readExchange = (id: string) => JSON.parse(readFileSync(join(KUBE_APISERVER, `${id}.json`), 'utf8')) as Exchange;

/** Query parameters, order-free; watch=1 and watch=true are the same to kube-apiserver. */
const params = (q: URLSearchParams | string) => [...new URLSearchParams(q)].map(([k, v]) => `${k}=${k === 'watch' && v === '1' ? 'true' : v}`).sort().join('&');

export interface Replay {
  /** A kubeconfig with one context, `recorded`, naming the server. */
  kubeconfig: string;
  requests: SeenRequest[];
  /** Answers from these exchanges from now on (the first that matches a request). */
  serve(entries: Served[]): void;
  close(): Promise<void>;
}

export async function startReplay(): Promise<Replay> {
  let served: { e: Exchange; match: (r: SeenRequest) => boolean; split: boolean }[] = [];
  const requests: SeenRequest[] = [];
  const find = (r: SeenRequest) => served.find((s) => s.match(r));
  const tls = testCertificate();
  const server: Server = createServer({ cert: tls.cert, key: tls.key }, (req, res) => {
    const url = new URL(req.url ?? '/', 'https://x');
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => { body += c; });
    req.on('end', () => {
      const seen: SeenRequest = { method: req.method ?? 'GET', path: url.pathname, params: url.searchParams, headers: req.headers, body };
      requests.push(seen);
      const s = find(seen);
      if (!s) { res.writeHead(599, { 'content-type': 'text/plain' }); res.end(`no recorded answer for ${req.method} ${url.pathname}${url.search}`); return; }
      const r = s.e.response;
      res.writeHead(r.status, { 'content-type': r.headers['Content-Type'] ?? 'application/json' });
      if (!r.chunks) { res.end(r.body); return; }
      // A watch: each recorded chunk on its own write, or cut in two (an event split across reads).
      const parts = r.chunks.flatMap((c) => (s.split ? [c.data.slice(0, c.data.length >> 1), c.data.slice(c.data.length >> 1)] : [c.data]));
      const next = () => {
        const p = parts.shift();
        if (p === undefined) { res.end(); return; }
        res.write(p);
        setTimeout(next, 5);
      };
      next();
    });
  });
  server.on('upgrade', (req, socket: Duplex) => {
    const url = new URL(req.url ?? '/', 'https://x');
    const seen: SeenRequest = { method: req.method ?? 'GET', path: url.pathname, params: url.searchParams, headers: req.headers, body: '' };
    requests.push(seen);
    const s = find(seen);
    const r = s?.e.response ?? { status: 599, reason_phrase: 'No Recording', headers: { 'Content-Type': 'text/plain' }, body: 'no recorded answer' };
    socket.end(`HTTP/1.1 ${r.status} ${r.reason_phrase ?? ''}\r\nContent-Type: ${r.headers['Content-Type'] ?? r.headers['content-type'] ?? 'application/json'}\r\nContent-Length: ${Buffer.byteLength(r.body)}\r\nConnection: close\r\n\r\n${r.body}`);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const dir = mkdtempSync(join(tmpdir(), 'meshscope-replay-'));
  const kubeconfig = join(dir, 'config');
  writeFileSync(kubeconfig, kubeconfigYaml([{ context: 'recorded', server: `https://127.0.0.1:${port}`, caPem: tls.cert }]));
  return {
    kubeconfig, requests,
    serve(entries) {
      served = entries.map((x) => {
        const { id, match, splitChunks } = typeof x === 'string' ? { id: x, match: undefined, splitChunks: false } : x;
        const e = readExchange(id);
        const same = (r: SeenRequest) => r.method === e.request.method && r.path === e.request.path && params(r.params) === params(e.request.query);
        return { e, match: match ?? same, split: Boolean(splitChunks) };
      });
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
