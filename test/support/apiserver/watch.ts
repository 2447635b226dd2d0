// Watches as kube-apiserver v1.21 serves them (../shared/conformance/kube-apiserver/06-watch): newline-delimited
// events; ADDED for every object when no resourceVersion is given; a resourceVersion older than the store's history is
// one 410 ERROR event; selectors turn changes into or out of the selection into ADDED and DELETED (the previous state
// with the new resourceVersion); with allowWatchBookmarks a BOOKMARK comes 2 s before the timeout, only when the store
// has seen a change of the resource newer than the watch's position.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KubeObject } from '../../../src/model/resources.js';
import type { FaultRule, RequestInfo } from './faults.js';
import type { ObjectStore, ResourceType, WatchEvent } from './store.js';
import { selectorFilter } from './selectors.js';
import { status } from './status.js';

export interface WatchRequest {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  t: ResourceType;
  info: RequestInfo;
  store: ObjectStore;
  withVersion: (o: KubeObject) => KubeObject;
  /** Answers a JSON body when the watch is refused before it starts. */
  reply: (code: number, body: unknown) => void;
  /** Called with true when the stream opens, false when it ends. */
  track: (open: boolean) => void;
  rule?: FaultRule;
}

type Out = { type: string; object: KubeObject };

export function serveWatch(w: WatchRequest): void {
  const { res, url, t, info, store } = w;
  const rvParam = url.searchParams.get('resourceVersion') ?? '';
  if (rvParam !== '' && !/^\d+$/.test(rvParam)) {
    // A Status without a reason, as kube-apiserver writes it.
    return w.reply(500, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `resourceVersion: Invalid value: "${rvParam}": strconv.ParseUint: parsing "${rvParam}": invalid syntax`, code: 500 });
  }
  const select = selectorFilter(url, t);
  if (typeof select !== 'function') return w.reply(400, status(400, 'BadRequest', select.badRequest));
  res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
  res.flushHeaders(); // as kube-apiserver does: the client knows the watch is open before any event
  const write = (o: Out) => res.write(`${JSON.stringify({ type: o.type, object: w.withVersion(o.object) })}\n`);
  const since = Number(rvParam || 0);
  if (since > 0 && since < store.oldestResourceVersion) {
    res.end(`${JSON.stringify({ type: 'ERROR', object: status(410, 'Expired', `too old resource version: ${since} (${store.oldestResourceVersion})`) })}\n`);
    return;
  }
  let latest = 0;
  const send = (e: WatchEvent) => {
    latest = Math.max(latest, e.rv);
    const out = selected(e, select);
    if (out) write(out);
  };
  if (since > 0) for (const e of store.eventsSince(t, since, info.namespace)) send(e);
  else for (const o of store.list(t, info.namespace)) if (select(o)) write({ type: 'ADDED', object: o });
  const off = store.subscribe(t, info.namespace, send);
  const timeoutSeconds = Number(url.searchParams.get('timeoutSeconds') ?? 0);
  const timers: NodeJS.Timeout[] = [];
  const end = () => { off(); timers.forEach(clearTimeout); w.track(false); if (!res.writableEnded) res.end(); };
  w.track(true);
  if (timeoutSeconds > 0) timers.push(setTimeout(end, timeoutSeconds * 1000));
  if (url.searchParams.get('allowWatchBookmarks') === 'true' && timeoutSeconds > 2) {
    const start = since || Number(store.resourceVersion);
    timers.push(setTimeout(() => {
      if (latest > start) write({ type: 'BOOKMARK', object: { apiVersion: t.group ? `${t.group}/${info.version}` : 'v1', kind: t.kind, metadata: { resourceVersion: String(latest) } } as KubeObject });
    }, (timeoutSeconds - 2) * 1000));
  }
  if (w.rule?.dropWatchAfterMs !== undefined) timers.push(setTimeout(() => { end(); res.socket?.destroy(); }, w.rule.dropWatchAfterMs));
  w.req.on('close', end);
}

/** The event a selecting watch sees for a change: moves into the selection are ADDED, moves out DELETED. */
function selected(e: WatchEvent, select: (o: KubeObject) => boolean): Out | undefined {
  const now = select(e.object);
  if (e.type !== 'MODIFIED' || !e.prev) return now ? { type: e.type, object: e.object } : undefined;
  const before = select(e.prev);
  if (now) return { type: before ? 'MODIFIED' : 'ADDED', object: e.object };
  if (!before) return undefined;
  return { type: 'DELETED', object: { ...e.prev, metadata: { ...e.prev.metadata, resourceVersion: e.object.metadata.resourceVersion } } };
}
