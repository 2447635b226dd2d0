// Turns the text of one YAML manifest file into candidate objects with their positions (JSON: json-objects.ts).
// Pure: no I/O. Validation (kind, metadata.name, Secrets) happens in snapshot.ts.
//
// Speed: YAML documents are parsed with js-yaml (about 15× faster than `yaml` on kubectl-style dumps), after splitting
// the file on `---` lines ourselves so every document gets its index and start line. The `yaml` package is the exact
// fallback for the rare files the split cannot handle (directives, `...` end markers, content on the `---` line) and
// for List item positions our line scan cannot confirm. Document indexes match `yaml`'s parseAllDocuments.
import { load, CORE_SCHEMA, YAMLException } from 'js-yaml';
import { LineCounter, parseAllDocuments, parseDocument, isSeq } from 'yaml';
import { isListObject, isRecord, type ParsedFile, type ParseProblem } from './parsed-file.js';
import { countNewlines, lineAt } from './text-lines.js';

const MARKER = /^---[ \t]*(?:#[^\n]*)?\r?$/gm;
/** Constructs the split does not handle: directives, document end markers, content on a `---` line. */
const NEEDS_FULL_PARSER = /^(?:%|\.\.\.(?:[ \t]|\r?$)|---[ \t]+[^ \t#\r\n])/m;
/**
 * Scalars js-yaml reads differently from `yaml` (YAML 1.2 core): `0b…` integers (a string in YAML 1.2) and explicit
 * `!!` tags (!!binary, !!float, !!timestamp, !!set, …). Files with them take the exact path, so both give one value.
 */
const DIFFERS_IN_JS_YAML = /!!|(?:^|[\s:,[{-])[-+]?0[bB][01_]/;
const HAS_CONTENT = /^[ \t]*[^ \t#\r\n]/m;

interface Chunk { text: string; docIndex: number; /** 0-based line of the chunk's first character. */ firstLine: number }

export function parseYamlObjects(text: string): ParsedFile {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (NEEDS_FULL_PARSER.test(text) || DIFFERS_IN_JS_YAML.test(text)) return parseYamlWithYamlPackage(text);
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

/** Exact but slower path: `yaml`'s parseAllDocuments with a line counter (exported for the differential test). */
export function parseYamlWithYamlPackage(text: string): ParsedFile {
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

/** 0-based index of the first line that is neither blank nor a comment. */
function firstContentLine(doc: string): number {
  const m = HAS_CONTENT.exec(doc);
  return m ? countNewlines(doc, 0, m.index) : 0;
}
