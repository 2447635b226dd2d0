// --watch: keeps loaded live contexts current through watches. Objects are replaced in place (same kind/ns/name keeps
// its position, so node ids stay stable) and every change is reported with its time. A dropped watch resumes from the
// last resourceVersion after a capped backoff; a 410 Gone re-lists. While a watch is down the snapshot says so
// (ContextSnapshot.stale, with the reason) until it is back. stop() aborts everything: requests, timers, relists.
import type { ContextSnapshot } from '../../model/context.js';
import type { KubeObject } from '../../model/resources.js';
import { liveStateOf } from './load.js';
import { listPath, normalizeItem, type LiveKind } from './kinds.js';
import { listAll } from './list.js';
import { admitLive } from './validate.js';

export interface LiveChange {
  context: string;
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: KubeObject;
  time: Date;
}

export interface WatchHandle { stop(): void }

const sameObject = (a: KubeObject, b: KubeObject) =>
  a.kind === b.kind && a.metadata.name === b.metadata.name && (a.metadata.namespace ?? '') === (b.metadata.namespace ?? '');

export function applyChange(snap: ContextSnapshot, type: LiveChange['type'], obj: KubeObject): boolean {
  const i = snap.objects.findIndex((o) => sameObject(o.obj, obj));
  if (type === 'DELETED') { if (i < 0) return false; snap.objects.splice(i, 1); return true; }
  if (i >= 0) {
    if (snap.objects[i].obj.metadata.resourceVersion === obj.metadata.resourceVersion) return false;
    snap.objects[i] = { obj, origin: snap.objects[i].origin };
  } else snap.objects.push({ obj, origin: { context: snap.name } });
  return true;
}

/** Starts one watch per kind per live context. Contexts that failed to load are skipped. */
export function watchLiveContexts(snaps: ContextSnapshot[], onChange: (c: LiveChange) => void, opts: { maxBackoffMs?: number; onError?: (context: string, reason: string) => void } = {}): WatchHandle {
  const stops: (() => void)[] = [];
  let stopped = false;
  for (const snap of snaps) {
    const state = liveStateOf(snap);
    if (!state) continue;
    const down = new Map<string, string>();
    const markDown = (kind: string, reason: string) => {
      down.set(kind, reason);
      snap.stale ??= { since: new Date(), reason: `watch of ${kind} down: ${reason}` };
    };
    const markUp = (kind: string) => {
      if (!down.delete(kind)) return;
      const next = [...down][0];
      if (next) snap.stale = { since: snap.stale?.since ?? new Date(), reason: `watch of ${next[0]} down: ${next[1]}` };
      else delete snap.stale;
    };
    for (const k of state.kinds) {
      if (k.kind === 'Namespace' && state.namespace) continue;
      let rv = state.resourceVersions.get(k.kind);
      let failures = 0;
      let stop: (() => void) | undefined;
      let timer: NodeJS.Timeout | undefined;
      const apiVersion = k.group ? `${k.group}/${k.version}` : k.version;
      const start = async (): Promise<void> => {
        if (stopped) return;
        try {
          if (!rv) rv = await relist(snap, k, state.namespace);
          if (stopped) return;
          stop = await state.client.watch(listPath(k, state.namespace), { resourceVersion: rv, allowWatchBookmarks: true }, (type, raw) => {
            failures = 0;
            const obj = normalizeItem(k, apiVersion, raw);
            if (obj.metadata?.resourceVersion) rv = obj.metadata.resourceVersion;
            if (type === 'BOOKMARK') return;
            if (type === 'ERROR') { if ((raw as { code?: number }).code === 410) rv = undefined; return; }
            // An object with fields of the wrong type is skipped (its earlier version too), with a located issue.
            const t = (type !== 'DELETED' && !admitLive(snap, obj) ? 'DELETED' : type) as LiveChange['type'];
            if (applyChange(snap, t, obj)) {
              const time = new Date();
              snap.updatedAt = time;
              onChange({ context: snap.name, type: t, object: obj, time });
            }
          }, (err) => {
            if (stopped) return;
            if (err) { failures++; markDown(k.kind, err.reason); opts.onError?.(snap.name, err.reason); }
            if (err?.status === 410) rv = undefined;
            timer = setTimeout(() => void start(), Math.min(opts.maxBackoffMs ?? 5000, 100 * 2 ** Math.min(failures, 8)));
          }, () => markUp(k.kind));
          if (stopped) stop();
        } catch (err) {
          failures++;
          const reason = err instanceof Error ? err.message : String(err);
          markDown(k.kind, reason);
          opts.onError?.(snap.name, reason);
          if (!stopped) timer = setTimeout(() => void start(), Math.min(opts.maxBackoffMs ?? 5000, 100 * 2 ** Math.min(failures, 8)));
        }
      };
      void start();
      stops.push(() => { clearTimeout(timer); stop?.(); });
    }
  }
  return { stop() { stopped = true; for (const s of stops) s(); } };
}

/** Re-lists a kind after a 410: replaces that kind's objects and returns the new resourceVersion. */
async function relist(snap: ContextSnapshot, k: LiveKind, namespace?: string): Promise<string | undefined> {
  const state = liveStateOf(snap)!;
  const r = await listAll(state.client, k, namespace);
  const fresh = new Map(r.items.map((o) => [`${o.metadata.namespace ?? ''}/${o.metadata.name}`, o]));
  snap.objects = snap.objects.filter((o) => o.obj.kind !== k.kind || fresh.has(`${o.obj.metadata.namespace ?? ''}/${o.obj.metadata.name}`));
  for (const o of r.items) applyChange(snap, admitLive(snap, o) ? 'MODIFIED' : 'DELETED', o);
  return r.resourceVersion;
}
