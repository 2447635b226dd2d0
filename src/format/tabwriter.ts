// Go text/tabwriter emulation (flags=0, padchar ' '): cells end with a tab, text after the last tab is not padded,
// and column widths are computed per block of consecutive lines that have that column.

interface Cell { text: string; width: number }

export interface TabWriterOptions {
  minwidth?: number;
  /** Unused with a space padchar; kept for parity with Go's constructor. */
  tabwidth?: number;
  padding: number;
}

/** Width in Unicode code points, as Go counts runes. */
function runeCount(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) n--;
  }
  return n;
}

/** Lines of `cols + 1` cells each: one width per column, padding from a table of space runs, one join. */
function sameShape(cellLines: string[][], minwidth: number, padding: number): string {
  const n = cellLines.length;
  const cols = cellLines[0].length - 1;
  const counts = new Array<number>(n * cols);
  const widths = new Array<number>(cols).fill(minwidth);
  for (let i = 0; i < n; i++) {
    const l = cellLines[i];
    for (let j = 0; j < cols; j++) {
      const c = runeCount(l[j]);
      counts[i * cols + j] = c;
      if (c + padding > widths[j]) widths[j] = c + padding;
    }
  }
  const spaces = [''];
  for (let k = 1, widest = Math.max(0, ...widths); k <= widest; k++) spaces.push(spaces[k - 1] + ' ');
  const parts = new Array<string>(n * (2 * cols + 2));
  let p = 0;
  for (let i = 0; i < n; i++) {
    const l = cellLines[i];
    for (let j = 0; j < cols; j++) {
      parts[p++] = l[j];
      parts[p++] = spaces[widths[j] - counts[i * cols + j]];
    }
    parts[p++] = l[cols];
    parts[p++] = '\n';
  }
  return parts.join('');
}

/** Formats `text` exactly as a Go tabwriter would after Write(text) and Flush(). */
export function tabwrite(text: string, opts: TabWriterOptions): string {
  const rawLines = text.split('\n');
  const trailing = rawLines.pop() ?? '';
  return tabwriteCells(rawLines.map((l) => l.split('\t')), opts) + trailing;
}

/** Same as tabwrite for lines already split into cells (each line ends with a newline). */
export function tabwriteCells(cellLines: string[][], opts: TabWriterOptions): string {
  const minwidth = opts.minwidth ?? 0;
  const padding = opts.padding;
  const n = cellLines.length;
  // Fast path: every line has the same number of cells, so each column is one block.
  if (n > 0 && cellLines.every((l) => l.length === cellLines[0].length)) return sameShape(cellLines, minwidth, padding);
  const lines: Cell[][] = cellLines.map((l) => l.map((t) => ({ text: t, width: runeCount(t) })));
  const out: string[] = [];
  const widths: number[] = [];

  const writeLines = (line0: number, line1: number): void => {
    for (let i = line0; i < line1; i++) {
      const line = lines[i];
      let s = '';
      for (let j = 0; j < line.length; j++) {
        const c = line[j];
        s += c.text;
        if (j < widths.length && j < line.length - 1) s += ' '.repeat(Math.max(0, widths[j] - c.width));
      }
      out.push(s + '\n');
    }
  };

  const format = (line0: number, line1: number): void => {
    const column = widths.length;
    for (let cur = line0; cur < line1; cur++) {
      if (column >= lines[cur].length - 1) continue;
      writeLines(line0, cur);
      line0 = cur;
      let width = minwidth;
      for (; cur < line1; cur++) {
        const line = lines[cur];
        if (column >= line.length - 1) break;
        const w = line[column].width + padding;
        if (w > width) width = w;
      }
      widths.push(width);
      format(line0, cur);
      widths.pop();
      line0 = cur;
    }
    writeLines(line0, line1);
  };

  format(0, lines.length);
  return out.join('');
}

/** Accumulates rows and renders them with Go tabwriter rules. */
export class TabWriter {
  private lines: string[][] = [];
  constructor(private readonly opts: TabWriterOptions) {}
  /** One row; each cell but the last is tab-terminated. */
  row(...cells: (string | number | boolean)[]): this {
    this.lines.push(cells.map(String));
    return this;
  }
  /** Raw text: tabs end cells, newlines end lines (text after the last newline is dropped). */
  write(s: string): this {
    const parts = s.split('\n');
    parts.pop();
    for (const l of parts) this.lines.push(l.split('\t'));
    return this;
  }
  flush(): string {
    const s = tabwriteCells(this.lines, this.opts);
    this.lines = [];
    return s;
  }
}

/** Column widths (cell width + padding, the last column none) of a header and its rows. */
function asciiWidths(header: readonly string[], cells: readonly string[], padding: number): number[] {
  const cols = header.length;
  const widths = new Array<number>(cols - 1);
  for (let j = 0; j < cols - 1; j++) widths[j] = header[j].length + padding;
  for (let i = 0; i < cells.length; i += cols) {
    for (let j = 0; j < cols - 1; j++) {
      const w = cells[i + j].length + padding;
      if (w > widths[j]) widths[j] = w;
    }
  }
  return widths;
}

/** Writes `s` at `o`; the offset after it, or -1 when `s` is not printable ASCII. */
function putAscii(buf: Uint8Array, o: number, s: string): number {
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k);
    if (c < 0x20 || c > 0x7e) return -1;
    buf[o++] = c;
  }
  return o;
}

/** One line at `o`: cells padded to `widths` (the last not), then a newline; false when a cell is not printable ASCII. */
function putLine(buf: Uint8Array, o: number, row: readonly string[], at: number, widths: readonly number[]): boolean {
  const last = widths.length;
  for (let j = 0; j < last; j++) {
    const end = o + widths[j];
    o = putAscii(buf, o, row[at + j]);
    if (o < 0) return false;
    while (o < end) buf[o++] = 0x20;
  }
  o = putAscii(buf, o, row[at + last]);
  if (o < 0) return false;
  buf[o] = 0x0a;
  return true;
}

/**
 * A header and `cells` (header.length a row, row after row; printed in `order` of row positions when given) as
 * tabwriteCells writes them with minwidth 0, when every cell is printable ASCII (one byte a rune); undefined when one
 * is not. Rows are written in their place in `cells`, each at its offset in the text.
 */
export function tabwriteAscii(header: readonly string[], cells: readonly string[], padding: number, order?: readonly number[]): string | undefined {
  const cols = header.length;
  const widths = asciiWidths(header, cells, padding);
  let lineWidth = 1;
  for (let j = 0; j < cols - 1; j++) lineWidth += widths[j];
  const offsets = rowOffsets(cells, cols, order, lineWidth + header[cols - 1].length, lineWidth);
  const end = offsets[offsets.length - 1];
  const buf = Buffer.allocUnsafe(end);
  if (!putLine(buf, 0, header, 0, widths) || !putRows(buf, cells, cols, offsets, widths)) return undefined;
  return buf.toString('latin1', 0, end);
}

// The loops below are functions of their own, so that V8's on-stack optimization of a long loop compiles nothing
// that runs after it (which, without type feedback, would be thrown away on every call).

/** The offset of each row (by position) after the header's `start` bytes, rows in print order; then the end. */
function rowOffsets(cells: readonly string[], cols: number, order: readonly number[] | undefined, start: number, lineWidth: number): number[] {
  const rows = cells.length / cols;
  const offsets = new Array<number>(rows + 1);
  offsets[rows] = start;
  for (let k = 0, end = start; k < rows; k++) {
    const r = order ? order[k] : k;
    offsets[r] = end;
    offsets[rows] = end += lineWidth + cells[r * cols + cols - 1].length;
  }
  return offsets;
}

function putRows(buf: Uint8Array, cells: readonly string[], cols: number, offsets: readonly number[], widths: readonly number[]): boolean {
  let ok = true;
  for (let r = 0; ok && r < offsets.length - 1; r++) ok = putLine(buf, offsets[r], cells, r * cols, widths);
  return ok;
}
