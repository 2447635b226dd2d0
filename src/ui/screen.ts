// Builds every screen region as styled lines (only the visible ones). Pure: App.tsx just prints them.
import type { TreeNode } from '../mesh/tree-types.js';
import { sanitizeLine } from '../core/sanitize.js';
import { searchResult, type AppState } from './app-state.js';
import type { DetailsView } from './table/details-view.js';
import { badgeSegs, kindTag, sliceLine, treeRow, type Line, type Seg } from './format.js';
import { textWidth } from './text-width.js';
import { hintsFor, type KeyScope } from './keys.js';
import { withSelectionMarker } from './selection-marker.js';
import type { SearchResult } from './search.js';
import type { ContextInfo, MeshData, UiPlugin } from './types.js';
import type { ProblemCounts } from '../mesh/tree-findings.js';

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

function contextSegs(c: ContextInfo, spin: number): Seg[] {
  const name = sanitizeLine(c.name);
  switch (c.status) {
    case 'loading': return [{ text: `${SPINNER[spin % SPINNER.length]} ${name}`, color: 'yellow' }, { text: ' loading…', dim: true }];
    case 'ok': return [{ text: `● ${name}`, color: 'green' }, { text: countsText(c), dim: true }];
    case 'partial': return [{ text: `◐ ${name}`, color: 'yellow' }, { text: countsText(c) + ' partial', color: 'yellow' }];
    case 'error': return [{ text: `✗ ${name}`, color: 'red', bold: true }, { text: ' error', color: 'red' }];
  }
}

function countsText(c: ContextInfo): string {
  const parts = Object.entries(c.counts ?? {}).map(([k, v]) => `${v} ${k}`);
  return parts.length ? ' ' + parts.join(' ') : ' ok';
}

export function headerLines(data: MeshData, width: number, spin: number): Line[] {
  const title: Line = [{ text: ' meshscope ', bold: true, inverse: true }, { text: ' ' }];
  title.push({ text: data.source === 'live' ? 'live' : sanitizeLine(data.source), color: 'cyan' });
  if (data.readOnly) title.push({ text: ' ' }, { text: ' READ-ONLY ', bold: true, inverse: true, color: 'yellow' });
  const ctx: Line = [{ text: ' ' }];
  if (data.contexts.length === 0) ctx.push({ text: 'no contexts loaded', color: 'yellow' });
  data.contexts.forEach((c, i) => {
    if (i > 0) ctx.push({ text: '  ' });
    ctx.push(...contextSegs(c, spin));
  });
  const lines: Line[] = [title, ctx];
  // Each failed or partial context gets its one-line reason (at most three lines).
  const bad = data.contexts.filter((c) => (c.status === 'error' || c.status === 'partial') && c.reason);
  for (const c of bad.slice(0, 3)) {
    const color = c.status === 'error' ? 'red' : 'yellow';
    lines.push([{ text: ` ${sanitizeLine(c.name)}: `, color, bold: true }, { text: sanitizeLine(c.reason!), color }]);
  }
  if (bad.length > 3) lines.push([{ text: ` …and ${bad.length - 3} more contexts with problems`, color: 'yellow' }]);
  for (const c of data.contexts.filter((x) => x.absent?.length).slice(0, 3)) {
    lines.push([{ text: ` ${sanitizeLine(c.name)}: `, dim: true }, { text: c.absent!.map(sanitizeLine).join('; '), dim: true }]);
  }
  void width;
  return lines;
}

function paneTitle(text: string, focused: boolean): Line {
  return [{ text: ` ${text} `, bold: true, inverse: focused }];
}

const EMPTY: Line = [{ text: '' }];

function padTo(lines: Line[], height: number): Line[] {
  while (lines.length < height) lines.push(EMPTY);
  return lines.slice(0, height);
}

function scopeText(s: AppState): string {
  const parts = [s.view.ctx && `ctx ${s.view.ctx}`, s.view.ns && `ns ${s.view.ns}`].filter(Boolean);
  return parts.length ? ` [${parts.join(' ')}]` : '';
}

const selectedCache = new WeakMap<Line, Line>();
/** The selected row: inverse, and a `›` marker that shows without colour too (NO_COLOR drops inverse). */
function selectedLine(line: Line): Line {
  let l = selectedCache.get(line);
  if (!l) selectedCache.set(line, (l = withSelectionMarker(line).map((s) => ({ ...s, inverse: true, dim: false }))));
  return l;
}

/** Tree row lines are cached per node, so unchanged rows keep their identity and React skips them. */
const rowCache = new WeakMap<TreeNode, { depth: number; open: boolean; counts?: ProblemCounts; line: Line }>();
function cachedTreeRow(node: TreeNode, depth: number, open: boolean, counts?: ProblemCounts): Line {
  const c = rowCache.get(node);
  if (c && c.depth === depth && c.open === open && c.counts === counts) return c.line;
  const line = treeRow(node, depth, open, counts);
  rowCache.set(node, { depth, open, counts, line });
  return line;
}

const listCache = new WeakMap<TreeNode, Line>();
function cachedListRow(node: TreeNode): Line {
  let l = listCache.get(node);
  if (!l) listCache.set(node, (l = listRow(node)));
  return l;
}

const markCache = new WeakMap<Line, Line>();
/** A node the provider marked (a watched object that changed): a • right after the indent (or the kind tag). */
function marked(s: AppState, id: string, line: Line): Line {
  if (!s.data.marks?.has(id)) return line;
  let l = markCache.get(line);
  if (!l) markCache.set(line, (l = [line[0]!, { text: '• ', color: 'magenta', bold: true }, ...line.slice(1)]));
  return l;
}

/** The left pane: title + the visible window of the tree or of a list view. */
export function leftPaneLines(s: AppState, width: number, height: number, focused: boolean): Line[] {
  const lines: Line[] = [];
  if (s.view.type === 'list') {
    lines.push(paneTitle(`${s.view.title} (${s.listIds.length})${scopeText(s)}`, focused));
    if (s.listIds.length === 0) lines.push([{ text: ` no ${s.view.title} here; :tree goes back`, dim: true }]);
    for (let i = s.top; i < Math.min(s.listIds.length, s.top + height); i++) {
      const n = s.index.byId.get(s.listIds[i]!)!;
      const l = marked(s, n.id, cachedListRow(n));
      lines.push(i === s.cursor ? selectedLine(l) : l);
    }
  } else {
    lines.push(paneTitle(`Tree (${s.rows.length} rows)${scopeText(s)}`, focused));
    if (s.rows.length === 0) lines.push([{ text: ' nothing loaded yet', dim: true }]);
    for (let i = s.top; i < Math.min(s.rows.length, s.top + height); i++) {
      const r = s.rows[i]!;
      const l = marked(s, r.node.id, cachedTreeRow(r.node, r.depth, s.expanded.has(r.node.id), s.data.problemCounts?.get(r.node.id)));
      lines.push(i === s.cursor ? selectedLine(l) : l);
    }
  }
  return padTo(lines, height + 1);
}

function listRow(n: TreeNode): Line {
  const ns = n.ref?.namespace ? sanitizeLine(n.ref.namespace) + '/' : '';
  const l: Line = [{ text: ` ${kindTag(n.kind)} `, color: 'gray' }, { text: ns, dim: true }, { text: sanitizeLine(n.label) }];
  if (n.context) l.push({ text: ` @${sanitizeLine(n.context)}`, color: 'yellow' });
  if (n.detail) l.push({ text: ' ' + sanitizeLine(n.detail), dim: true });
  l.push(...badgeSegs(n.badges));
  return l;
}

/** The right pane: live search results while searching, else the details of the selected node. */
export function rightPaneLines(
  s: AppState, view: DetailsView | undefined, node: TreeNode | undefined, width: number, height: number, focused: boolean,
): Line[] {
  if (s.mode === 'search') return searchLines(s, searchResult(s), height);
  const lines: Line[] = [];
  if (!node || !view) {
    lines.push(paneTitle('Details', focused));
    lines.push([{ text: ' nothing selected', dim: true }]);
    return padTo(lines, height + 1);
  }
  const total = view.count;
  const more = (total > height ? ` ${s.dTop + 1}-${Math.min(total, s.dTop + height)}/${total}` : '') + (s.dLeft > 0 ? `  ⇠ ${s.dLeft} cols (H)` : '');
  lines.push(paneTitle(`Details${more}`, focused));
  for (let i = s.dTop; i < Math.min(total, s.dTop + height); i++) {
    const l = view.line(i, width, s.dLeft);
    lines.push(focused && i === s.dCursor ? selectedLine(l.length ? l : [{ text: ' ' }]) : l);
  }
  return padTo(lines, height + 1);
}

function searchLines(s: AppState, res: SearchResult | undefined, height: number): Line[] {
  const count = res?.count ?? 0;
  const lines: Line[] = [paneTitle(s.query ? `Matches for "${sanitizeLine(s.query)}" (${count})` : 'Search', true)];
  if (!s.query) lines.push([{ text: ' type to search names, hosts, Envoy clusters, IPs, labels', dim: true }]);
  else if (count === 0) lines.push([{ text: ' no match', color: 'yellow' }]);
  const top = Math.max(0, Math.min(s.searchSel - Math.floor(height / 2), count - height));
  for (let i = top; i < Math.min(count, top + height); i++) {
    const n = res!.nodeAt(i)!;
    const size = res!.sizeAt(i);
    const l = size > 1 ? [...cachedListRow(n), { text: ` ×${size}`, color: 'cyan' as const, bold: true, keep: true }] : cachedListRow(n);
    lines.push(i === s.searchSel ? selectedLine(l) : l);
  }
  return padTo(lines, height + 1);
}

export function footerLines(s: AppState, plugins: UiPlugin[], width: number, res: SearchResult | undefined): Line[] {
  let first: Line;
  if (s.mode === 'search') {
    first = [{ text: '/', bold: true, color: 'cyan' }, { text: s.query }, { text: '▏', color: 'cyan' }, { text: `  ${res?.count ?? 0} matches`, dim: true }];
  } else if (s.mode === 'command') {
    first = [{ text: ':', bold: true, color: 'cyan' }, { text: s.cmdText }, { text: '▏', color: 'cyan' }];
    if (s.cmdChoices.length > 1) first.push({ text: '  ' + s.cmdChoices.slice(0, 8).join('  '), dim: true });
  } else if (s.flash) {
    first = [{ text: (s.flash.kind === 'error' ? ' ✗ ' : ' ') + sanitizeLine(s.flash.text), color: s.flash.kind === 'error' ? 'red' : 'green' }];
  } else {
    first = [{ text: '' }];
  }
  const scope: KeyScope = s.mode === 'search' || s.mode === 'command'
    ? s.mode
    : s.focus === 'details' ? 'details' : s.view.type === 'list' ? 'list' : 'tree';
  // A status (convergence after a write) takes the hint line while it lasts: the footer keeps its height.
  const st = s.data.status;
  if (st) {
    const mark = st.kind === 'progress' ? '⟳ ' : st.kind === 'error' ? '✗ ' : '✓ ';
    return [first, [{ text: ` ${mark}${sanitizeLine(st.text)}`, color: st.kind === 'error' ? 'red' : st.kind === 'progress' ? 'cyan' : 'green' }]];
  }
  return [first, hintLine(hintsFor(scope, plugins), width)];
}

/** Whole hints only, in order, as many as fit; `? help` and `q quit` are kept whatever the width. */
export function hintLine(all: [string, string][], width: number): Line {
  const w = ([k, h]: [string, string]) => textWidth(` ${k} ${h}`);
  const must = all.filter(([k]) => k === '?' || k === 'q');
  let room = width - must.reduce((n, x) => n + w(x), 0);
  const chosen = new Set(must);
  for (const x of all) {
    if (chosen.has(x)) continue;
    if (w(x) > room) break;
    chosen.add(x);
    room -= w(x);
  }
  const hints: Line = [];
  for (const x of all) if (chosen.has(x)) hints.push({ text: ` ${x[0]}`, bold: true, color: 'cyan' }, { text: ` ${x[1]}`, dim: true });
  return hints;
}
