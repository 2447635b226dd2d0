// `--watch` in the TUI session: one watch per live context keeps its objects current; each change marks the node of
// the object it touched (until `r`) and is announced in the header notice.
import type { ContextSnapshot } from '../model/context.js';
import { objectId } from '../mesh/objects.js';
import type { MeshData } from '../ui/types.js';
import type { LiveChange, WatchHandle } from '../sources/kube/watch.js';
import { hms, type Live } from './live-sources.js';

const VERB: Record<LiveChange['type'], string> = { ADDED: 'added', MODIFIED: 'changed', DELETED: 'deleted' };

/** What the watches need from the session that owns the contexts. */
export interface WatchHost {
  stopped(): boolean;
  loaded(context: string): boolean;
  setNotice(notice: MeshData['notice']): void;
  /** Objects changed: re-join after `delayMs` (bursts coalesce). */
  rebuild(delayMs: number): void;
  /** A watch failed: the header shows the context as stale. */
  emit(): void;
}

export class WatchMarks {
  /** node id → "changed 10:01:02" */
  private readonly marks = new Map<string, string>();
  private readonly watches = new Map<string, WatchHandle>();
  private changeCount = 0;

  constructor(private readonly host: WatchHost) {}

  /** Starts (or restarts) the watch of one loaded context. */
  watch(live: Live, name: string, snap: ContextSnapshot): void {
    this.watches.get(name)?.stop();
    this.watches.set(name, live.watch.watchLiveContexts([snap], (c) => this.onChange(c), { onError: () => this.host.emit() }));
  }

  private onChange(c: LiveChange): void {
    if (this.host.stopped() || !this.host.loaded(c.context)) return;
    const o = c.object;
    const what = `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`;
    if (o.kind !== 'EndpointSlice') {
      if (c.type !== 'DELETED') this.marks.set(objectId(c.context, o.kind, o.metadata.namespace, o.metadata.name), `${VERB[c.type]} ${hms(c.time)}`);
      const n = ++this.changeCount;
      this.host.setNotice({ text: `${what} ${VERB[c.type]} ${hms(c.time)} @${c.context}${n > 1 ? ` (+${n - 1} more changes)` : ''}`, kind: 'info' });
    }
    this.host.rebuild(100);
  }

  markOf(id: string): string | undefined { return this.marks.get(id); }

  /** A copy for MeshData, or undefined when nothing changed. */
  current(): Map<string, string> | undefined {
    return this.marks.size > 0 ? new Map(this.marks) : undefined;
  }

  /** `r`: marks and the change count start over. */
  clear(): void {
    this.marks.clear();
    this.changeCount = 0;
  }

  /** A removed context: its watch stops and its marks go. */
  forget(context: string): void {
    this.watches.get(context)?.stop();
    this.watches.delete(context);
    for (const id of this.marks.keys()) if (id.startsWith(`${context}/`)) this.marks.delete(id);
  }

  stop(): void {
    for (const w of this.watches.values()) w.stop();
    this.watches.clear();
  }
}
