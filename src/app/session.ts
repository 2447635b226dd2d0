// The TUI's data provider. It owns the loaded contexts (live clusters or a snapshot folder), re-joins the mesh when
// they change and hands the app new MeshData. Live: every context loads on its own and appears as it finishes
// (the header shows its progress); `:ctx` adds and removes contexts; `r` re-lists. A pod's proxy is fetched when its
// views are opened (proxy-queue.ts); `--watch` keeps objects current and marks what changed (watch.ts).
// The I/O itself is in src/sources; these files only schedule it and keep node ids stable.
import type { GlobalOptions } from '../core/options.js';
import type { ContextSnapshot, MeshInput } from '../model/context.js';
import type { Mesh } from '../mesh/join.js';
import type { TreeNode } from '../mesh/tree-types.js';
import { markProxyErrors } from '../mesh/proxy-errors.js';
import type { ContextInfo, Flash, MeshData, NodeDetails, ProxyOp } from '../ui/types.js';
import { resolveLimits, type Limits } from '../sources/limits.js';
import { contextInfo, meshData } from './data-adapter.js';
import { errText, hms, openLive, type Live } from './live-sources.js';
import { podOf, ProxyFetches } from './proxy-queue.js';
import { WatchMarks } from './watch.js';

export interface SessionDeps {
  yaml: typeof import('yaml');
  views: typeof import('../model/envoy/views.js');
  join: typeof import('../mesh/join.js');
  tree: typeof import('../mesh/tree.js');
}

export interface SessionUpdate {
  data: MeshData;
  input: MeshInput;
  mesh: Mesh;
  /** false when only the header or a pod's fetch state changed (same tree). */
  meshChanged: boolean;
}

export class TuiSession {
  private readonly snaps = new Map<string, ContextSnapshot>();
  /** Contexts (re)loading right now: the header shows these while the tree keeps the last loaded state. */
  private readonly progress = new Map<string, ContextSnapshot>();
  private readonly gens = new Map<string, number>();
  private readonly listeners = new Set<(u: SessionUpdate) => void>();
  private active: string[] = [];
  private choices: string[] = [];
  private input: MeshInput = { contexts: [] };
  private mesh!: Mesh;
  private base!: MeshData;
  private current!: MeshData;
  private notice?: MeshData['notice'];
  private status?: MeshData['status'];
  private live?: Live;
  /** Live only. */
  private proxies?: ProxyFetches;
  private readonly marks: WatchMarks;
  private rebuildTimer?: NodeJS.Timeout;
  private emitTimer?: NodeJS.Timeout;
  private stopped = false;
  private readonly limits: Limits;

  private constructor(private readonly globals: GlobalOptions, private readonly deps: SessionDeps) {
    this.limits = resolveLimits(globals);
    this.marks = new WatchMarks({
      stopped: () => this.stopped,
      loaded: (context) => this.snaps.get(context) !== undefined,
      setNotice: (notice) => { this.notice = notice; },
      rebuild: (delayMs) => this.scheduleRebuild(delayMs),
      emit: () => this.scheduleEmit(),
    });
  }

  /** Reads a snapshot folder, or resolves the live contexts (a bad --context or kubeconfig throws before any UI). */
  static async open(globals: GlobalOptions, deps: SessionDeps): Promise<TuiSession> {
    const s = new TuiSession(globals, deps);
    if (globals.fixtures) {
      const [{ loadMesh }, snapshot] = await Promise.all([import('../sources/load.js'), import('../sources/snapshot.js')]);
      const input = await loadMesh(globals);
      for (const c of input.contexts) s.snaps.set(c.name, c);
      s.active = input.contexts.map((c) => c.name);
      s.choices = await snapshot.snapshotContextNames(globals.fixtures).catch(() => s.active);
    } else {
      const { live, names } = await openLive(globals);
      s.live = live;
      s.proxies = new ProxyFetches({
        live, limits: s.limits,
        stopped: () => s.stopped,
        snapshot: (context) => s.snaps.get(context),
        setNotice: (notice) => { s.notice = notice; },
        rebuild: () => s.scheduleRebuild(),
        emit: (delayMs) => s.scheduleEmit(delayMs),
      });
      s.active = names;
      s.choices = live.kubeconfig.contexts.map((c) => c.name);
      for (const n of names) s.progress.set(n, s.placeholder(n));
    }
    s.rebuildNow(false);
    return s;
  }

  /** Live: starts loading every selected context (each appears as it finishes). */
  start(): void {
    for (const n of this.active) if (this.live) this.loadLive(n);
    if (this.globals.watch && !this.live) this.notice = { text: '--watch applies to live clusters; r re-reads the folder', kind: 'info' };
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.rebuildTimer);
    clearTimeout(this.emitTimer);
    this.marks.stop();
  }

  data(): MeshData { return this.current; }

  /** Fetches these pods' proxies now and again after each re-list (a proxy that never converged shows its drift). */
  watchProxies(pods: { context: string; namespace: string; pod: string }[]): void {
    if (!this.proxies) return;
    for (const p of pods) {
      const obj = this.snaps.get(p.context)?.objects.find((o) => o.obj.kind === 'Pod' && o.obj.metadata.name === p.pod && o.obj.metadata.namespace === p.namespace)?.obj;
      this.proxies.op({ context: p.context, namespace: p.namespace, name: p.pod, obj, hasProxy: true }, 'open');
    }
  }

  /** The status line under the flash (a convergence wait's progress); undefined clears it. */
  setStatus(status: MeshData['status']): void {
    this.status = status;
    this.scheduleEmit(0);
  }
  currentInput(): MeshInput { return this.input; }
  currentMesh(): Mesh { return this.mesh; }

  onUpdate(fn: (u: SessionUpdate) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  // ---------------- building MeshData ----------------

  private placeholder(name: string): ContextSnapshot {
    const source = this.live ? { kind: 'live' as const } : { kind: 'snapshot' as const, path: this.globals.fixtures ?? '' };
    return { name, source, objects: [], proxies: [], issues: [], status: 'loading' };
  }

  private rebuildNow(notify = true): void {
    clearTimeout(this.rebuildTimer);
    this.rebuildTimer = undefined;
    this.input = { contexts: this.active.map((n) => this.snaps.get(n)).filter((c): c is ContextSnapshot => c !== undefined) };
    this.mesh = this.deps.join.joinMesh(this.input);
    const roots = this.deps.tree.buildMeshTree(this.mesh);
    markProxyErrors(roots, this.mesh);
    this.base = meshData(this.input, this.mesh, roots, {
      source: this.globals.fixtures ?? 'live', readOnly: this.globals.readOnly, refresh: () => this.refresh(),
      yaml: this.deps.yaml, views: this.deps.views,
    });
    this.emit(true, notify);
  }

  /** Coalesces bursts (progress events, watch storms) into one re-join. */
  private scheduleRebuild(delayMs = 0): void {
    if (this.stopped || this.rebuildTimer) return;
    this.rebuildTimer = setTimeout(() => this.rebuildNow(), delayMs);
  }

  /** Same tree, new header or fetch state: at most one frame per 50 ms (progress events come in bursts); 0 = next turn. */
  private scheduleEmit(delayMs = 50): void {
    if (this.stopped || this.rebuildTimer) return;
    if (this.emitTimer) {
      if (delayMs > 0) return;
      clearTimeout(this.emitTimer);
    }
    this.emitTimer = setTimeout(() => {
      this.emitTimer = undefined;
      if (!this.rebuildTimer) this.emit(false); // a pending re-join emits the header with its tree
    }, delayMs);
  }

  private emit(meshChanged: boolean, notify = true): void {
    clearTimeout(this.emitTimer);
    this.emitTimer = undefined;
    const base = this.base;
    this.current = {
      ...base,
      contexts: this.headerContexts(),
      contextChoices: this.choices,
      setContext: (name, on) => this.setContext(name, on),
      proxy: (node, op) => this.proxyOp(node, op),
      marks: this.marks.current(),
      notice: this.notice,
      status: this.status,
      details: (node) => this.details(node, base),
    };
    if (!notify || this.stopped) return;
    for (const fn of this.listeners) fn({ data: this.current, input: this.input, mesh: this.mesh, meshChanged });
  }

  private headerContexts(): ContextInfo[] {
    const out: ContextInfo[] = [];
    for (const n of this.active) {
      const loading = this.progress.get(n);
      // Until its tree is built, a context stays "loading" in the header (its snapshot may already say ok).
      if (loading) { out.push({ name: n, status: 'loading' }); continue; }
      const snap = this.snaps.get(n);
      if (!snap) continue;
      const info = contextInfo(snap);
      if (snap.stale && info.status === 'ok') out.push({ ...info, status: 'partial', reason: `watch down since ${hms(snap.stale.since)}: ${snap.stale.reason}` });
      else out.push(info);
    }
    return out;
  }

  private details(node: TreeNode, base: MeshData): NodeDetails {
    const d = base.details(node);
    const mark = this.marks.markOf(node.id);
    if (mark) (d.notes ??= []).push(`watch: ${mark}`);
    if (node.kind !== 'Pod' && node.kind !== 'proxy') return d;
    const pod = podOf(node, this.mesh);
    if (!pod?.hasProxy) return d;
    if (!this.proxies) {
      d.proxyStatus = { note: "not available offline: it compares istiod's view (read from a live cluster) with Envoy's" };
      return d;
    }
    this.proxies.describe(pod, d);
    return d;
  }

  private proxyOp(node: TreeNode, op: ProxyOp): Flash {
    const pod = podOf(node, this.mesh);
    const quiet = op === 'auto';
    if (!pod) return quiet ? undefined : { text: `${node.label}: not a pod`, kind: 'info' };
    if (!this.proxies) {
      if (op === 'auto' || op === 'open') return undefined;
      return { text: op === 'reload' ? 'snapshot: the Envoy dumps are files in the folder; r re-reads it' : "proxy-status is not available offline: it reads istiod's view from a live cluster", kind: 'info' };
    }
    return this.proxies.op(pod, op);
  }

  // ---------------- contexts ----------------

  private loadLive(name: string): void {
    const live = this.live!;
    const gen = (this.gens.get(name) ?? 0) + 1;
    this.gens.set(name, gen);
    this.progress.set(name, this.placeholder(name));
    const current = () => gen === this.gens.get(name) && this.active.includes(name) && !this.stopped;
    let adopted = false;
    const adopt = (snap: ContextSnapshot) => {
      if (!current()) return;
      this.progress.delete(name);
      this.snaps.set(name, snap);
      this.scheduleRebuild();
    };
    void live.load.loadLiveContext(live.kubeconfig, name, {
      namespace: this.globals.namespace, requestTimeout: this.globals.requestTimeout, timeoutMs: live.timeoutMs, gatewayProxies: true, limits: this.limits,
      onProgress: (snap) => {
        if (!current()) return;
        if (snap.status === 'loading') { this.progress.set(name, snap); this.scheduleEmit(); }
        else if (!adopted) { adopted = true; adopt(snap); } // objects are in: show them while gateway dumps are read
      },
    }).catch((err: unknown): ContextSnapshot => {
      const snap = this.placeholder(name);
      return { ...snap, status: 'error', reason: errText(err), issues: [{ context: name, severity: 'error', message: errText(err) }] };
    }).then((snap) => {
      if (!current()) return;
      adopt(snap);
      if (this.globals.watch && snap.status !== 'error') this.marks.watch(live, name, snap);
      this.proxies?.refetchOpened(name, snap);
    });
  }

  private setContext(name: string, on: boolean): Flash {
    if (on) {
      if (this.active.includes(name)) return { text: `context ${name} is already loaded`, kind: 'info' };
      if (!this.choices.includes(name)) return { text: `no context "${name}" (available: ${this.choices.join(', ')})`, kind: 'error' };
      this.active.push(name);
      if (this.live) {
        this.loadLive(name);
        this.scheduleEmit();
        return { text: `loading context ${name}…` };
      }
      this.progress.set(name, this.placeholder(name));
      this.scheduleEmit();
      void this.readFolder([name], `context ${name} added`);
      return { text: `reading context ${name} from ${this.globals.fixtures}…` };
    }
    if (!this.active.includes(name)) return { text: `context ${name} is not loaded`, kind: 'error' };
    this.active = this.active.filter((n) => n !== name);
    this.gens.set(name, (this.gens.get(name) ?? 0) + 1);
    this.snaps.delete(name);
    this.progress.delete(name);
    this.marks.forget(name);
    this.proxies?.forget(name);
    this.rebuildNow();
    return { text: `context ${name} removed` };
  }

  /** Snapshot: (re-)reads contexts of the folder; false when the folder could not be read (the old state stays). */
  private async readFolder(names: string[], done: string): Promise<boolean> {
    const { loadSnapshotFolder } = await import('../sources/snapshot.js');
    const gens = names.map((n) => { const g = (this.gens.get(n) ?? 0) + 1; this.gens.set(n, g); return g; });
    try {
      const input = await loadSnapshotFolder(this.globals.fixtures!, { contexts: names, namespace: this.globals.namespace, limits: this.limits });
      input.contexts.forEach((c) => {
        const i = names.indexOf(c.name);
        if (i >= 0 && this.gens.get(c.name) === gens[i] && this.active.includes(c.name)) { this.snaps.set(c.name, c); this.progress.delete(c.name); }
      });
      this.notice = { text: done, kind: 'info' };
      this.rebuildNow();
      return true;
    } catch (err) {
      for (const n of names) {
        this.progress.delete(n);
        if (!this.snaps.has(n)) this.active = this.active.filter((a) => a !== n);
      }
      this.notice = { text: `${this.globals.fixtures}: ${errText(err)}`, kind: 'error' };
      this.emit(false);
      return false;
    }
  }

  /** `r`: live re-lists every context (the tree stays until each one is back); a snapshot re-reads the folder. */
  refresh(): void {
    this.marks.clear();
    if (this.live) {
      for (const n of this.active) this.loadLive(n);
      this.scheduleEmit();
      return;
    }
    const names = [...this.active];
    void this.readFolder(names, `re-read ${this.globals.fixtures} at ${hms(undefined)}`);
  }
}
