// The details pane as one list of lines: the node's lines with the proxy-config table put in after the tab bar. The
// table's part is virtual (its filtered rows, or a row's raw JSON): only the lines on screen are ever built.
import type { DetailsContent, DLine } from '../details.js';
import { sliceLine, type Line } from '../format.js';
import type { ProxyTable } from '../types.js';
import { columnWidths, tableLine } from './table-lines.js';
import { visibleRows, type TableState } from './use-table-state.js';

export interface DetailsView {
  count: number;
  /** Line i at `width` columns, scrolled `left` columns (table rows keep their first column; the tab bar stays). */
  line(i: number, width: number, left: number): Line;
  /** The node id Enter on line i jumps to. */
  target(i: number): string | undefined;
  /** The table row shown on line i. */
  row(i: number): number | undefined;
  /** View index of the first table row (or of the region when the table is empty); -1 without a table. */
  firstRow: number;
  /** View index of content line i. */
  toView(i: number): number;
}

const MAX_JSON_LINES = 5000;
const jsonCache = new WeakMap<ProxyTable, Map<number, string[]>>();

function jsonLines(t: ProxyTable, row: number): string[] {
  let m = jsonCache.get(t);
  if (!m) jsonCache.set(t, (m = new Map()));
  let lines = m.get(row);
  if (!lines) {
    let text: string;
    try {
      text = JSON.stringify(t.raw?.(row) ?? null, null, 2) ?? 'null';
    } catch (err) {
      text = `raw JSON unavailable: ${err instanceof Error ? err.message : String(err)}`;
    }
    lines = text.split('\n');
    if (lines.length > MAX_JSON_LINES) lines = [...lines.slice(0, MAX_JSON_LINES), `… ${lines.length - MAX_JSON_LINES} more lines`];
    m.set(row, lines);
  }
  return lines;
}

const rowLineCache = new WeakMap<ProxyTable, { key: string; lines: Map<number, Line> }>();

function rowLine(t: ProxyTable, row: number, widths: number[], left: number): Line {
  const key = `${widths.join(',')}|${left}`;
  let c = rowLineCache.get(t);
  if (!c || c.key !== key) rowLineCache.set(t, (c = { key, lines: new Map() }));
  let l = c.lines.get(row);
  if (!l) {
    l = tableLine(t.rows[row]!, widths, left);
    if (c.lines.size > 500) c.lines.clear();
    c.lines.set(row, l);
  }
  return l;
}

function statusLine(t: ProxyTable, s: TableState, rows: number): Line {
  const parts: Line = [{ text: ' ' }];
  if (s.typing || s.filter) parts.push({ text: '/', bold: true, color: 'cyan' }, { text: s.filter }, ...(s.typing ? [{ text: '▏', color: 'cyan' as const }] : []), { text: '  ' });
  parts.push({ text: `${rows} of ${t.rows.length} rows`, dim: true });
  if (s.trail.length > 0 || s.filter || s.pin) parts.push({ text: s.typing ? '  Enter keeps, Esc clears' : '  Esc back', dim: true });
  if (s.pin) parts.push({ text: `  from ${s.pin.label}`, color: 'cyan' });
  return parts;
}

export function detailsView(c: DetailsContent, s: TableState): DetailsView {
  const t = c.table;
  const at = c.tableAt;
  if (!t || at === undefined) {
    return {
      count: c.lines.length,
      line: (i, _w, left) => sliceLine(c.lines[i]!.line, left),
      target: (i) => c.lines[i]?.target,
      row: () => undefined,
      firstRow: -1,
      toView: (i) => i,
    };
  }
  const raw = s.raw !== undefined && t.raw ? s.raw : undefined;
  const rows = visibleRows(t, s);
  const status = s.typing || s.filter !== '' || s.pin !== undefined ? 1 : 0;
  // The region: [status], header, then the rows (or one "none" line), or the raw JSON of one row.
  const json = raw !== undefined ? jsonLines(t, raw) : undefined;
  const body = json ? json.length : Math.max(1, rows.length);
  const size = status + 1 + body;
  const first = at + status + 1;
  const region = (k: number, width: number, left: number): Line => {
    if (k < status) return statusLine(t, s, rows.length);
    if (k === status) {
      if (json) return [{ text: ` raw JSON of ${t.rows[raw!]![0] ?? 'row'} (J or Esc closes)`, bold: true }];
      return tableLine(t.columns, columnWidths(t, width), left, true);
    }
    const j = k - status - 1;
    if (json) return sliceLine([{ text: ' ' + json[j]! }], left);
    if (rows.length === 0) return [{ text: t.rows.length === 0 ? ' (none)' : ' no row matches', dim: true }];
    return rowLine(t, rows[j]!, columnWidths(t, width), left);
  };
  const DL: DLine = { line: [] };
  const lineAt = (i: number): DLine | undefined => (i < at ? c.lines[i] : i >= at + size ? c.lines[i - size] : DL);
  return {
    count: c.lines.length + size,
    line: (i, width, left) => {
      if (i < at) return c.lines[i]!.line;
      if (i >= at + size) return sliceLine(c.lines[i - size]!.line, left);
      return region(i - at, width, left);
    },
    target: (i) => lineAt(i)?.target,
    row: (i) => (json || i < first || i >= first + rows.length ? undefined : rows[i - first]),
    firstRow: first,
    toView: (i) => (i < at ? i : i + size),
  };
}
