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

/**
 * A header and `cells` (header.length a row, row after row; printed in `order` of row positions when given) as
 * tabwriteCells writes them with minwidth 0, when every cell is printable ASCII (one byte a rune); undefined when one
 * is not. Rows are written in their place in `cells`, each at its offset in the text.
 */
export function tabwriteAscii(header: readonly string[], cells: readonly string[], padding: number, order?: readonly number[]): string | undefined {
  const cols = header.length;
  const rows = cells.length / cols;
  const widths = new Array<number>(cols - 1);
  for (let j = 0; j < cols - 1; j++) widths[j] = header[j].length + padding;
  for (let i = 0; i < cells.length; i += cols) {
    for (let j = 0; j < cols - 1; j++) if (cells[i + j].length + padding > widths[j]) widths[j] = cells[i + j].length + padding;
  }
  let lineWidth = 1;
  for (let j = 0; j < cols - 1; j++) lineWidth += widths[j];
  // Each row's offset: the header's line, then the rows' lines in print order.
  const offsets = new Array<number>(rows);
  let end = lineWidth + header[cols - 1].length;
  for (let k = 0; k < rows; k++) {
    const r = order ? order[k] : k;
    offsets[r] = end;
    end += lineWidth + cells[r * cols + cols - 1].length;
  }
  const buf = Buffer.allocUnsafe(end);
  for (let r = -1; r < rows; r++) {
    const row = r < 0 ? header : cells;
    const at = r < 0 ? 0 : r * cols;
    let o = r < 0 ? 0 : offsets[r];
    for (let j = 0; j < cols; j++) {
      const s = row[at + j];
      for (let k = 0; k < s.length; k++) {
        const c = s.charCodeAt(k);
        if (c < 0x20 || c > 0x7e) return undefined;
        buf[o++] = c;
      }
      if (j === cols - 1) break;
      for (let pad = widths[j] - s.length; pad > 0; pad--) buf[o++] = 0x20;
    }
    buf[o] = 0x0a;
  }
  return buf.toString('latin1', 0, end);
}
