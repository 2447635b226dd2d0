// The kube-apiserver transcripts of ../shared/conformance/kube-apiserver: loading them, sending a recorded request
// to a test API server, and comparing objects by structure (server-set values masked).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'node:https';
import type { TestApiServer } from './apiserver/index.js';
import { KUBE_APISERVER } from './paths.js';

export interface Exchange {
  id: string;
  captured_at: string;
  /** Writes made while a watch was open (06-watch), `at_ms` after it started. */
  during_watch?: { at_ms: number; method: string; path: string; status: number; body: unknown }[];
  request: { method: string; path: string; query: string; identity: string; headers: Record<string, string>; body: string | null };
  response: { status: number; headers: Record<string, string>; body: string };
}
interface IndexEntry { id: string; file: string }

export function loadExchanges(): Exchange[] {
  const index = JSON.parse(readFileSync(join(KUBE_APISERVER, 'index.json'), 'utf8')) as { exchanges: IndexEntry[] };
  return index.exchanges.map((e) => JSON.parse(readFileSync(join(KUBE_APISERVER, e.file), 'utf8')) as Exchange);
}

/** A header of the recording, whatever its case (the WebSocket exchanges record lower-case names). */
export function header(h: Record<string, unknown>, name: string): string | undefined {
  const k = Object.keys(h).find((x) => x.toLowerCase() === name.toLowerCase());
  return k === undefined ? undefined : String(h[k]);
}

const PASSED = ['content-type', 'user-agent', 'connection', 'upgrade', 'sec-websocket-version', 'sec-websocket-key', 'sec-websocket-protocol', 'x-stream-protocol-version'];

export interface Answer { status: number; contentType: string; body: string }

/** Sends the recorded request (as the recorded identity; `body` replaces the recorded body) and reads the answer. */
export function replay(srv: TestApiServer, e: Exchange, body = e.request.body, opts: { query?: string; onResponse?: () => void } = {}): Promise<Answer> {
  const token = e.request.identity === 'viewer' ? 'token-viewer' : 'token-admin';
  const headers: Record<string, string> = { Accept: header(e.request.headers, 'accept') ?? '*/*', Authorization: `Bearer ${token}` };
  for (const name of PASSED) { const v = header(e.request.headers, name); if (v !== undefined) headers[name] = v; }
  // Node sends a DELETE body without framing unless told its length.
  if (body) headers['content-length'] = String(Buffer.byteLength(body));
  return new Promise((resolve, reject) => {
    const query = opts.query ?? e.request.query;
    const req = request(`${srv.url}${e.request.path}${query ? `?${query}` : ''}`, { method: e.request.method, ca: srv.caPem, headers }, (res) => {
      opts.onResponse?.();
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { text += c; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), body: text }));
    });
    req.on('error', reject);
    req.end(body ?? undefined);
  });
}

type Json = Record<string, unknown>;

/** Sorted keys, so that two objects compare whatever order their fields were written in. */
export function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical((v as Json)[k])]));
  return v;
}

/**
 * An object with what differs on every run masked (README "Using it against a fake"): uid, resourceVersion,
 * timestamps and the generateName suffix become markers (their presence still counts); managedFields are left out.
 */
export function structure(o: Json): unknown {
  const meta = { ...((o.metadata ?? {}) as Json) };
  for (const k of ['uid', 'resourceVersion', 'creationTimestamp', 'deletionTimestamp']) if (typeof meta[k] === 'string') meta[k] = `<${k}>`;
  delete meta.managedFields;
  if (typeof meta.generateName === 'string' && typeof meta.name === 'string') meta.name = `${meta.generateName}<suffix>`;
  return canonical({ ...o, metadata: meta });
}

export const STATUS_FIELDS = ['kind', 'apiVersion', 'status', 'message', 'reason', 'details', 'code'];
