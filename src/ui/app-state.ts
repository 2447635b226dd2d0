// The app's pure reducer: every key press is an action; effects (quit, refresh, open a plugin) are left in `pending`
// for the thin Ink binding (App.tsx) to carry out. State and selectors: state.ts; moving around: navigation.ts;
// `:` commands: run-command.ts.
import { completions } from './commands.js';
import { SearchIndex, type SearchResult } from './search.js';
import { proxyKey, withProxyEffect } from './live-keys.js';
import {
  back, clampCursor, collapse, detailsLines, detailsViewOf, expand, toFirstRow, jump, moveDetails, nextMatch, previousView, reveal, withHighlight, withView,
} from './navigation.js';
import { EMPTY_TABLE, tableHasBack, tableReducer, type TableAction } from './table/use-table-state.js';
import { runCommand } from './run-command.js';
import { completionSource, itemCount, paneHeight, searchResult, selectedId, selectedNode, treeWidth, type Action, type AppState, type KeyInfo } from './state.js';
import { buildIndex } from './tree-index.js';
import { PROXY_TABS, type MeshData, type ProxyTab } from './types.js';

export * from './state.js';

export function appReducer(s: AppState, a: Action): AppState {
  switch (a.type) {
    case 'data': return onData(s, a.data);
    case 'resize': {
      const cols = a.columns ?? s.columns;
      if (a.bodyHeight === s.bodyHeight) return cols === s.columns ? s : { ...s, columns: cols };
      return clampCursor({ ...s, bodyHeight: Math.max(1, a.bodyHeight), columns: cols }, s.cursor);
    }
    case 'flash': return { ...s, flash: { text: a.text, kind: a.kind ?? 'info' } };
    case 'jump': {
      const next = jump({ ...s, mode: s.mode === 'plugin' ? 'normal' : s.mode }, a.id);
      const marked = a.highlightPath ? withHighlight(next, a.id, a.highlightPath) : next;
      return a.open && s.pluginKeys.includes(a.open) ? { ...marked, pending: { type: 'plugin', key: a.open } } : marked;
    }
    case 'closePlugin': return { ...s, mode: 'normal' };
    case 'plugins': return a.keys.join() === s.pluginKeys.join() ? s : { ...s, pluginKeys: a.keys };
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
        default: return s.table.typing ? tableFilterKey(cleared, a.input, a.key) : normalKey(cleared, a.input, a.key);
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
  // A search typed before this tree arrived (e.g. while the snapshot was still loading) runs again on it.
  if (s.mode === 'search' && s.query !== '') next = rerunSearch(next, s.query);
  return { ...next, ...notice };
}

/** The search stack of `query` on the current tree, one result per typed character (as if typed now). */
function rerunSearch(s: AppState, query: string): AppState {
  const idx = new SearchIndex(s.index.all);
  const stack: SearchResult[] = [];
  let acc = '';
  for (const ch of query) {
    acc += ch;
    stack.push(idx.search(acc, stack[stack.length - 1]));
  }
  return { ...s, searchIndex: idx, searchStack: stack, searchSel: 0 };
}

function normalKey(s: AppState, input: string, key: KeyInfo): AppState {
  if (key.ctrl && input === 'c') return { ...s, pending: { type: 'quit' } };
  if (key.tab) return s.focus === 'tree' ? withProxyEffect({ ...s, focus: 'details' }, 'auto') : { ...s, focus: 'tree' };
  if (key.escape) return s.focus === 'details' && tableHasBack(s.table) ? tableBack(s) : back(s);
  if (input === '/' && s.focus === 'details' && detailsLines(s)?.table) return table(s, { type: 'startFilter' });
  switch (input) {
    case 'q': return { ...s, pending: { type: 'quit' } };
    case 'r': return { ...s, pending: { type: 'refresh' }, flash: { text: 'refreshing…', kind: 'info' } };
    case '?': return { ...s, mode: 'help', helpTop: 0 };
    case '/': return { ...s, mode: 'search', query: '', searchStack: [], searchSel: 0, searchIndex: s.searchIndex ?? new SearchIndex(s.index.all) };
    case ':': return { ...s, mode: 'command', cmdText: '', cmdChoices: [], cmdChoice: -1 };
    case '-': return previousView(s);
    case '<': case '>': return resizeTree(s, input === '>' ? 4 : -4);
    case 'z': return { ...s, zoom: !s.zoom };
    case 'n': case 'N': return nextMatch(s, input === 'n' ? 1 : -1);
    case 'R': return proxyKey(s, 'reload', 'R refetches the Envoy config of a pod: select a pod or its proxy');
    case 'd': if (!key.ctrl) return proxyKey({ ...s, dCursor: 0, dTop: 0 }, 'toggle-diff', 'd shows the proxy-status diff of a pod: select a pod or its proxy');
  }
  if (input.length === 1 && s.pluginKeys.includes(input)) return { ...s, pending: { type: 'plugin', key: input } };
  return s.focus === 'details' ? detailsKey(s, input, key) : treeKey(s, input, key);
}

/** `<` `>`: the tree 4 columns narrower or wider (a step that would change nothing is refused with a note). */
function resizeTree(s: AppState, step: number): AppState {
  if (s.zoom) return { ...s, flash: { text: 'z first: the focused pane has the whole width while zoomed', kind: 'info' } };
  const focusDetails = s.focus === 'details';
  const now = treeWidth(s.columns, focusDetails, s.treeDelta);
  const next = treeWidth(s.columns, focusDetails, s.treeDelta + step);
  if (next === now) return { ...s, flash: { text: step > 0 ? 'the tree is as wide as it gets' : 'the tree is as narrow as it gets', kind: 'info' } };
  return { ...s, treeDelta: s.treeDelta + (next - now) };
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

function detailsKey(s: AppState, input: string, key: KeyInfo): AppState {
  const content = detailsLines(s);
  const view = detailsViewOf(s);
  const n = view?.count ?? 0;
  const to = moveKeys(input, key, s.dCursor, Math.max(1, paneHeight(s) - 1), n - 1);
  if (to !== undefined) return moveDetails(s, to);
  if (input === 'L' || (key.shift && key.rightArrow)) return { ...s, dLeft: s.dLeft + 8 };
  if (input === 'H' || (key.shift && key.leftArrow)) return { ...s, dLeft: Math.max(0, s.dLeft - 8) };
  const tabs = content?.tabs ?? [];
  const tabAt = tabs.indexOf(s.tab);
  const toTab = (tab: ProxyTab): AppState => toFirstRow({ ...s, tab, dCursor: 0, dTop: 0, dLeft: 0, table: EMPTY_TABLE });
  if (tabs.length > 0 && (key.leftArrow || key.rightArrow || input === 'h' || input === 'l')) {
    const step = key.leftArrow || input === 'h' ? -1 : 1;
    const cur = tabAt < 0 ? 0 : tabAt;
    return toTab(tabs[(cur + step + tabs.length) % tabs.length]!);
  }
  if (/^[1-4]$/.test(input) && tabs.length > 0) {
    const t = PROXY_TABS[Number(input) - 1]!;
    return tabs.includes(t) ? toTab(t) : { ...s, flash: { text: `no ${t} view for this node`, kind: 'info' } };
  }
  if (key.leftArrow || input === 'h') return { ...s, focus: 'tree' };
  const row = view?.row(s.dCursor);
  if (input === 'J') {
    if (s.table.raw !== undefined) return table(s, { type: 'raw', row: undefined });
    if (row === undefined || !content?.table?.raw) return { ...s, flash: { text: 'J shows the raw JSON of a proxy-config row: select one first', kind: 'info' } };
    const next = table(s, { type: 'raw', row });
    const first = detailsViewOf(next)?.firstRow ?? 0;
    return { ...next, dCursor: first, dTop: Math.max(0, first - 1) };
  }
  if (key.return) {
    if (row !== undefined && content?.table) return drill(s, row);
    const target = view?.target(s.dCursor);
    if (target) return jump(s, target);
    return { ...s, flash: { text: 'nothing to open on this line (jump entries are marked ↗)', kind: 'info' } };
  }
  return s;
}

function table(s: AppState, a: TableAction): AppState {
  return { ...s, table: tableReducer(s.table, a) };
}

/** Enter on a table row: a listener to its routes, a route to its clusters, a cluster to its endpoints. */
function drill(s: AppState, row: number): AppState {
  const t = detailsLines(s)?.table;
  const to = t?.drill?.(row);
  if (!to) return { ...s, flash: { text: `nothing to drill into from this ${s.tab.replace(/s$/, '')}`, kind: 'info' } };
  const from = { tab: s.tab, filter: s.table.filter, pin: s.table.pin, cursor: s.dCursor, top: s.dTop };
  const next: AppState = { ...table(s, { type: 'drill', from, pin: { keys: to.keys, label: to.label } }), tab: to.tab, dLeft: 0 };
  const first = detailsViewOf(next)?.firstRow ?? 0;
  return { ...next, dCursor: first, dTop: Math.max(0, first - 3) };
}

/** Esc in the table: closes the raw JSON, goes back up a drill, or clears the filter. */
function tableBack(s: AppState): AppState {
  const raw = s.table.raw;
  const stop = raw === undefined ? s.table.trail[s.table.trail.length - 1] : undefined;
  const next = table(s, { type: 'back' });
  if (stop) return { ...next, tab: stop.tab, dCursor: stop.cursor, dTop: stop.top };
  // Back on the row whose JSON was shown, or on the first row.
  const view = detailsViewOf(next);
  if (!view || view.firstRow < 0) return next;
  let at = view.firstRow;
  if (raw !== undefined) while (at < view.count && view.row(at) !== undefined && view.row(at) !== raw) at++;
  if (view.row(at) === undefined) at = view.firstRow;
  return moveDetails({ ...next, dTop: Math.max(0, view.firstRow - 3) }, at);
}

/** Keys while typing a table filter: text edits it, Enter keeps it, Esc clears it; the rows follow each key. */
function tableFilterKey(s: AppState, input: string, key: KeyInfo): AppState {
  if (key.ctrl && input === 'c') return { ...s, pending: { type: 'quit' } };
  let next: AppState;
  if (key.escape) next = table(s, { type: 'endFilter', keep: false });
  else if (key.return) next = table(s, { type: 'endFilter', keep: true });
  else if (key.backspace || key.delete) next = table(s, { type: 'backspace' });
  else if (key.ctrl || key.meta || input === '' || /[\x00-\x1f\x7f]/.test(input)) return s;
  else next = table(s, { type: 'char', input });
  const first = detailsViewOf(next)?.firstRow ?? 0;
  return { ...next, dCursor: first, dTop: Math.max(0, first - 3) };
}

function searchKey(s: AppState, input: string, key: KeyInfo): AppState {
  const res = searchResult(s);
  if (key.escape || (key.ctrl && input === 'c')) return { ...s, mode: 'normal' };
  if (key.return) {
    const id = res?.idAt(s.searchSel);
    if (!res || !id) return { ...s, mode: 'normal', flash: { text: s.query ? `no match for "${s.query}"` : 'search cancelled', kind: 'info' } };
    const ids = res.allIds();
    const pos = res.startOf(s.searchSel);
    const next = jump({ ...s, mode: 'normal', matches: ids, matchPos: pos }, id);
    return { ...next, flash: { text: `match ${pos + 1}/${ids.length} for "${s.query}" (n/N: next/previous)`, kind: 'info' } };
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
