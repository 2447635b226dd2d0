// The TUI's state: its types, the initial state and the selectors every part reads. Pure.
import { onePerObject } from './list-dedupe.js';
import type { NodeKind, TreeNode } from '../mesh/tree-types.js';
import type { CompletionSource } from './commands.js';
import type { SearchIndex, SearchResult } from './search.js';
import { ancestors, buildIndex, flatten, type FlatRow, type TreeIndex } from './tree-index.js';
import type { FlashKind, MeshData, ProxyOp, ProxyTab } from './types.js';
import { EMPTY_TABLE, type TableState } from './table/use-table-state.js';

export type Pane = 'tree' | 'details';
export type Mode = 'normal' | 'search' | 'command' | 'help' | 'plugin';

export type View =
  | { type: 'tree'; ctx?: string; ns?: string }
  | { type: 'list'; name: string; title: string; kinds: NodeKind[]; ctx?: string; ns?: string };

export interface Place { view: View; selected?: string; focus: Pane }

export type Effect = { type: 'quit' } | { type: 'refresh' } | { type: 'plugin'; key: string }
  | { type: 'proxy'; nodeId: string; op: ProxyOp } | { type: 'context'; name: string; on: boolean };

/** The subset of Ink's Key the reducer reads (plain data, so tests can build it). */
export interface KeyInfo {
  upArrow?: boolean; downArrow?: boolean; leftArrow?: boolean; rightArrow?: boolean;
  pageUp?: boolean; pageDown?: boolean; home?: boolean; end?: boolean;
  return?: boolean; escape?: boolean; tab?: boolean; backspace?: boolean; delete?: boolean; ctrl?: boolean; shift?: boolean;
  meta?: boolean;
}

export interface AppState {
  data: MeshData;
  index: TreeIndex;
  searchIndex?: SearchIndex;
  pluginKeys: string[];
  view: View;
  expanded: Set<string>;
  rows: FlatRow[];
  listIds: string[];
  cursor: number;
  top: number;
  focus: Pane;
  tab: ProxyTab;
  dCursor: number;
  dTop: number;
  /** Horizontal scroll of the details pane (wide proxy-config tables). */
  dLeft: number;
  /** Columns added to the tree's default width (`<` `>`). */
  treeDelta: number;
  /** The focused pane has the whole width (`z`). */
  zoom: boolean;
  /** The terminal's width, as the view last reported it. */
  columns: number;
  /** The details pane's proxy-config table: its filter, drill trail and raw-JSON row. */
  table: TableState;
  mode: Mode;
  query: string;
  searchStack: SearchResult[];
  searchSel: number;
  matches: string[];
  matchPos: number;
  cmdText: string;
  cmdChoices: string[];
  cmdChoice: number;
  helpTop: number;
  /** The help's largest scroll offset at the current size (set by the view). */
  helpMax?: number;
  history: Place[];
  prev?: Place;
  flash?: { text: string; kind: FlashKind };
  pending?: Effect;
  bodyHeight: number;
  /** A YAML path highlighted in the details of node `id` (set by a jump from the problem list). */
  highlight?: { id: string; path: string };
}

export type Action =
  | { type: 'key'; input: string; key: KeyInfo }
  | { type: 'data'; data: MeshData }
  | { type: 'resize'; bodyHeight: number; columns?: number }
  | { type: 'flash'; text: string; kind?: FlashKind }
  | { type: 'jump'; id: string; highlightPath?: string; open?: string }
  | { type: 'closePlugin' }
  | { type: 'plugins'; keys: string[] }
  | { type: 'effectDone' }
  | { type: 'helpBounds'; maxTop: number };

export function initState(data: MeshData, bodyHeight: number, pluginKeys: string[] = []): AppState {
  const index = buildIndex(data.roots);
  const expanded = new Set<string>(data.roots.map((r) => r.id));
  const view: View = { type: 'tree' };
  return {
    data, index, pluginKeys, view, expanded, rows: flatten(data.roots, expanded), listIds: [], cursor: 0, top: 0,
    focus: 'tree', tab: 'routes', dCursor: 0, dTop: 0, dLeft: 0, treeDelta: 0, zoom: false, columns: 80, table: EMPTY_TABLE, mode: 'normal', query: '', searchStack: [], searchSel: 0,
    matches: [], matchPos: 0, cmdText: '', cmdChoices: [], cmdChoice: -1, helpTop: 0, history: [],
    bodyHeight: Math.max(1, bodyHeight),
  };
}

// ---- selectors ----

/** The tree pane's width: its default share of `cols` plus `delta`, leaving the details at least 16 columns. */
export function treeWidth(cols: number, focusDetails: boolean, delta: number): number {
  const base = focusDetails ? Math.max(24, Math.min(48, Math.floor(cols * 0.3))) : Math.max(30, Math.min(90, Math.floor(cols * 0.45)));
  return Math.max(16, Math.min(cols - 17, base + delta));
}

export function selectedId(s: AppState): string | undefined {
  return s.view.type === 'list' ? s.listIds[s.cursor] : s.rows[s.cursor]?.node.id;
}

export function selectedNode(s: AppState): TreeNode | undefined {
  const id = selectedId(s);
  return id === undefined ? undefined : s.index.byId.get(id);
}

export function itemCount(s: AppState): number {
  return s.view.type === 'list' ? s.listIds.length : s.rows.length;
}

/** Pane content height: the body minus the pane title line. */
export function paneHeight(s: AppState): number {
  return Math.max(1, s.bodyHeight - 1);
}

export function scopeRoots(index: TreeIndex, view: View): TreeNode[] {
  if (!view.ctx && !view.ns) return index.roots;
  let roots = view.ctx ? index.roots.filter((r) => r.label === view.ctx || r.context === view.ctx) : index.roots;
  if (view.ns) {
    const ns: TreeNode[] = [];
    for (const n of index.all) {
      if (n.kind === 'namespace' && n.label === view.ns && (!view.ctx || n.context === view.ctx || underAny(index, n.id, roots))) ns.push(n);
    }
    roots = ns;
  }
  return roots;
}

function underAny(index: TreeIndex, id: string, roots: TreeNode[]): boolean {
  const a = ancestors(index, id);
  return roots.some((r) => a.includes(r.id));
}

export function listItems(index: TreeIndex, view: Extract<View, { type: 'list' }>): string[] {
  const kinds = new Set(view.kinds);
  return onePerObject(index.all
    .filter((n) => kinds.has(n.kind) && (!view.ctx || n.context === view.ctx) && (!view.ns || n.ref?.namespace === view.ns)))
    .map((n) => n.id);
}

export function completionSource(index: TreeIndex, data?: MeshData): CompletionSource {
  const ctx = new Set<string>(data?.contexts.map((c) => c.name) ?? []);
  const ns = new Set<string>();
  const pods = new Set<string>();
  for (const n of index.all) {
    if (n.kind === 'context') ctx.add(n.label);
    else if (n.kind === 'namespace') ns.add(n.label);
    else if (n.kind === 'Pod') pods.add(n.ref?.namespace ? `${n.label}.${n.ref.namespace}` : n.label);
  }
  return { contexts: [...ctx].sort(), namespaces: [...ns].sort(), pods: [...pods].sort(), addable: data?.contextChoices };
}

/** The YAML path to highlight in this node's details, if a jump asked for one. */
export function highlightOf(s: AppState, node: TreeNode): string | undefined {
  return s.highlight && s.highlight.id === node.id ? s.highlight.path : undefined;
}

export function searchResult(s: AppState): SearchResult | undefined {
  return s.searchStack[s.searchStack.length - 1];
}
