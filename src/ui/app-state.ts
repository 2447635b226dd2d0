// The app's state and its pure reducer: every key press is an action; effects (quit, refresh, open a plugin)
// are left in `pending` for the thin Ink binding to carry out.
import type { NodeKind, TreeNode } from '../mesh/tree-types.js';
import { completions, LIST_COMMANDS, parseCommand, type CompletionSource } from './commands.js';
import { detailsFor } from './details-cache.js';
import { SearchIndex, type SearchResult } from './search.js';
import { contextCommand, proxyKey, proxyNodeOf, withProxyEffect } from './live-keys.js';
import { ancestors, buildIndex, collapseAt, expandAt, flatten, type FlatRow, type TreeIndex } from './tree-index.js';
import { PROXY_TABS, type FlashKind, type MeshData, type ProxyOp, type ProxyTab } from './types.js';

export type Pane = 'tree' | 'details';
export type Mode = 'normal' | 'search' | 'command' | 'help' | 'plugin';

export type View =
  | { type: 'tree'; ctx?: string; ns?: string }
  | { type: 'list'; name: string; title: string; kinds: NodeKind[]; ctx?: string; ns?: string };

interface Place { view: View; selected?: string; focus: Pane }

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
  | { type: 'resize'; bodyHeight: number }
  | { type: 'flash'; text: string; kind?: FlashKind }
  | { type: 'jump'; id: string; highlightPath?: string }
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
    focus: 'tree', tab: 'routes', dCursor: 0, dTop: 0, dLeft: 0, mode: 'normal', query: '', searchStack: [], searchSel: 0,
    matches: [], matchPos: 0, cmdText: '', cmdChoices: [], cmdChoice: -1, helpTop: 0, history: [],
    bodyHeight: Math.max(1, bodyHeight),
  };
}

// ---- selectors ----

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

function listItems(index: TreeIndex, view: Extract<View, { type: 'list' }>): string[] {
  const kinds = new Set(view.kinds);
  return index.all
    .filter((n) => kinds.has(n.kind) && (!view.ctx || n.context === view.ctx) && (!view.ns || n.ref?.namespace === view.ns))
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

// ---- helpers that keep the cursor in view ----

function clampCursor(s: AppState, cursor: number, center = false): AppState {
  const n = itemCount(s);
  const h = paneHeight(s);
  const c = Math.max(0, Math.min(n - 1, cursor));
  let top = s.top;
  if (center && (c < top || c >= top + h)) top = c - Math.floor(h / 2);
  if (c < top) top = c;
  if (c >= top + h) top = c - h + 1;
  top = Math.max(0, Math.min(top, Math.max(0, n - h)));
  const moved = selectedId(s) !== (s.view.type === 'list' ? s.listIds[c] : s.rows[c]?.node.id);
  return { ...s, cursor: Math.max(0, c), top, ...(moved ? { dCursor: 0, dTop: 0, dLeft: 0 } : {}) };
}

/** The YAML path to highlight in this node's details, if a jump asked for one. */
export function highlightOf(s: AppState, node: TreeNode): string | undefined {
  return s.highlight && s.highlight.id === node.id ? s.highlight.path : undefined;
}

function detailsLines(s: AppState) {
  const node = selectedNode(s);
  return node ? detailsFor(s.data, node, s.tab, highlightOf(s, node)) : undefined;
}

/** After a jump: highlight `path` in the node's YAML and scroll the details so the line is in the middle. */
function withHighlight(s: AppState, id: string, path: string): AppState {
  const next: AppState = { ...s, highlight: { id, path } };
  const node = selectedNode(next);
  if (!node || node.id !== id) return next;
  const content = detailsFor(next.data, node, next.tab, path);
  const at = content.highlightLine;
  if (at === undefined) return { ...next, flash: { text: `${path} is not in the YAML of ${node.label}`, kind: 'info' } };
  const h = paneHeight(next);
  const top = Math.max(0, Math.min(at - Math.floor(h / 3), content.lines.length - h));
  return { ...next, dCursor: at, dTop: top, dLeft: 0 };
}

function moveDetails(s: AppState, to: number): AppState {
  const content = detailsLines(s);
  const n = content?.lines.length ?? 0;
  const h = paneHeight(s);
  const c = Math.max(0, Math.min(n - 1, to));
  let top = s.dTop;
  if (c < top) top = c;
  if (c >= top + h) top = c - h + 1;
  return { ...s, dCursor: c, dTop: Math.max(0, top) };
}

function place(s: AppState): Place {
  return { view: s.view, selected: selectedId(s), focus: s.focus };
}

function pushHistory(s: AppState): AppState {
  const here = place(s);
  return { ...s, history: [...s.history.slice(-99), here], prev: here };
}

export function withView(s: AppState, view: View): AppState {
  if (view.type === 'tree') {
    const rows = flatten(scopeRoots(s.index, view), s.expanded);
    return { ...s, view, rows, cursor: 0, top: 0 };
  }
  return { ...s, view, listIds: listItems(s.index, view), cursor: 0, top: 0 };
}

/** Selects `id`: in the current list view when it is there, else in the tree (widening the scope and expanding ancestors). */
export function reveal(s: AppState, id: string): AppState {
  if (!s.index.byId.has(id)) return { ...s, flash: { text: `not in the loaded tree: ${id}`, kind: 'error' } };
  if (s.view.type === 'list') {
    const at = s.listIds.indexOf(id);
    if (at >= 0) return clampCursor({ ...s, cursor: at }, at, true);
  }
  let view: View = s.view.type === 'tree' ? s.view : { type: 'tree' };
  const anc = ancestors(s.index, id);
  const roots = scopeRoots(s.index, view);
  if (!roots.some((r) => r.id === id || anc.includes(r.id))) view = { type: 'tree' };
  const expanded = new Set(s.expanded);
  for (const a of anc) expanded.add(a);
  const rows = flatten(scopeRoots(s.index, view), expanded);
  const at = rows.findIndex((r) => r.node.id === id);
  const next: AppState = { ...s, view, expanded, rows, listIds: s.view.type === 'list' && view.type === 'tree' ? [] : s.listIds };
  return clampCursor(next, at, true);
}

function jump(s: AppState, id: string, focus: Pane = 'tree', toTree = false): AppState {
  const base = pushHistory(s);
  const moved = reveal(toTree && base.view.type === 'list' ? { ...base, view: { type: 'tree' } } : base, id);
  return { ...moved, focus };
}

function back(s: AppState): AppState {
  const last = s.history[s.history.length - 1];
  if (!last) return { ...s, flash: { text: 'no earlier place in history', kind: 'info' } };
  const rest = s.history.slice(0, -1);
  return restore({ ...s, history: rest, prev: place(s) }, last);
}

function restore(s: AppState, p: Place): AppState {
  let next = withView(s, p.view);
  if (p.selected) next = reveal({ ...next }, p.selected);
  if (next.view.type !== p.view.type) next = withView(next, p.view);
  return { ...next, focus: p.focus };
}

function previousView(s: AppState): AppState {
  if (!s.prev) return { ...s, flash: { text: 'no previous view', kind: 'info' } };
  const here = place(s);
  const next = restore(s, s.prev);
  return { ...next, prev: here, history: [...s.history.slice(-99), here] };
}

// ---- the reducer ----

export function appReducer(s: AppState, a: Action): AppState {
  switch (a.type) {
    case 'data': return onData(s, a.data);
    case 'resize': return clampCursor({ ...s, bodyHeight: Math.max(1, a.bodyHeight) }, s.cursor);
    case 'flash': return { ...s, flash: { text: a.text, kind: a.kind ?? 'info' } };
    case 'jump': {
      const next = jump({ ...s, mode: s.mode === 'plugin' ? 'normal' : s.mode }, a.id);
      return a.highlightPath ? withHighlight(next, a.id, a.highlightPath) : next;
    }
    case 'closePlugin': return { ...s, mode: 'normal' };
    case 'plugins': return { ...s, pluginKeys: a.keys };
    case 'effectDone': return { ...s, pending: undefined };
    case 'helpBounds': return s.helpMax === a.maxTop && s.helpTop <= a.maxTop ? s : { ...s, helpMax: a.maxTop, helpTop: Math.min(s.helpTop, a.maxTop) };
    case 'key': {
      // Typed-ahead or pasted text arrives as one chunk: replay it key by key (e.g. ":pc routes x" typed fast).
      const chars = [...a.input];
      if (chars.length > 1 && !a.key.ctrl && !a.key.meta && s.mode !== 'plugin') {
        return chars.reduce((st, c) => appReducer(st, { type: 'key', input: c === '\r' || c === '\t' ? '' : c, key: c === '\r' ? { return: true } : c === '\t' ? { tab: true } : {} }), s);
      }
      const cleared: AppState = s.flash ? { ...s, flash: undefined } : s;
      switch (s.mode) {
        case 'search': return searchKey(cleared, a.input, a.key);
        case 'command': return commandKey(cleared, a.input, a.key);
        case 'help': return helpKey(cleared, a.input, a.key);
        case 'plugin': return s;
        default: return normalKey(cleared, a.input, a.key);
      }
    }
  }
}

function onData(s: AppState, data: MeshData): AppState {
  if (data === s.data) return s;
  const notice = data.notice && data.notice !== s.data.notice ? { flash: { text: data.notice.text, kind: data.notice.kind ?? 'info' } } : {};
  // Same tree (header progress, a proxy fetch's state): keep the index, the rows and the search.
  if (data.roots === s.data.roots) return { ...s, data, ...notice };
  const keep = selectedId(s);
  const index = buildIndex(data.roots);
  const expanded = new Set([...s.expanded].filter((id) => index.byId.has(id)));
  for (const r of data.roots) if (!s.index.byId.has(r.id)) expanded.add(r.id);
  let next: AppState = { ...s, data, index, expanded, searchIndex: undefined, searchStack: [] };
  next = withView(next, s.view);
  if (keep && index.byId.has(keep)) next = reveal(next, keep);
  else next = clampCursor({ ...next, top: s.top }, s.cursor);
  return { ...next, ...notice };
}

function normalKey(s: AppState, input: string, key: KeyInfo): AppState {
  if (key.ctrl && input === 'c') return { ...s, pending: { type: 'quit' } };
  if (key.tab) return s.focus === 'tree' ? withProxyEffect({ ...s, focus: 'details' }, 'auto') : { ...s, focus: 'tree' };
  if (key.escape) return back(s);
  switch (input) {
    case 'q': return { ...s, pending: { type: 'quit' } };
    case 'r': return { ...s, pending: { type: 'refresh' }, flash: { text: 'refreshing…', kind: 'info' } };
    case '?': return { ...s, mode: 'help', helpTop: 0 };
    case '/': return { ...s, mode: 'search', query: '', searchStack: [], searchSel: 0, searchIndex: s.searchIndex ?? new SearchIndex(s.index.all) };
    case ':': return { ...s, mode: 'command', cmdText: '', cmdChoices: [], cmdChoice: -1 };
    case '-': return previousView(s);
    case 'n': case 'N': return nextMatch(s, input === 'n' ? 1 : -1);
    case 'R': return proxyKey(s, 'reload', 'R refetches the Envoy config of a pod: select a pod or its proxy');
    case 'd': if (!key.ctrl) return proxyKey({ ...s, dCursor: 0, dTop: 0 }, 'toggle-diff', 'd shows the proxy-status diff of a pod: select a pod or its proxy');
  }
  if (input.length === 1 && s.pluginKeys.includes(input)) return { ...s, pending: { type: 'plugin', key: input } };
  return s.focus === 'details' ? detailsKey(s, input, key) : treeKey(s, input, key);
}

function moveKeys(input: string, key: KeyInfo, cursor: number, page: number, last: number): number | undefined {
  if (key.upArrow || input === 'k') return cursor - 1;
  if (key.downArrow || input === 'j') return cursor + 1;
  if (key.pageUp || (key.ctrl && input === 'b') || (key.ctrl && input === 'u')) return cursor - page;
  if (key.pageDown || (key.ctrl && input === 'f') || (key.ctrl && input === 'd')) return cursor + page;
  if (key.home || input === 'g') return 0;
  if (key.end || input === 'G') return last;
  return undefined;
}

function treeKey(s: AppState, input: string, key: KeyInfo): AppState {
  const page = Math.max(1, paneHeight(s) - 1);
  const to = moveKeys(input, key, s.cursor, page, itemCount(s) - 1);
  if (to !== undefined) return clampCursor(s, to);
  const node = selectedNode(s);
  if (!node) return s;
  if (s.view.type === 'list') {
    if (key.return || key.rightArrow || input === 'l') return jump(s, node.id, 'tree', true);
    if (key.leftArrow || input === 'h') return previousView(s);
    return s;
  }
  const row = s.rows[s.cursor]!;
  const isOpen = s.expanded.has(node.id);
  if (key.rightArrow || input === 'l') {
    if (node.children.length === 0) return node.linkTo ? jump(s, node.linkTo) : node.kind === 'Pod' ? withProxyEffect({ ...s, focus: 'details' }, 'auto') : s;
    if (!isOpen) return expand(s);
    return clampCursor(s, s.cursor + 1);
  }
  if (key.leftArrow || input === 'h') {
    if (isOpen && node.children.length > 0) return collapse(s);
    for (let i = s.cursor - 1; i >= 0; i--) if (s.rows[i]!.depth < row.depth) return clampCursor(s, i);
    return s;
  }
  if (key.return) {
    if (node.linkTo) return jump(s, node.linkTo);
    if (node.children.length > 0) return isOpen ? collapse(s) : expand(s);
    return withProxyEffect({ ...s, focus: 'details' }, 'auto');
  }
  return s;
}

function expand(s: AppState): AppState {
  const node = s.rows[s.cursor]!.node;
  const expanded = new Set(s.expanded);
  expanded.add(node.id);
  return { ...s, expanded, rows: expandAt(s.rows, s.cursor, expanded) };
}

function collapse(s: AppState): AppState {
  const node = s.rows[s.cursor]!.node;
  const expanded = new Set(s.expanded);
  expanded.delete(node.id);
  return clampCursor({ ...s, expanded, rows: collapseAt(s.rows, s.cursor) }, s.cursor);
}

function detailsKey(s: AppState, input: string, key: KeyInfo): AppState {
  const content = detailsLines(s);
  const n = content?.lines.length ?? 0;
  const to = moveKeys(input, key, s.dCursor, Math.max(1, paneHeight(s) - 1), n - 1);
  if (to !== undefined) return moveDetails(s, to);
  if (input === 'L' || input === '>' || (key.shift && key.rightArrow)) return { ...s, dLeft: s.dLeft + 8 };
  if (input === 'H' || input === '<' || (key.shift && key.leftArrow)) return { ...s, dLeft: Math.max(0, s.dLeft - 8) };
  const tabs = content?.tabs ?? [];
  const tabAt = tabs.indexOf(s.tab);
  if (tabs.length > 0 && (key.leftArrow || key.rightArrow || input === 'h' || input === 'l')) {
    const step = key.leftArrow || input === 'h' ? -1 : 1;
    const cur = tabAt < 0 ? 0 : tabAt;
    return { ...s, tab: tabs[(cur + step + tabs.length) % tabs.length]!, dCursor: 0, dTop: 0, dLeft: 0 };
  }
  if (/^[1-4]$/.test(input) && tabs.length > 0) {
    const t = PROXY_TABS[Number(input) - 1]!;
    return tabs.includes(t) ? { ...s, tab: t, dCursor: 0, dTop: 0, dLeft: 0 } : { ...s, flash: { text: `no ${t} view for this node`, kind: 'info' } };
  }
  if (key.leftArrow || input === 'h') return { ...s, focus: 'tree' };
  if (key.return) {
    const target = content?.lines[s.dCursor]?.target;
    if (target) return jump(s, target);
    return { ...s, flash: { text: 'nothing to open on this line (jump entries are marked ↗)', kind: 'info' } };
  }
  return s;
}

function nextMatch(s: AppState, step: number): AppState {
  if (s.matches.length === 0) return { ...s, flash: { text: 'no search yet: press / to search', kind: 'info' } };
  const pos = (s.matchPos + step + s.matches.length) % s.matches.length;
  const next = reveal({ ...s, matchPos: pos }, s.matches[pos]!);
  return { ...next, focus: 'tree', flash: { text: `match ${pos + 1}/${s.matches.length}`, kind: 'info' } };
}

export function searchResult(s: AppState): SearchResult | undefined {
  return s.searchStack[s.searchStack.length - 1];
}

function searchKey(s: AppState, input: string, key: KeyInfo): AppState {
  const res = searchResult(s);
  if (key.escape || (key.ctrl && input === 'c')) return { ...s, mode: 'normal' };
  if (key.return) {
    const id = res?.idAt(s.searchSel);
    if (!res || !id) return { ...s, mode: 'normal', flash: { text: s.query ? `no match for "${s.query}"` : 'search cancelled', kind: 'info' } };
    const ids = res.allIds();
    const next = jump({ ...s, mode: 'normal', matches: ids, matchPos: s.searchSel }, id);
    return { ...next, flash: { text: `match ${s.searchSel + 1}/${ids.length} for "${s.query}" (n/N: next/previous)`, kind: 'info' } };
  }
  if (key.upArrow || (key.ctrl && input === 'p')) return { ...s, searchSel: Math.max(0, s.searchSel - 1) };
  if (key.downArrow || (key.ctrl && input === 'n') || key.tab) return { ...s, searchSel: Math.min(Math.max(0, (res?.count ?? 1) - 1), s.searchSel + 1) };
  if (key.backspace || key.delete) {
    if (s.query === '') return { ...s, mode: 'normal' };
    const query = [...s.query].slice(0, -1).join('');
    const stack = s.searchStack.slice(0, -1);
    return { ...s, query, searchStack: query === '' ? [] : stack, searchSel: 0 };
  }
  if (key.ctrl || key.meta || input === '' || /[\x00-\x1f\x7f]/.test(input)) return s;
  const query = s.query + input;
  const idx = s.searchIndex ?? new SearchIndex(s.index.all);
  const result = idx.search(query, res);
  return { ...s, searchIndex: idx, query, searchStack: [...s.searchStack, result], searchSel: 0 };
}

function commandKey(s: AppState, input: string, key: KeyInfo): AppState {
  if (key.escape || (key.ctrl && input === 'c')) return { ...s, mode: 'normal' };
  if (key.tab) {
    const choices = s.cmdChoice >= 0 ? s.cmdChoices : completions(s.cmdText, completionSource(s.index, s.data));
    if (choices.length === 0) return { ...s, flash: { text: 'no completion', kind: 'info' } };
    const choice = (s.cmdChoice + (key.shift ? -1 : 1) + choices.length) % choices.length;
    let text = choices[choice]!;
    if (choices.length === 1 && !/\s/.test(text) && ['ctx', 'ns', 'pc', 'ps'].includes(text)) text += ' ';
    return { ...s, cmdText: text, cmdChoices: choices, cmdChoice: choices.length === 1 ? -1 : choice };
  }
  if (key.return) return runCommand({ ...s, mode: 'normal' }, s.cmdText);
  if (key.backspace || key.delete) {
    if (s.cmdText === '') return { ...s, mode: 'normal' };
    return { ...s, cmdText: s.cmdText.slice(0, -1), cmdChoices: [], cmdChoice: -1 };
  }
  if (key.ctrl || key.meta || input === '' || /[\x00-\x1f\x7f]/.test(input)) return s;
  return { ...s, cmdText: s.cmdText + input, cmdChoices: [], cmdChoice: -1 };
}

function helpKey(s: AppState, input: string, key: KeyInfo): AppState {
  const to = (top: number): AppState => ({ ...s, helpTop: Math.max(0, Math.min(top, s.helpMax ?? top)) });
  if (key.downArrow || input === 'j') return to(s.helpTop + 1);
  if (key.upArrow || input === 'k') return to(s.helpTop - 1);
  if (key.pageDown || input === ' ') return to(s.helpTop + paneHeight(s) - 1);
  if (key.pageUp) return to(s.helpTop - paneHeight(s) + 1);
  if (key.home || input === 'g') return to(0);
  if (key.end || input === 'G') return to(Number.MAX_SAFE_INTEGER);
  if (key.ctrl && input === 'c') return { ...s, mode: 'normal', pending: { type: 'quit' } };
  return { ...s, mode: 'normal' };
}

export function runCommand(s: AppState, text: string): AppState {
  const cmd = parseCommand(text);
  const err = (message: string): AppState => ({ ...s, flash: { text: message, kind: 'error' } });
  const scope = { ctx: s.view.ctx, ns: s.view.ns };
  switch (cmd.type) {
    case 'error': return err(cmd.message);
    case 'quit': return { ...s, pending: { type: 'quit' } };
    case 'help': return { ...s, mode: 'help', helpTop: 0 };
    case 'tree': return { ...withView(pushHistory(s), { type: 'tree' }), focus: 'tree' };
    case 'list': {
      const view: View = { type: 'list', name: cmd.def.name, title: cmd.def.title, kinds: cmd.def.kinds, ...scope };
      const next = withView(pushHistory(s), view);
      const where = [scope.ctx && `context ${scope.ctx}`, scope.ns && `namespace ${scope.ns}`].filter(Boolean).join(', ');
      return { ...next, focus: 'tree', flash: next.listIds.length === 0 ? { text: `no ${cmd.def.title}${where ? ' in ' + where : ''}`, kind: 'info' } : undefined };
    }
    case 'ctx': {
      const loaded = (n: string) => s.data.contexts.some((c) => c.name === n) || s.index.roots.some((r) => r.label === n || r.context === n);
      if (cmd.op || (cmd.name && !loaded(cmd.name) && s.data.setContext && s.data.contextChoices?.includes(cmd.name))) {
        return contextCommand(s, cmd.name!, cmd.op ?? 'add');
      }
      if (cmd.name && !s.index.roots.some((r) => r.label === cmd.name || r.context === cmd.name)) {
        const info = s.data.contexts.find((c) => c.name === cmd.name);
        if (info) return err(`context ${cmd.name} has nothing loaded${info.reason ? ` (${info.reason})` : ` (${info.status})`}; :ctx -${cmd.name} removes it`);
        const more = s.data.contextChoices?.length ? `; available: ${s.data.contextChoices.join(', ')}` : '';
        return err(`no context "${cmd.name}" (loaded: ${completionSource(s.index, s.data).contexts.join(', ') || 'none'}${more})`);
      }
      return scoped(s, { ctx: cmd.name, ns: cmd.name ? s.view.ns : undefined });
    }
    case 'ps': {
      const node = cmd.pod ? findPod(s, cmd.pod) : proxyNodeOf(s);
      if (!node || (node.kind !== 'Pod' && node.kind !== 'proxy')) {
        return err(cmd.pod ? `no pod "${cmd.pod}" (Tab completes pod names)` : ':ps needs a pod: select one or name it (:ps POD)');
      }
      const next = jump(s, node.id, 'details');
      if (!s.data.proxy) return { ...next, flash: { text: 'proxy-status is not available here', kind: 'info' } };
      return { ...next, dCursor: 0, dTop: 0, pending: { type: 'proxy', nodeId: node.id, op: 'show-diff' } };
    }
    case 'ns': {
      if (cmd.name && !s.index.all.some((n) => n.kind === 'namespace' && n.label === cmd.name)) return err(`no namespace "${cmd.name}"`);
      return scoped(s, { ctx: s.view.ctx, ns: cmd.name });
    }
    case 'pc': {
      const node = cmd.pod ? findPod(s, cmd.pod) : selectedNode(s);
      if (!node || (node.kind !== 'Pod' && node.kind !== 'proxy')) {
        return err(cmd.pod ? `no pod "${cmd.pod}" (Tab completes pod names)` : ':pc needs a pod: select one or name it (:pc routes POD)');
      }
      const next = jump(s, node.id, 'details');
      const tabs = detailsFor(next.data, node, cmd.tab).tabs;
      // Live: the pod's Envoy config is fetched now; the tabs appear when it arrives.
      if (tabs.length === 0 && next.data.proxy) return { ...next, tab: cmd.tab, dCursor: 0, dTop: 0, pending: { type: 'proxy', nodeId: node.id, op: 'open' } };
      if (tabs.length === 0) return { ...next, flash: { text: `${node.label} has no proxy config dump`, kind: 'error' } };
      return withProxyEffect({ ...next, tab: cmd.tab, dCursor: 0, dTop: 0 }, 'auto');
    }
  }
}

function scoped(s: AppState, scope: { ctx?: string; ns?: string }): AppState {
  const base = pushHistory(s);
  const view: View = s.view.type === 'list' ? { ...s.view, ...scope } : { type: 'tree', ...scope };
  if (view.type === 'tree' && scope.ctx) {
    // Show the context's namespaces right away.
    const expanded = new Set(base.expanded);
    for (const r of scopeRoots(base.index, view)) expanded.add(r.id);
    return withView({ ...base, expanded }, view);
  }
  return withView(base, view);
}

function findPod(s: AppState, name: string): TreeNode | undefined {
  const [pod, ns] = name.includes('.') ? [name.slice(0, name.indexOf('.')), name.slice(name.indexOf('.') + 1)] : [name, undefined];
  const pods = s.index.all.filter((n) => n.kind === 'Pod' && !n.linkTo && (!ns || n.ref?.namespace === ns));
  const inScope = (n: TreeNode) => !s.view.ctx || n.context === s.view.ctx;
  return pods.find((n) => n.label === pod && inScope(n)) ?? pods.find((n) => n.label === pod)
    ?? pods.find((n) => n.label.startsWith(pod) && inScope(n)) ?? pods.find((n) => n.label.startsWith(pod));
}

export const LIST_NAMES = LIST_COMMANDS.map((c) => c.name);
