// Turns the text of one manifest file (YAML or JSON) into candidate objects with their positions.
// Pure: no I/O. Validation (kind, metadata.name, Secrets) happens in snapshot.ts.
//
// Speed: YAML documents are parsed with js-yaml (about 15× faster than `yaml` on kubectl-style dumps), after splitting
// the file on `---` lines ourselves so every document gets its index and start line. The `yaml` package is the exact
// fallback for the rare files the split cannot handle (directives, `...` end markers, content on the `---` line) and
// for List item positions our line scan cannot confirm. Document indexes match `yaml`'s parseAllDocuments.
import { load, CORE_SCHEMA, YAMLException } from 'js-yaml';
import { LineCounter, parseAllDocuments, parseDocument, isSeq } from 'yaml';

/** One value that should be a Kubernetes object, with where it starts. */
export interface RawEntry {
  value: unknown;
  /** 0-based document index (YAML); 0 for JSON. */
  docIndex: number;
  /** Index inside a List document's items. */
  itemIndex?: number;
  /** 1-based line where the value starts. */
  line: number;
  /** The enclosing List's kind and apiVersion (e.g. VirtualServiceList), for items that omit their own. */
  list?: { kind: string; apiVersion?: string };
}

export interface ParseProblem {
  message: string;
  docIndex?: number;
  line?: number;
}

export interface ParsedFile {
  entries: RawEntry[];
  problems: ParseProblem[];
}

/** `kind: List`, or a typed list such as `VirtualServiceList`, with an items array. */
export function isListObject(v: unknown): v is { kind: string; apiVersion?: string; items: unknown[] } {
  if (!isRecord(v)) return false;
  return typeof v.kind === 'string' && v.kind.endsWith('List') && Array.isArray(v.items);
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

// ---------------------------------------------------------------- YAML

const MARKER = /^---[ \t]*(?:#[^\n]*)?\r?$/gm;
/** Constructs the split does not handle: directives, document end markers, content on a `---` line. */
const NEEDS_FULL_PARSER = /^(?:%|\.\.\.(?:[ \t]|\r?$)|---[ \t]+[^ \t#\r\n])/m;
const HAS_CONTENT = /^[ \t]*[^ \t#\r\n]/m;

interface Chunk { text: string; docIndex: number; /** 0-based line of the chunk's first character. */ firstLine: number }

export function parseYamlObjects(text: string): ParsedFile {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (NEEDS_FULL_PARSER.test(text)) return parseYamlWithYamlPackage(text);
  const out: ParsedFile = { entries: [], problems: [] };
  for (const chunk of splitDocuments(text)) {
    let value: unknown;
    try {
      value = load(chunk.text, { schema: CORE_SCHEMA });
    } catch (err) {
      out.problems.push(yamlProblem(err, chunk));
      continue;
    }
    if (value === undefined || value === null) continue;
    const line = chunk.firstLine + firstContentLine(chunk.text) + 1;
    if (isListObject(value)) {
      const itemLines = yamlItemLines(chunk.text, value.items.length);
      const list = { kind: value.kind, apiVersion: value.apiVersion };
      value.items.forEach((item, i) => {
        out.entries.push({ value: item, docIndex: chunk.docIndex, itemIndex: i, line: chunk.firstLine + itemLines[i] + 1, list });
      });
    } else {
      out.entries.push({ value, docIndex: chunk.docIndex, line });
    }
  }
  return out;
}

function splitDocuments(text: string): Chunk[] {
  const chunks: Chunk[] = [];
  let start = 0;
  let startLine = 0;
  let docIndex = 0;
  let first = true;
  MARKER.lastIndex = 0;
  for (let m = MARKER.exec(text); m; m = MARKER.exec(text)) {
    const body = text.slice(start, m.index);
    // Text before the first marker is a document only if it holds more than comments (as in parseAllDocuments).
    if (!first || HAS_CONTENT.test(body)) chunks.push({ text: body, docIndex: docIndex++, firstLine: startLine });
    first = false;
    startLine += countNewlines(text, start, m.index) + 1;
    start = m.index + m[0].length + 1;
    if (start > text.length) start = text.length;
  }
  const rest = text.slice(start);
  if (!first || HAS_CONTENT.test(rest)) chunks.push({ text: rest, docIndex: docIndex++, firstLine: startLine });
  return chunks;
}

function yamlProblem(err: unknown, chunk: Chunk): ParseProblem {
  if (err instanceof YAMLException) {
    const line = err.mark ? chunk.firstLine + err.mark.line + 1 : undefined;
    return { message: `invalid YAML: ${err.reason}`, docIndex: chunk.docIndex, line };
  }
  return { message: `invalid YAML: ${err instanceof Error ? err.message : String(err)}`, docIndex: chunk.docIndex };
}

/**
 * 0-based line (within the document) of each item of the top-level `items:` sequence, found by a line scan that
 * allocates nothing. When the scan cannot account for exactly `count` items, the `yaml` package locates them.
 */
function yamlItemLines(doc: string, count: number): number[] {
  if (count === 0) return [];
  const scanned = scanItemLines(doc);
  if (scanned && scanned.length === count) return scanned;
  const lc = new LineCounter();
  const parsed = parseDocument(doc, { lineCounter: lc });
  const items = parsed.get('items', true);
  const lines: number[] = [];
  if (isSeq(items)) for (const n of items.items) lines.push(nodeStart(n, lc) ?? 1);
  while (lines.length < count) lines.push(firstContentLine(doc) + 1);
  return lines.map((l) => l - 1);
}

function scanItemLines(doc: string): number[] | null {
  const key = /^items:[ \t]*(?:#[^\n]*)?\r?$/m.exec(doc);
  if (!key) return null;
  let line = countNewlines(doc, 0, key.index) + 1;
  let p = doc.indexOf('\n', key.index);
  if (p < 0) return null;
  p++;
  const lines: number[] = [];
  let dash = -1;
  while (p < doc.length) {
    let q = p;
    while (doc.charCodeAt(q) === 32) q++;
    const indent = q - p;
    const c = doc.charCodeAt(q);
    const blank = Number.isNaN(c) || c === 10 || c === 13 || c === 35; // end, newline, '#'
    if (!blank) {
      const next = doc.charCodeAt(q + 1);
      const isDash = c === 45 && (Number.isNaN(next) || next === 32 || next === 10 || next === 13);
      if (dash < 0) {
        if (!isDash) return null;
        dash = indent;
      }
      if (indent === dash && isDash) lines.push(line);
      else if (indent <= dash) break;
    }
    const nl = doc.indexOf('\n', q);
    if (nl < 0) break;
    p = nl + 1;
    line++;
  }
  return lines;
}

/** Exact but slower path: `yaml`'s parseAllDocuments with a line counter. */
function parseYamlWithYamlPackage(text: string): ParsedFile {
  const out: ParsedFile = { entries: [], problems: [] };
  // `yaml` recurses per level: thousands of nested flow collections overflow the stack, sometimes fatally inside V8.
  const deep = tooDeepFlowOffset(text);
  if (deep >= 0) {
    out.problems.push({ message: `invalid YAML: nesting deeper than ${MAX_FLOW_DEPTH} levels`, line: lineAt(text, deep) });
    return out;
  }
  const lc = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lc });
  const lineOf = (offset: number) => lc.linePos(offset).line;
  docs.forEach((doc, docIndex) => {
    if (doc.errors.length > 0) {
      const e = doc.errors[0];
      out.problems.push({ message: `invalid YAML: ${e.message.split('\n')[0]}`, docIndex, line: lineOf(e.pos[0]) });
      return;
    }
    let value: unknown;
    try {
      value = doc.toJS();
    } catch (err) {
      // e.g. an alias to an anchor that does not exist
      const at = doc.contents?.range ? lineOf(doc.contents.range[0]) : lineOf(doc.range[0]);
      out.problems.push({ message: `invalid YAML: ${(err instanceof Error ? err.message : String(err)).split('\n')[0]}`, docIndex, line: at });
      return;
    }
    if (value === undefined || value === null) return;
    const contents = doc.contents;
    const line = contents?.range ? lineOf(contents.range[0]) : lineOf(doc.range[0]);
    if (isListObject(value)) {
      const items = doc.get('items', true);
      const nodes = isSeq(items) ? items.items : [];
      const list = { kind: value.kind, apiVersion: value.apiVersion };
      value.items.forEach((item, i) => {
        const l = nodeStart(nodes[i], lc) ?? line;
        out.entries.push({ value: item, docIndex, itemIndex: i, line: l, list });
      });
    } else {
      out.entries.push({ value, docIndex, line });
    }
  });
  return out;
}

const MAX_FLOW_DEPTH = 100; // as js-yaml's maxDepth

/** Offset where flow collections ([ {) nest deeper than MAX_FLOW_DEPTH (quoted text and comments skipped); -1 if never. */
function tooDeepFlowOffset(text: string): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 91 || c === 123) { // [ {
      if (++depth > MAX_FLOW_DEPTH) return i;
    } else if (c === 93 || c === 125) { // ] }
      if (depth > 0) depth--;
    } else if (c === 34 || c === 39) { // " '
      const end = text.indexOf(text[i]!, i + 1);
      const nl = text.indexOf('\n', i + 1);
      if (end > 0 && (nl < 0 || end < nl)) i = end;
    } else if (c === 35 && (i === 0 || text.charCodeAt(i - 1) === 32 || text.charCodeAt(i - 1) === 10)) { // # comment
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? text.length : nl;
    }
  }
  return -1;
}

/** 1-based line where a `yaml` node starts. */
function nodeStart(n: unknown, lc: LineCounter): number | undefined {
  if (!isRecord(n) || !Array.isArray(n.range) || typeof n.range[0] !== 'number') return undefined;
  return lc.linePos(n.range[0]).line;
}

// ---------------------------------------------------------------- JSON

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

// ---------------------------------------------------------------- lines

function countNewlines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf('\n', from); i >= 0 && i < to; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** 1-based line of an offset. */
export function lineAt(text: string, offset: number): number {
  return countNewlines(text, 0, Math.min(offset, text.length)) + 1;
}

/** 1-based lines of ascending offsets, in one pass. */
function linesOfOffsets(text: string, offsets: number[]): number[] {
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

/** 0-based index of the first line that is neither blank nor a comment. */
function firstContentLine(doc: string): number {
  const m = HAS_CONTENT.exec(doc);
  return m ? countNewlines(doc, 0, m.index) : 0;
}
