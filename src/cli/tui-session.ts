// The TUI's data provider. It owns the loaded contexts (live clusters or a snapshot folder), re-joins the mesh when
// they change and hands the app new MeshData. Live: every context loads on its own and appears as it finishes
// (the header shows its progress); `:ctx` adds and removes contexts; a pod's Envoy config and istiod's view of it are
// fetched when its views are opened (4 at a time, size-capped); `r` re-lists; `--watch` keeps objects current and
// marks what changed. The I/O itself is in src/sources; this file only schedules it and keeps node ids stable.
import type { GlobalOptions } from './global.js';
import type { ContextSnapshot, MeshInput, ProxyDump } from '../model/context.js';
import type { KubeObject } from '../model/resources.js';
import type { Mesh } from '../mesh/join.js';
import { objectId } from '../mesh/model.js';
import type { TreeNode } from '../mesh/tree-types.js';
import type { ContextInfo, Flash, MeshData, NodeDetails, ProxyOp, ProxyStatusInfo } from '../ui/types.js';
import type { MergedKubeconfig } from '../sources/kube/kubeconfig.js';
import { resolveLimits, type Limits } from '../sources/limits.js';
import type { LiveChange, WatchHandle } from '../sources/kube/watch.js';
import { contextInfo, meshData } from './tui.js';

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

interface Live {
  load: typeof import('../sources/kube/load.js');
  watch: typeof import('../sources/kube/watch.js');
  envoy: typeof import('../sources/envoy-admin.js');
  istiod: typeof import('../sources/istiod.js');
  kubeconfig: MergedKubeconfig;
  timeoutMs: number;
}

type FetchState = 'loading' | 'ok' | 'error';

/** On-demand state of one pod's proxy: its Envoy dump fetch, istiod's view of it, and whether its diff is shown. */
interface ProxyEntry {
  context: string;
  namespace: string;
  pod: string;
  envoy?: FetchState;
  envoyGen: number;
  istiod?: { state: FetchState; view?: unknown; error?: string };
  istiodGen: number;
  diff: boolean;
  compared?: { view: unknown; dump: ProxyDump; states: [string, string][]; diff?: string[] };
}

interface PodTarget { context: string; namespace: string; name: string; obj?: KubeObject; hasProxy: boolean }

/** At most `n` tasks at once. */
function limiter(n: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async (task) => {
    if (active >= n) await new Promise<void>((r) => waiting.push(r));
    active++;
    try {
      return await task();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

const hms = (d: Date | undefined) => (d ?? new Date()).toTimeString().slice(0, 8);
const errText = (err: unknown) => (err instanceof Error ? err.message : String(err));
const VERB: Record<LiveChange['type'], string> = { ADDED: 'added', MODIFIED: 'changed', DELETED: 'deleted' };

export class TuiSession {
  private readonly snaps = new Map<string, ContextSnapshot>();
  /** Contexts (re)loading right now: the header shows these while the tree keeps the last loaded state. */
  private readonly progress = new Map<string, ContextSnapshot>();
  private readonly gens = new Map<string, number>();
  private readonly proxies = new Map<string, ProxyEntry>();
  private readonly marks = new Map<string, string>();
  private readonly watches = new Map<string, WatchHandle>();
  private readonly listeners = new Set<(u: SessionUpdate) => void>();
  private active: string[] = [];
  private choices: string[] = [];
  private input: MeshInput = { contexts: [] };
  private mesh!: Mesh;
  private base!: MeshData;
  private current!: MeshData;
  private notice?: MeshData['notice'];
  private changes: LiveChange[] = [];
  private live?: Live;
  private rebuildTimer?: NodeJS.Timeout;
  private emitTimer?: NodeJS.Timeout;
  private stopped = false;
  private readonly run = limiter(4);
  private readonly limits: Limits;

  private constructor(private readonly globals: GlobalOptions, private readonly deps: SessionDeps) {
    this.limits = resolveLimits(globals);
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
      const [load, watch, envoy, istiod, duration] = await Promise.all([
        import('../sources/kube/load.js'), import('../sources/kube/watch.js'), import('../sources/envoy-admin.js'),
        import('../sources/istiod.js'), import('../sources/kube/duration.js'),
      ]);
      const { kubeconfig, names } = load.resolveContexts({ kubeconfig: globals.kubeconfig, contexts: globals.context, allContexts: globals.allContexts });
      s.live = { load, watch, envoy, istiod, kubeconfig, timeoutMs: duration.parseDuration(globals.requestTimeout ?? '10s') };
      s.active = names;
      s.choices = kubeconfig.contexts.map((c) => c.name);
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
    for (const w of this.watches.values()) w.stop();
    this.watches.clear();
  }

  data(): MeshData { return this.current; }
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
      marks: this.marks.size > 0 ? new Map(this.marks) : undefined,
      notice: this.notice,
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
    const mark = this.marks.get(node.id);
    if (mark) (d.notes ??= []).push(`watch: ${mark}`);
    if (node.kind !== 'Pod' && node.kind !== 'proxy') return d;
    const pod = this.podOf(node);
    if (!pod?.hasProxy) return d;
    if (!this.live) {
      d.proxyStatus = { note: "not available offline: it compares istiod's view (read from a live cluster) with Envoy's" };
      return d;
    }
    const e = this.proxies.get(key(pod));
    const dump = this.dumpOf(pod);
    if (e?.envoy === 'loading') d.proxyLoad = { state: 'loading', message: 'loading… Envoy config_dump and clusters over port-forward' };
    else if (dump?.error) d.proxyLoad = { state: 'error', message: `Envoy config: ${dump.error} (R retries)` };
    else if (dump) d.proxyLoad = { state: 'ok', message: `Envoy config read ${hms(dump.fetchedAt)}${dump.clustersError ? `; /clusters: ${dump.clustersError}` : ''} (R refetches)` };
    else d.proxyLoad = { state: 'idle', message: 'Envoy config not fetched yet: Tab, Enter or :pc VIEW POD loads it' };
    d.proxyStatus = this.status(e, dump);
    return d;
  }

  private status(e: ProxyEntry | undefined, dump: ProxyDump | undefined): ProxyStatusInfo {
    const i = e?.istiod;
    if (!i) return { note: "istiod's view loads with the Envoy config (d: diff)" };
    if (i.state === 'loading') return { note: "loading istiod's view…" };
    if (i.state === 'error') return { note: `istiod: ${i.error}` };
    if (!dump || e.envoy === 'loading') return { note: 'waiting for the Envoy config to compare' };
    if (dump.error || dump.configDump === undefined) return { note: 'no Envoy config to compare' };
    const istiod = this.live!.istiod;
    let c = e.compared;
    if (!c || c.view !== i.view || c.dump !== dump) {
      const states = istiod.compareProxy(i.view, dump.configDump);
      c = e.compared = { view: i.view, dump, states: istiod.XDS_TYPES.map((t) => [t, states[t]]) };
    }
    if (e.diff && !c.diff) c.diff = istiod.diffProxy(i.view, dump.configDump).replace(/\n$/, '').split('\n');
    return { states: c.states, note: e.diff ? undefined : 'd: diff', diff: e.diff ? c.diff : undefined };
  }

  // ---------------- pods and their proxies ----------------

  private podOf(node: TreeNode): PodTarget | undefined {
    let context: string | undefined, namespace: string | undefined, name: string | undefined;
    if (node.kind === 'Pod' && node.ref) ({ context, namespace, name } = node.ref);
    else if (node.kind === 'proxy') {
      const p = this.mesh.proxies().find((x) => x.id === node.id);
      if (p) ({ context, namespace, podName: name } = p);
    }
    if (!context || !name) return undefined;
    const pm = this.mesh.pod(context, namespace ?? '', name);
    return { context, namespace: namespace ?? '', name, obj: pm?.lo.obj as KubeObject | undefined, hasProxy: Boolean(pm?.hasSidecar || pm?.proxy) };
  }

  private dumpOf(p: { context: string; namespace: string; name: string }): ProxyDump | undefined {
    return this.snaps.get(p.context)?.proxies.find((d) => d.namespace === p.namespace && d.pod === p.name);
  }

  private proxyOp(node: TreeNode, op: ProxyOp): Flash {
    const pod = this.podOf(node);
    const quiet = op === 'auto';
    if (!pod) return quiet ? undefined : { text: `${node.label}: not a pod`, kind: 'info' };
    if (!this.live) {
      if (op === 'auto' || op === 'open') return undefined;
      return { text: op === 'reload' ? 'snapshot: the Envoy dumps are files in the folder; r re-reads it' : "proxy-status is not available offline: it reads istiod's view from a live cluster", kind: 'info' };
    }
    const where = `${pod.namespace}/${pod.name}`;
    if (!pod.hasProxy) return quiet ? undefined : { text: `pod ${where} has no istio-proxy container`, kind: 'error' };
    const snap = this.snaps.get(pod.context);
    const state = snap && this.live.load.liveStateOf(snap);
    if (!snap || !state) return quiet ? undefined : { text: `context ${pod.context} is not loaded`, kind: 'error' };
    const k = key(pod);
    let e = this.proxies.get(k);
    if (!e) this.proxies.set(k, (e = { context: pod.context, namespace: pod.namespace, pod: pod.name, envoyGen: 0, istiodGen: 0, diff: false }));
    if (op === 'toggle-diff') e.diff = !e.diff;
    if (op === 'show-diff') e.diff = true;
    const needEnvoy = op === 'reload' || (!this.dumpOf(pod) && e.envoy !== 'loading');
    const needIstiod = op === 'reload' || !e.istiod || (e.istiod.state === 'error' && op !== 'auto');
    if (needEnvoy) this.fetchEnvoy(e, snap, pod);
    if (needIstiod) this.fetchIstiod(e, snap);
    this.scheduleEmit(0); // the user acted: show "loading…" (or the diff) at once
    if (op === 'reload') return { text: `refetching the Envoy config and istiod's view of ${where}…` };
    if (op === 'toggle-diff' || op === 'show-diff') return { text: e.diff ? `proxy-status diff of ${where} (d hides)` : 'diff hidden' };
    if (needEnvoy && op === 'open') return { text: `loading the Envoy config of ${where}…` };
    return undefined;
  }

  private fetchEnvoy(e: ProxyEntry, snap: ContextSnapshot, pod: PodTarget): void {
    const live = this.live!;
    const client = live.load.liveStateOf(snap)!.client;
    const gen = ++e.envoyGen;
    e.envoy = 'loading';
    void this.run(() => live.envoy.fetchProxyDump(client, pod.namespace, pod.obj ?? pod.name, { sizeCapBytes: this.limits.maxDumpBytes })).then((dump) => {
      if (gen !== e.envoyGen || this.stopped || this.snaps.get(e.context) !== snap) return;
      dump.context = e.context;
      const at = snap.proxies.findIndex((d) => d.namespace === e.namespace && d.pod === e.pod);
      if (at >= 0) snap.proxies[at] = dump;
      else snap.proxies.push(dump);
      e.envoy = dump.error ? 'error' : 'ok';
      if (dump.error) this.notice = { text: `pod ${e.namespace}/${e.pod}: Envoy config: ${dump.error}`, kind: 'error' };
      this.scheduleRebuild();
    });
  }

  private fetchIstiod(e: ProxyEntry, snap: ContextSnapshot): void {
    const live = this.live!;
    const client = live.load.liveStateOf(snap)!.client;
    const gen = ++e.istiodGen;
    e.istiod = { state: 'loading' };
    void this.run(() => live.istiod.fetchIstiodConfigDump(client, `${e.pod}.${e.namespace}`)).then(
      (view) => ({ state: 'ok' as const, view }),
      (err: unknown) => ({ state: 'error' as const, error: errText(err) }),
    ).then((r) => {
      if (gen !== e.istiodGen || this.stopped) return;
      e.istiod = r;
      this.scheduleEmit();
    });
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
      if (this.globals.watch && snap.status !== 'error') this.startWatch(name, snap);
      this.refetchOpened(name, snap);
    });
  }

  /** After a re-list: pods whose proxy was opened are read again (their dumps went with the old snapshot). */
  private refetchOpened(name: string, snap: ContextSnapshot): void {
    for (const e of this.proxies.values()) {
      if (e.context !== name) continue;
      e.compared = undefined;
      const pod: PodTarget = { context: name, namespace: e.namespace, name: e.pod, hasProxy: true };
      const obj = snap.objects.find((o) => o.obj.kind === 'Pod' && o.obj.metadata.name === e.pod && o.obj.metadata.namespace === e.namespace)?.obj;
      if (!obj) { this.proxies.delete(key(pod)); continue; }
      if (!this.dumpOf(pod)) this.fetchEnvoy(e, snap, { ...pod, obj });
      else e.envoy = 'ok';
      this.fetchIstiod(e, snap);
    }
  }

  private startWatch(name: string, snap: ContextSnapshot): void {
    this.watches.get(name)?.stop();
    this.watches.set(name, this.live!.watch.watchLiveContexts([snap], (c) => this.onChange(c), { onError: () => this.scheduleEmit() }));
  }

  private onChange(c: LiveChange): void {
    if (this.stopped || this.snaps.get(c.context) === undefined) return;
    const o = c.object;
    const what = `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`;
    if (o.kind !== 'EndpointSlice') {
      if (c.type !== 'DELETED') this.marks.set(objectId(c.context, o.kind, o.metadata.namespace, o.metadata.name), `${VERB[c.type]} ${hms(c.time)}`);
      this.changes.push(c);
      const n = this.changes.length;
      this.notice = { text: `${what} ${VERB[c.type]} ${hms(c.time)} @${c.context}${n > 1 ? ` (+${n - 1} more changes)` : ''}`, kind: 'info' };
    }
    this.scheduleRebuild(100);
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
    this.watches.get(name)?.stop();
    this.watches.delete(name);
    for (const [k, e] of this.proxies) if (e.context === name) this.proxies.delete(k);
    for (const id of this.marks.keys()) if (id.startsWith(`${name}/`)) this.marks.delete(id);
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
    this.changes = [];
    if (this.live) {
      for (const n of this.active) this.loadLive(n);
      this.scheduleEmit();
      return;
    }
    const names = [...this.active];
    void this.readFolder(names, `re-read ${this.globals.fixtures} at ${hms(undefined)}`);
  }
}

function key(p: { context: string; namespace: string; name?: string; pod?: string }): string {
  return `${p.context}/${p.namespace}/${p.name ?? p.pod}`;
}

/** A pod whose Envoy config could not be read carries the error on its own node, not only on its proxy child. */
function markProxyErrors(roots: TreeNode[], mesh: Mesh): void {
  const failed = new Map(mesh.proxies().filter((p) => p.error && p.pod).map((p) => [p.pod!.id, p.error!]));
  if (failed.size === 0) return;
  const stack = [...roots];
  const seen = new Set<TreeNode>();
  while (stack.length) {
    const n = stack.pop()!;
    if (seen.has(n)) continue;
    seen.add(n);
    const err = n.kind === 'Pod' ? failed.get(n.id) : undefined;
    if (err) n.badges = { ...n.badges, problems: [...(n.badges.problems ?? []), { severity: 'error', message: `Envoy config: ${err}` }] };
    for (const c of n.children) stack.push(c);
  }
}
