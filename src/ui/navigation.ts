// Moving around: the cursor kept in view, jumps and reveals (expanding ancestors), history (Esc, `-`), folding,
// details scrolling and search matches (n/N). Pure functions of the state.
import { detailsFor } from './details-cache.js';
import { detailsView, type DetailsView } from './table/details-view.js';
import { EMPTY_TABLE } from './table/use-table-state.js';
import { itemCount, listItems, paneHeight, scopeRoots, selectedId, selectedNode, highlightOf, type AppState, type Pane, type Place, type View } from './state.js';
import { ancestors, collapseAt, expandAt, flatten } from './tree-index.js';

export function clampCursor(s: AppState, cursor: number, center = false): AppState {
  const n = itemCount(s);
  const h = paneHeight(s);
  const c = Math.max(0, Math.min(n - 1, cursor));
  let top = s.top;
  if (center && (c < top || c >= top + h)) top = c - Math.floor(h / 2);
  if (c < top) top = c;
  if (c >= top + h) top = c - h + 1;
  top = Math.max(0, Math.min(top, Math.max(0, n - h)));
  const moved = selectedId(s) !== (s.view.type === 'list' ? s.listIds[c] : s.rows[c]?.node.id);
  return { ...s, cursor: Math.max(0, c), top, ...(moved ? { dCursor: 0, dTop: 0, dLeft: 0, table: EMPTY_TABLE } : {}) };
}

export function detailsLines(s: AppState) {
  const node = selectedNode(s);
  return node ? detailsFor(s.data, node, s.tab, highlightOf(s, node)) : undefined;
}

/** The details pane's lines as shown: the node's content with its table filtered, drilled or as raw JSON. */
export function detailsViewOf(s: AppState): DetailsView | undefined {
  const content = detailsLines(s);
  return content ? detailsView(content, s.table) : undefined;
}

/** After a jump: highlight `path` in the node's YAML and scroll the details so the line is in the middle. */
export function withHighlight(s: AppState, id: string, path: string): AppState {
  const next: AppState = { ...s, highlight: { id, path } };
  const node = selectedNode(next);
  if (!node || node.id !== id) return next;
  const content = detailsFor(next.data, node, next.tab, path);
  if (content.highlightLine === undefined) return { ...next, flash: { text: `${path} is not in the YAML of ${node.label}`, kind: 'info' } };
  const view = detailsView(content, next.table);
  const at = view.toView(content.highlightLine);
  const h = paneHeight(next);
  const top = Math.max(0, Math.min(at - Math.floor(h / 3), view.count - h));
  return { ...next, dCursor: at, dTop: top, dLeft: 0 };
}

/** The details cursor on the table's first row (the page scrolled only as far as that needs). */
export function toFirstRow(s: AppState): AppState {
  const first = detailsViewOf(s)?.firstRow ?? -1;
  return first < 0 ? s : moveDetails({ ...s, dTop: 0 }, first);
}

export function moveDetails(s: AppState, to: number): AppState {
  const n = detailsViewOf(s)?.count ?? 0;
  const h = paneHeight(s);
  const c = Math.max(0, Math.min(n - 1, to));
  let top = s.dTop;
  if (c < top) top = c;
  if (c >= top + h) top = c - h + 1;
  return { ...s, dCursor: c, dTop: Math.max(0, top) };
}

export function place(s: AppState): Place {
  return { view: s.view, selected: selectedId(s), focus: s.focus };
}

export function pushHistory(s: AppState): AppState {
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

export function jump(s: AppState, id: string, focus: Pane = 'tree', toTree = false): AppState {
  const base = pushHistory(s);
  const moved = reveal(toTree && base.view.type === 'list' ? { ...base, view: { type: 'tree' } } : base, id);
  return { ...moved, focus };
}

export function back(s: AppState): AppState {
  const last = s.history[s.history.length - 1];
  if (!last) return { ...s, flash: { text: 'no earlier place in history', kind: 'info' } };
  const rest = s.history.slice(0, -1);
  return restore({ ...s, history: rest, prev: place(s) }, last);
}

export function restore(s: AppState, p: Place): AppState {
  let next = withView(s, p.view);
  if (p.selected) next = reveal({ ...next }, p.selected);
  if (next.view.type !== p.view.type) next = withView(next, p.view);
  return { ...next, focus: p.focus };
}

export function previousView(s: AppState): AppState {
  if (!s.prev) return { ...s, flash: { text: 'no previous view', kind: 'info' } };
  const here = place(s);
  const next = restore(s, s.prev);
  return { ...next, prev: here, history: [...s.history.slice(-99), here] };
}

export function expand(s: AppState): AppState {
  const node = s.rows[s.cursor]!.node;
  const expanded = new Set(s.expanded);
  expanded.add(node.id);
  return { ...s, expanded, rows: expandAt(s.rows, s.cursor, expanded) };
}

export function collapse(s: AppState): AppState {
  const node = s.rows[s.cursor]!.node;
  const expanded = new Set(s.expanded);
  expanded.delete(node.id);
  return clampCursor({ ...s, expanded, rows: collapseAt(s.rows, s.cursor) }, s.cursor);
}

export function nextMatch(s: AppState, step: number): AppState {
  if (s.matches.length === 0) return { ...s, flash: { text: 'no search yet: press / to search', kind: 'info' } };
  const pos = (s.matchPos + step + s.matches.length) % s.matches.length;
  const next = reveal({ ...s, matchPos: pos }, s.matches[pos]!);
  return { ...next, focus: 'tree', flash: { text: `match ${pos + 1}/${s.matches.length}`, kind: 'info' } };
}
