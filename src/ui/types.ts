// What the TUI receives: plain data plus a few callbacks. The UI does no I/O and holds no mesh logic;
// src/app/data-adapter.ts adapts the loaded mesh to this shape.
import type { ReactElement } from 'react';
import type { TreeNode } from '../mesh/tree-types.js';
import type { ProblemCounts } from '../mesh/tree-findings.js';

export type ContextLoadStatus = 'loading' | 'ok' | 'partial' | 'error';

export interface ContextInfo {
  name: string;
  status: ContextLoadStatus;
  /** Shown after an ok/partial context, e.g. { objects: 120, proxies: 6 }. */
  counts?: Record<string, number>;
  /** One-line reason for error/partial. */
  reason?: string;
  /** What the context does not serve ("Gateway API not installed"): not an error, shown in the header. */
  absent?: string[];
}

/** One proxy-config view: the same columns and cells `meshscope pc` prints. */
export interface ProxyTable {
  columns: string[];
  rows: string[][];
  /** Lines shown under the table (e.g. each Envoy route's weighted clusters). */
  after?: { title: string; lines: string[] };
  /** Per row, what names it for a drill: the route config (routes), the cluster (clusters, endpoints), the listener. */
  keys?: string[];
  /** A row's raw Envoy JSON (asked for one row at a time). */
  raw?(row: number): unknown;
  /** Where Enter on a row goes: a listener to its routes, a route to its clusters, a cluster to its endpoints. */
  drill?(row: number): { tab: ProxyTab; keys: string[]; label: string } | undefined;
}

export type ProxyTab = 'listeners' | 'routes' | 'clusters' | 'endpoints';
export const PROXY_TABS: ProxyTab[] = ['listeners', 'routes', 'clusters', 'endpoints'];

export type ProxyViews = Partial<Record<ProxyTab, ProxyTable>>;

/** A related resource shown as a jump list entry; targetId is a TreeNode id. */
export interface RelatedItem {
  label: string;
  targetId: string;
}

/** One Envoy cluster implementing a route destination on one proxy. */
export interface EnvoyImplementation {
  /** The proxy, e.g. "cluster-a/app/frontend-7d9c-abc". */
  proxy: string;
  cluster: string;
  /** The weight this proxy's Envoy route gives the cluster (may differ from intent: drift). */
  weight?: number;
  healthy?: number;
  total?: number;
  /** Node id of the Envoy cluster node, to jump to. */
  targetId?: string;
}

export interface RuleDestination {
  host: string;
  subset?: string;
  port?: number;
  /** Intended weight from the VirtualService. */
  weight?: number;
  /** Set for a mirror destination. */
  mirrorPercent?: number;
  targetId?: string;
  envoy: EnvoyImplementation[];
}

export interface NodeDetails {
  /** The object's YAML (exact data; the UI sanitizes each line before display). */
  yaml?: string;
  related: RelatedItem[];
  /** For a pod (or its proxy node): the proxy-config views. */
  proxy?: ProxyViews;
  /** For a route rule (or a VirtualService): destinations and their Envoy clusters. */
  ruleDestinations?: RuleDestination[];
  /** Extra one-line notes (dangling reasons, load issues...). */
  notes?: string[];
  /** Live: the state of this pod's on-demand Envoy config fetch (idle / loading… / error / fetched at). */
  proxyLoad?: { state: 'idle' | 'loading' | 'ok' | 'error'; message: string };
  /** proxy-status: istiod's view of this proxy against what Envoy runs. */
  proxyStatus?: ProxyStatusInfo;
  /** YAML path (e.g. spec.http[0].route[1].destination.subset) whose line the details pane highlights and scrolls to. */
  highlightPath?: string;
  /** Blocks shown right under the title (an overview, what a proxy runs that differs from intent); items can be jump targets. */
  sections?: DetailsSection[];
}

/** A titled block of one-line items; Enter on an item with a targetId jumps there. */
export interface DetailsSection {
  title: string;
  items: { text: string; mark?: '✗' | '⚠' | '≠' | '⊘' | 'i' | '·' | '✓'; targetId?: string }[];
}

/** SYNCED / STALE / NOT SENT per xDS type, and the istiod → Envoy diff when asked for. */
export interface ProxyStatusInfo {
  /** Per type (CDS, LDS, EDS, RDS), in display order. Absent while loading or when unavailable. */
  states?: [string, string][];
  /** One line: "loading istiod's view…", "not available offline", an error. */
  note?: string;
  /** Unified diff lines (istioctl's proxy-status POD text), when the user asked for it. */
  diff?: string[];
}

/** Live actions on one pod's proxy: auto = quietly load when its views are opened; open = load (`:pc`), reload = `R`. */
export type ProxyOp = 'auto' | 'open' | 'reload' | 'toggle-diff' | 'show-diff';

/** What a provider callback answers: a flash for the footer, or nothing. */
export type Flash = { text: string; kind?: FlashKind } | undefined;

/** Everything the app shows. Replace it (rerender with a new object) when the mesh changes. */
export interface MeshData {
  /** 'fixtures/demo' (the snapshot path) or 'live'. */
  source: string;
  readOnly: boolean;
  contexts: ContextInfo[];
  roots: TreeNode[];
  details(node: TreeNode): NodeDetails;
  /** Reload; the owner renders the app again with new MeshData when done. */
  refresh(): void;
  /** Context names `:ctx` can add (the kubeconfig's contexts, or the snapshot folder's). */
  contextChoices?: string[];
  /** Adds (on) or removes a context at run time; the owner renders new MeshData as it loads. */
  setContext?(name: string, on: boolean): Flash;
  /** Live: fetch / refetch a pod's Envoy config and istiod's view of it, or show its proxy-status diff. */
  proxy?(node: TreeNode, op: ProxyOp): Flash;
  /** Node id → why it is marked (e.g. "changed 12:03:04" by a watch); the tree shows a • on it. */
  marks?: ReadonlyMap<string, string>;
  /** Flashed once when this data is shown (e.g. "VirtualService app/demoapp changed 12:03:04"). */
  notice?: { text: string; kind?: FlashKind };
  /** A line under the flash that its owner updates while it lasts (a convergence wait after a weight write). */
  status?: { text: string; kind: FlashKind | 'progress' };
  /** Node id → problem markers for its row (own + below, deduplicated); rows not in it show their own problems. */
  problemCounts?: ReadonlyMap<string, ProblemCounts>;
}

/** Handed to a plugin when its key is pressed. */
export interface PluginContext {
  node: TreeNode | undefined;
  data: MeshData;
  /** Rows and columns the overlay is shown in; a taller overlay scrolls inside them (OverlayViewport). */
  rows?: number;
  columns?: number;
  /** Close the plugin's overlay and give the keyboard back to the app. */
  close(): void;
  flash(text: string, kind?: FlashKind): void;
  /** Select a node in the tree (e.g. after an edit or from a problem list); `open` then opens that key's plugin on it. */
  jump(nodeId: string, opts?: { highlightPath?: string; open?: string }): void;
}

export type FlashKind = 'info' | 'error';

/**
 * A key added by a later feature (`e` weights, `!` problems, `t` trace). Its help line appears in `?` and the footer
 * once registered. `open` returns the overlay element; the app stops reading keys until `close()` is called.
 */
export interface UiPlugin {
  key: string;
  help: string;
  /** Short footer hint, e.g. "edit weights". */
  hint?: string;
  /** When false for the selected node the key only flashes why. */
  appliesTo?(node: TreeNode | undefined): boolean;
  /** Why the key does nothing here, e.g. "e works on a VirtualService, rule or destination". */
  notApplicable?: string;
  /** What the overlay is about, kept on screen while it scrolls (e.g. context, namespace and object). */
  caption?(node: TreeNode | undefined): string | undefined;
  open(ctx: PluginContext): ReactElement;
}
