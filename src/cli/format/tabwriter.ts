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

/** Formats `text` exactly as a Go tabwriter would after Write(text) and Flush(). */
export function tabwrite(text: string, opts: TabWriterOptions): string {
  const minwidth = opts.minwidth ?? 0;
  const padding = opts.padding;
  const rawLines = text.split('\n');
  const trailing = rawLines.pop() ?? '';
  const lines: Cell[][] = rawLines.map((l) => l.split('\t').map((t) => ({ text: t, width: runeCount(t) })));
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
      cur--; // the outer loop's increment re-examines `cur`
    }
    writeLines(line0, line1);
  };

  format(0, lines.length);
  return out.join('') + trailing;
}

/** Accumulates lines (cells joined by tabs) and renders them with Go tabwriter rules. */
export class TabWriter {
  private buf: string[] = [];
  constructor(private readonly opts: TabWriterOptions) {}
  /** One row; each cell but the last is tab-terminated. */
  row(...cells: (string | number | boolean)[]): this {
    this.buf.push(cells.join('\t') + '\n');
    return this;
  }
  write(s: string): this {
    this.buf.push(s);
    return this;
  }
  flush(): string {
    const s = tabwrite(this.buf.join(''), this.opts);
    this.buf = [];
    return s;
  }
}
