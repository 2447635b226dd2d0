// Turns the text of one JSON manifest file into candidate objects with their lines. Pure: no I/O.
// JSON.parse does the parsing; small scanners find where each List item starts, and where a parse failed.
import { isListObject, type ParsedFile } from './parsed-file.js';
import { lineAt, linesOfOffsets } from './text-lines.js';

export function parseJsonObjects(text: string): ParsedFile {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const out: ParsedFile = { entries: [], problems: [] };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const offset = jsonErrorOffset(text, err);
    const reason = (err instanceof Error ? err.message : String(err)).replace(/,? ".*" is not valid JSON$/s, '').replace(/ in JSON at position \d+.*$/s, '');
    out.problems.push({ message: `invalid JSON: ${reason}`, line: lineAt(text, offset) });
    return out;
  }
  const start = skipWhitespace(text, 0);
  if (Array.isArray(value) || isListObject(value)) {
    const items = Array.isArray(value) ? value : value.items;
    const offsets = Array.isArray(value) ? jsonArrayItemOffsets(text, start) : jsonItemsOffsets(text);
    const list = isListObject(value) ? { kind: value.kind, apiVersion: value.apiVersion } : undefined;
    const lines = linesOfOffsets(text, offsets ?? []);
    items.forEach((item, i) => out.entries.push({ value: item, docIndex: 0, itemIndex: i, line: lines[i] ?? lineAt(text, start), list }));
  } else {
    out.entries.push({ value, docIndex: 0, line: lineAt(text, start) });
  }
  return out;
}

/** Offsets of the elements of the top-level object's "items" array. */
function jsonItemsOffsets(text: string): number[] | null {
  let i = skipWhitespace(text, 0);
  if (text.charCodeAt(i) !== 123) return null; // '{'
  i++;
  let depth = 1;
  let expectKey = true;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 34) { // '"'
      const end = stringEnd(text, i);
      if (depth === 1 && expectKey) {
        const key = text.slice(i + 1, end);
        let j = skipWhitespace(text, end + 1);
        if (text.charCodeAt(j) !== 58) return null; // ':'
        j = skipWhitespace(text, j + 1);
        if (key === 'items' && text.charCodeAt(j) === 91) return jsonArrayItemOffsets(text, j);
        expectKey = false;
        i = j;
        continue;
      }
      i = end + 1;
      continue;
    }
    if (c === 123 || c === 91) depth++;
    else if (c === 125 || c === 93) depth--;
    else if (c === 44 && depth === 1) expectKey = true;
    i++;
  }
  return null;
}

/** Offsets of the elements of the array whose '[' is at `open`. */
function jsonArrayItemOffsets(text: string, open: number): number[] {
  const offsets: number[] = [];
  let i = skipWhitespace(text, open + 1);
  if (text.charCodeAt(i) === 93) return offsets;
  offsets.push(i);
  let depth = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 34) { i = stringEnd(text, i) + 1; continue; }
    if (c === 123 || c === 91) depth++;
    else if (c === 125 || c === 93) {
      if (depth === 0) break;
      depth--;
    } else if (c === 44 && depth === 0) {
      i = skipWhitespace(text, i + 1);
      offsets.push(i);
      continue;
    }
    i++;
  }
  return offsets;
}

/** Index of the closing quote of the string starting at `open`. */
function stringEnd(text: string, open: number): number {
  let i = open;
  for (;;) {
    i = text.indexOf('"', i + 1);
    if (i < 0) return text.length;
    let backslashes = 0;
    while (text.charCodeAt(i - 1 - backslashes) === 92) backslashes++;
    if (backslashes % 2 === 0) return i;
  }
}

function skipWhitespace(text: string, i: number): number {
  for (;;) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 10 || c === 13 || c === 9) i++;
    else return i;
  }
}

/** Where JSON.parse failed: from its message when it says, else by a small validator. */
export function jsonErrorOffset(text: string, err: unknown): number {
  const m = /at position (\d+)/.exec(err instanceof Error ? err.message : '');
  if (m) return Number(m[1]);
  try {
    return new JsonValidator(text).firstErrorOffset();
  } catch {
    return text.length; // nesting too deep for the recursive validator: point at the end
  }
}

class JsonValidator {
  private i = 0;
  constructor(private readonly s: string) {}

  firstErrorOffset(): number {
    if (!this.value()) return Math.min(this.i, this.s.length);
    this.i = skipWhitespace(this.s, this.i);
    return this.i;
  }

  private value(): boolean {
    const s = this.s;
    this.i = skipWhitespace(s, this.i);
    const c = s[this.i];
    if (c === '{') return this.container('}', true);
    if (c === '[') return this.container(']', false);
    if (c === '"') return this.string();
    const lit = /true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
    lit.lastIndex = this.i;
    const m = lit.exec(s);
    if (!m) return false;
    this.i += m[0].length;
    return true;
  }

  private container(close: string, object: boolean): boolean {
    const s = this.s;
    this.i = skipWhitespace(s, this.i + 1);
    if (s[this.i] === close) { this.i++; return true; }
    for (;;) {
      if (object) {
        this.i = skipWhitespace(s, this.i);
        if (s[this.i] !== '"' || !this.string()) return false;
        this.i = skipWhitespace(s, this.i);
        if (s[this.i] !== ':') return false;
        this.i++;
      }
      if (!this.value()) return false;
      this.i = skipWhitespace(s, this.i);
      if (s[this.i] === ',') { this.i++; continue; }
      if (s[this.i] === close) { this.i++; return true; }
      return false;
    }
  }

  private string(): boolean {
    const s = this.s;
    for (let j = this.i + 1; j < s.length; j++) {
      const c = s.charCodeAt(j);
      if (c === 34) { this.i = j + 1; return true; }
      if (c === 92) j++;
      else if (c < 32) { this.i = j; return false; }
    }
    this.i = s.length;
    return false;
  }
}
