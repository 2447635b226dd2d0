// A proxy-config table's lines at a given width: columns as wide as their widest cell, the widest squeezed (names
// lose their middle, Envoy cluster names keep their subset) until the table fits, and when it still does not, the
// first column stays put while the others scroll sideways. Only the rows asked for are built.
import { sanitizeLine } from '../../core/sanitize.js';
import type { Line } from '../format.js';
import { clusterName, middle } from '../shorten.js';
import { textWidth } from '../text-width.js';
import type { ProxyTable } from '../types.js';

const GAP = 2;
/** Narrowest a squeezed column gets. */
const MIN_COLUMN = 12;
/** Widest a column gets, however long its cells. */
const MAX_COLUMN = 80;

const naturalCache = new WeakMap<ProxyTable, { max: number[]; typical: number[] }>();

/**
 * Each column's width: its widest cell (or header), at most MAX_COLUMN, and the width 90% of its cells fit in (so one
 * long outlier does not take the room of the others). Computed once per table.
 */
function naturalWidths(t: ProxyTable): { max: number[]; typical: number[] } {
  let n = naturalCache.get(t);
  if (n) return n;
  const perColumn = t.columns.map(() => [] as number[]);
  for (const r of t.rows) {
    for (let i = 0; i < r.length && i < perColumn.length; i++) {
      const c = r[i]!;
      // Most cells are ASCII: their length is their width.
      perColumn[i]!.push(Math.min(MAX_COLUMN, /^[\x20-\x7e]*$/.test(c) ? c.length : textWidth(sanitizeLine(c))));
    }
  }
  const max: number[] = [];
  const typical: number[] = [];
  perColumn.forEach((ws, i) => {
    const head = textWidth(t.columns[i]!);
    ws.sort((a, b) => a - b);
    max.push(Math.max(head, ws[ws.length - 1] ?? 0));
    typical.push(Math.max(head, ws[Math.floor((ws.length - 1) * 0.9)] ?? 0));
  });
  naturalCache.set(t, (n = { max, typical }));
  return n;
}

/**
 * Column widths for `width` columns: every cell whole when it fits; else long outliers give way, then the widest other
 * columns, then the first; none below MIN_COLUMN (what is left scrolls sideways).
 */
export function columnWidths(t: ProxyTable, width: number): number[] {
  const n = naturalWidths(t);
  const room = width - 1 - GAP * (n.max.length - 1);
  if (n.max.reduce((a, b) => a + b, 0) <= room) return n.max;
  // Outliers give way first, then the widest columns, evenly.
  const w = n.max.slice();
  let excess = w.reduce((a, b) => a + b, 0) - room;
  for (let i = 0; i < w.length && excess > 0; i++) {
    const cut = Math.min(excess, w[i]! - n.typical[i]!);
    w[i]! -= cut;
    excess -= cut;
  }
  // Then the widest of the other columns, evenly; the first (the row's key) last.
  for (const from of [1, 0]) {
    while (excess > 0) {
      let at = -1;
      for (let i = from; i < w.length; i++) if (w[i]! > MIN_COLUMN && (at < 0 || w[i]! > w[at]!)) at = i;
      if (at < 0) break;
      const next = Math.max(MIN_COLUMN, ...w.filter((x, i) => i >= from && x < w[at]!));
      const cut = Math.min(excess, w[at]! - next || 1);
      w[at]! -= cut;
      excess -= cut;
    }
  }
  return w;
}

/** A cell cut to `width`: Envoy cluster names keep their subset and service, FQDNs lose the cluster domain first. */
export function fitCell(text: string, width: number): string {
  const s = sanitizeLine(text);
  if (textWidth(s) <= width) return s;
  const m = /^((?:[A-Za-z ]+: )?)((?:inbound|outbound)\|.*)$/.exec(s);
  if (m && textWidth(m[1]!) + 8 <= width) return m[1]! + clusterName(m[2]!, width - textWidth(m[1]!));
  const short = s.replace(/\.svc\.cluster\.local\b/g, '');
  return textWidth(short) <= width ? short : middle(short, width);
}

function cells(values: string[], widths: number[]): string[] {
  return values.map((v, i) => {
    const w = widths[i] ?? MIN_COLUMN;
    const c = fitCell(v, w);
    return i === values.length - 1 ? c : c + ' '.repeat(Math.max(0, w - textWidth(c)));
  });
}

/** One table line: the first column, then the others shifted `left` columns (H/L); the first column never moves. */
export function tableLine(values: string[], widths: number[], left: number, bold = false): Line {
  const [first = '', ...rest] = cells(values, widths);
  const tail = rest.join(' '.repeat(GAP));
  const shown = left > 0 ? [...tail].slice(left).join('') : tail;
  // A blank first column: the selection marker takes it, so a selected row does not shift.
  const line: Line = [{ text: ' ' + first, bold }];
  if (rest.length > 0) line.push({ text: ' '.repeat(GAP) + (left > 0 ? '⇠' : '') + shown, bold });
  return line;
}
