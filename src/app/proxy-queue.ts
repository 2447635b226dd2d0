// Live pods' proxies for the TUI session: a pod's Envoy config (port-forward) and istiod's view of it are fetched when
// its views are opened, 4 at a time and size-capped; this keeps their load state and the proxy-status comparison.
import type { ContextSnapshot, ProxyDump } from '../model/context.js';
import type { KubeObject } from '../model/resources.js';
import type { Mesh } from '../mesh/join.js';
import type { TreeNode } from '../mesh/tree-types.js';
import type { Flash, MeshData, NodeDetails, ProxyOp, ProxyStatusInfo } from '../ui/types.js';
import type { Limits } from '../sources/limits.js';
import { errText, hms, type Live } from './live-sources.js';

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

export interface PodTarget { context: string; namespace: string; name: string; obj?: KubeObject; hasProxy: boolean }

/** What the proxy fetches need from the session that owns the contexts. */
export interface ProxyFetchHost {
  live: Live;
  limits: Limits;
  stopped(): boolean;
  snapshot(context: string): ContextSnapshot | undefined;
  setNotice(notice: MeshData['notice']): void;
  /** A dump arrived: re-join the mesh. */
  rebuild(): void;
  /** Same tree, new fetch state (delay in ms; 0 = next turn). */
  emit(delayMs?: number): void;
}

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

function key(p: { context: string; namespace: string; name?: string; pod?: string }): string {
  return `${p.context}/${p.namespace}/${p.name ?? p.pod}`;
}

/** The pod a Pod or proxy node stands for. */
export function podOf(node: TreeNode, mesh: Mesh): PodTarget | undefined {
  let context: string | undefined, namespace: string | undefined, name: string | undefined;
  if (node.kind === 'Pod' && node.ref) ({ context, namespace, name } = node.ref);
  else if (node.kind === 'proxy') {
    const p = mesh.proxies().find((x) => x.id === node.id);
    if (p) ({ context, namespace, podName: name } = p);
  }
  if (!context || !name) return undefined;
  const pm = mesh.pod(context, namespace ?? '', name);
  return { context, namespace: namespace ?? '', name, obj: pm?.loaded.obj as KubeObject | undefined, hasProxy: Boolean(pm?.hasSidecar || pm?.proxy) };
}

export class ProxyFetches {
  private readonly entries = new Map<string, ProxyEntry>();
  private readonly run = limiter(4);

  constructor(private readonly host: ProxyFetchHost) {}

  private dumpOf(p: { context: string; namespace: string; name: string }): ProxyDump | undefined {
    return this.host.snapshot(p.context)?.proxies.find((d) => d.namespace === p.namespace && d.pod === p.name);
  }

  /** Adds the load state and proxy-status of a pod with a sidecar to its details. */
  describe(pod: PodTarget, d: NodeDetails): void {
    const e = this.entries.get(key(pod));
    const dump = this.dumpOf(pod);
    if (e?.envoy === 'loading') d.proxyLoad = { state: 'loading', message: 'loading… Envoy config_dump and clusters over port-forward' };
    else if (dump?.error) d.proxyLoad = { state: 'error', message: `Envoy config: ${dump.error} (R retries)` };
    else if (dump) d.proxyLoad = { state: 'ok', message: `Envoy config read ${hms(dump.fetchedAt)}${dump.clustersError ? `; /clusters: ${dump.clustersError}` : ''} (R refetches)` };
    else d.proxyLoad = { state: 'idle', message: 'Envoy config not fetched yet: Tab, Enter or :pc VIEW POD loads it' };
    d.proxyStatus = this.status(e, dump);
  }

  private status(e: ProxyEntry | undefined, dump: ProxyDump | undefined): ProxyStatusInfo {
    const i = e?.istiod;
    if (!i) return { note: "istiod's view loads with the Envoy config (d: diff)" };
    if (i.state === 'loading') return { note: "loading istiod's view…" };
    if (i.state === 'error') return { note: `istiod: ${i.error}` };
    if (!dump || e.envoy === 'loading') return { note: 'waiting for the Envoy config to compare' };
    if (dump.error || dump.configDump === undefined) return { note: 'no Envoy config to compare' };
    const istiod = this.host.live.istiod;
    let c = e.compared;
    if (!c || c.view !== i.view || c.dump !== dump) {
      const states = istiod.compareProxy(i.view, dump.configDump);
      c = e.compared = { view: i.view, dump, states: istiod.XDS_TYPES.map((t) => [t, states[t]]) };
    }
    if (e.diff && !c.diff) c.diff = this.host.live.proxyDiff.diffProxy(i.view, dump.configDump).replace(/\n$/, '').split('\n');
    return { states: c.states, note: e.diff ? undefined : 'd: diff', diff: e.diff ? c.diff : undefined };
  }

  /** A key on a live pod: fetch what is missing (or everything on reload) and toggle its diff. */
  op(pod: PodTarget, op: ProxyOp): Flash {
    const quiet = op === 'auto';
    const where = `${pod.namespace}/${pod.name}`;
    if (!pod.hasProxy) return quiet ? undefined : { text: `pod ${where} has no istio-proxy container`, kind: 'error' };
    const snap = this.host.snapshot(pod.context);
    const state = snap && this.host.live.load.liveStateOf(snap);
    if (!snap || !state) return quiet ? undefined : { text: `context ${pod.context} is not loaded`, kind: 'error' };
    const k = key(pod);
    let e = this.entries.get(k);
    if (!e) this.entries.set(k, (e = { context: pod.context, namespace: pod.namespace, pod: pod.name, envoyGen: 0, istiodGen: 0, diff: false }));
    if (op === 'toggle-diff') e.diff = !e.diff;
    if (op === 'show-diff') e.diff = true;
    const needEnvoy = op === 'reload' || (!this.dumpOf(pod) && e.envoy !== 'loading');
    const needIstiod = op === 'reload' || !e.istiod || (e.istiod.state === 'error' && op !== 'auto');
    if (needEnvoy) this.fetchEnvoy(e, snap, pod);
    if (needIstiod) this.fetchIstiod(e, snap);
    this.host.emit(0); // the user acted: show "loading…" (or the diff) at once
    if (op === 'reload') return { text: `refetching the Envoy config and istiod's view of ${where}…` };
    if (op === 'toggle-diff' || op === 'show-diff') return { text: e.diff ? `proxy-status diff of ${where} (d hides)` : 'diff hidden' };
    if (needEnvoy && op === 'open') return { text: `loading the Envoy config of ${where}…` };
    return undefined;
  }

  private fetchEnvoy(e: ProxyEntry, snap: ContextSnapshot, pod: PodTarget): void {
    const { live, limits } = this.host;
    const client = live.load.liveStateOf(snap)!.client;
    const gen = ++e.envoyGen;
    e.envoy = 'loading';
    void this.run(() => live.envoy.fetchProxyDump(client, pod.namespace, pod.obj ?? pod.name, { sizeCapBytes: limits.maxDumpBytes })).then((dump) => {
      if (gen !== e.envoyGen || this.host.stopped() || this.host.snapshot(e.context) !== snap) return;
      dump.context = e.context;
      const at = snap.proxies.findIndex((d) => d.namespace === e.namespace && d.pod === e.pod);
      if (at >= 0) snap.proxies[at] = dump;
      else snap.proxies.push(dump);
      e.envoy = dump.error ? 'error' : 'ok';
      if (dump.error) this.host.setNotice({ text: `pod ${e.namespace}/${e.pod}: Envoy config: ${dump.error}`, kind: 'error' });
      this.host.rebuild();
    });
  }

  private fetchIstiod(e: ProxyEntry, snap: ContextSnapshot): void {
    const live = this.host.live;
    const client = live.load.liveStateOf(snap)!.client;
    const gen = ++e.istiodGen;
    e.istiod = { state: 'loading' };
    void this.run(() => live.istiod.fetchIstiodConfigDump(client, `${e.pod}.${e.namespace}`)).then(
      (view) => ({ state: 'ok' as const, view }),
      (err: unknown) => ({ state: 'error' as const, error: errText(err) }),
    ).then((r) => {
      if (gen !== e.istiodGen || this.host.stopped()) return;
      e.istiod = r;
      this.host.emit();
    });
  }

  /** After a re-list: pods whose proxy was opened are read again (their dumps went with the old snapshot). */
  refetchOpened(name: string, snap: ContextSnapshot): void {
    for (const e of this.entries.values()) {
      if (e.context !== name) continue;
      e.compared = undefined;
      const pod: PodTarget = { context: name, namespace: e.namespace, name: e.pod, hasProxy: true };
      const obj = snap.objects.find((o) => o.obj.kind === 'Pod' && o.obj.metadata.name === e.pod && o.obj.metadata.namespace === e.namespace)?.obj;
      if (!obj) { this.entries.delete(key(pod)); continue; }
      if (!this.dumpOf(pod)) this.fetchEnvoy(e, snap, { ...pod, obj });
      else e.envoy = 'ok';
      this.fetchIstiod(e, snap);
    }
  }

  /** A removed context: its pods' state goes. */
  forget(context: string): void {
    for (const [k, e] of this.entries) if (e.context === context) this.entries.delete(k);
  }
}
