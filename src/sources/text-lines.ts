// Line numbers of offsets in a file's text (1-based, as editors show them).

/** Newlines in text[from, to). */
export function countNewlines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf('\n', from); i >= 0 && i < to; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** 1-based line of an offset. */
export function lineAt(text: string, offset: number): number {
  return countNewlines(text, 0, Math.min(offset, text.length)) + 1;
}

/** 1-based lines of ascending offsets, in one pass. */
export function linesOfOffsets(text: string, offsets: number[]): number[] {
  const lines: number[] = [];
  let line = 1;
  let pos = 0;
  for (const off of offsets) {
    line += countNewlines(text, pos, off);
    pos = off;
    lines.push(line);
  }
  return lines;
}
