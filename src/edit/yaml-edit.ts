// Edits weight numbers inside YAML (or JSON) text so that only those numbers change, byte for byte.
// The yaml Document API locates each node; the source text is spliced at the node's range; the result is re-parsed
// and compared with the expected object before anyone may write it.
import { isMap, isScalar, isSeq, parseAllDocuments, stringify, type Document, type Node as YamlNode, type YAMLMap } from 'yaml';
import { isDeepStrictEqual } from 'node:util';
import type { FieldEdit, FieldPath } from './types.js';
import { applyEditsToObject } from './planner.js';

export class YamlEditError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'YamlEditError';
  }
}

/** Where the object sits in a multi-document file: document index, and item index inside a `kind: List`. */
export interface DocLocation {
  docIndex: number;
  itemIndex?: number;
}

interface Splice { at: number; end: number; text: string }

function formatNumber(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Number(n.toFixed(6)));
}

function objectNode(docs: Document.Parsed[], loc: DocLocation): YamlNode {
  const doc = docs[loc.docIndex];
  if (!doc) throw new YamlEditError(`document ${loc.docIndex + 1} is missing`);
  if (doc.errors.length) throw new YamlEditError(`document ${loc.docIndex + 1} does not parse: ${doc.errors[0].message}`);
  let node = doc.contents as YamlNode | null;
  if (loc.itemIndex !== undefined) {
    const items = isMap(node) ? node.get('items', true) : undefined;
    node = isSeq(items) ? (items.items[loc.itemIndex] as YamlNode) : null;
  }
  if (!node || !isMap(node)) throw new YamlEditError(`document ${loc.docIndex + 1}${loc.itemIndex !== undefined ? ` item ${loc.itemIndex}` : ''} is not a mapping`);
  return node;
}

function child(node: YamlNode, key: string | number): YamlNode | undefined {
  if (isMap(node) && typeof key === 'string') return node.get(key, true) as YamlNode | undefined;
  if (isSeq(node) && typeof key === 'number') return node.items[key] as YamlNode | undefined;
  return undefined;
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** Block-style text for `key: value` nested along the remaining path, at the given indentation. */
function blockEntry(keys: string[], value: string, indent: string): string {
  let out = '';
  keys.forEach((k, i) => {
    const pad = indent + '  '.repeat(i);
    out += i === keys.length - 1 ? `${pad}${k}: ${value}\n` : `${pad}${k}:\n`;
  });
  return out;
}

function flowEntry(keys: string[], value: string, quote: boolean): string {
  const q = (k: string) => (quote ? JSON.stringify(k) : k);
  let v = value;
  for (let i = keys.length - 1; i >= 1; i--) v = `{${quote ? ' ' : ''}${q(keys[i])}: ${v}${quote ? ' ' : ''}}`;
  return `${q(keys[0])}: ${v}`;
}

/** Insert missing keys `keys` (with the number at the end) into map `parent`; after key `after` when present. */
function insertion(text: string, parent: YAMLMap, keys: string[], value: string, after?: string): Splice {
  if (parent.items.length === 0) throw new YamlEditError(`cannot add ${keys.join('.')} to an empty mapping`);
  if (parent.flow) {
    const end = parent.range?.[1];
    if (end === undefined) throw new YamlEditError('mapping has no source range');
    const close = text.lastIndexOf('}', end);
    const firstKey = parent.items[0].key as YamlNode | null;
    const quote = isScalar(firstKey) && (firstKey.type === 'QUOTE_DOUBLE');
    let at = close;
    while (at > 0 && /\s/.test(text[at - 1])) at--;
    return { at, end: at, text: `, ${flowEntry(keys, value, quote)}` };
  }
  const firstKey = parent.items[0].key as YamlNode | null;
  const keyStart = isScalar(firstKey) ? firstKey.range?.[0] : undefined;
  if (keyStart === undefined) throw new YamlEditError('mapping key has no source range');
  const indent = ' '.repeat(keyStart - lineStart(text, keyStart));
  let pair = parent.items[parent.items.length - 1];
  if (after) {
    const hit = parent.items.find((p) => isScalar(p.key) && p.key.value === after);
    if (hit) pair = hit;
  }
  const valueNode = (pair.value ?? pair.key) as YamlNode | null;
  const valueEnd = valueNode?.range?.[1];
  if (valueEnd === undefined) throw new YamlEditError('mapping value has no source range');
  // After the line on which the value ends (so a trailing comment stays where it is).
  let probe = valueEnd;
  while (probe > 0 && text[probe - 1] === '\n') probe--;
  const nl = text.indexOf('\n', probe);
  if (nl < 0) return { at: text.length, end: text.length, text: `\n${blockEntry(keys, value, indent).replace(/\n$/, '')}` };
  return { at: nl + 1, end: nl + 1, text: blockEntry(keys, value, indent) };
}

function spliceFor(text: string, root: YamlNode, edit: FieldEdit): Splice {
  const value = formatNumber(edit.after);
  let node: YamlNode = root;
  for (let i = 0; i < edit.path.length; i++) {
    const key = edit.path[i];
    const next = child(node, key);
    if (next === undefined || next === null) {
      if (!isMap(node) || typeof key !== 'string') throw new YamlEditError(`path ${edit.path.join('.')} not found`);
      const rest = edit.path.slice(i) as string[];
      if (rest.some((k) => typeof k !== 'string')) throw new YamlEditError(`path ${edit.path.join('.')} not found`);
      return insertion(text, node, rest, value, rest[0] === 'mirrorPercentage' ? 'mirror' : undefined);
    }
    node = next;
  }
  if (!isScalar(node) || !node.range) throw new YamlEditError(`${edit.path.join('.')} is not a plain value`);
  return { at: node.range[0], end: node.range[1], text: value };
}

/**
 * Applies the edits to the object at `loc` in `text`. Returns the new text, in which only the edited numbers
 * (and any added `weight:` / `mirrorPercentage` lines) differ. Throws YamlEditError when that cannot be done safely.
 */
export function editYamlText(text: string, loc: DocLocation, edits: FieldEdit[]): string {
  if (edits.length === 0) return text;
  const docs = parseAllDocuments(text);
  if (!Array.isArray(docs)) throw new YamlEditError('the file holds no YAML documents');
  const root = objectNode(docs, loc);
  const splices = edits.map((e) => spliceFor(text, root, e)).sort((a, b) => b.at - a.at);
  for (let i = 1; i < splices.length; i++) {
    if (splices[i].end > splices[i - 1].at) throw new YamlEditError('overlapping edits');
  }
  let out = text;
  for (const s of splices) out = out.slice(0, s.at) + s.text + out.slice(s.end);
  verify(text, out, loc, edits);
  return out;
}

/** The new text must parse to exactly the old documents with the edits applied, nothing else. */
function verify(before: string, after: string, loc: DocLocation, edits: FieldEdit[]): void {
  const a = parseAllDocuments(before);
  const b = parseAllDocuments(after);
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) throw new YamlEditError('editing would change the document structure');
  for (let i = 0; i < a.length; i++) {
    if (b[i].errors.length) throw new YamlEditError(`editing would break document ${i + 1}: ${b[i].errors[0].message}`);
    let want = a[i].toJS() as unknown;
    if (i === loc.docIndex) {
      if (loc.itemIndex !== undefined) {
        const list = structuredClone(want) as { items: unknown[] };
        list.items[loc.itemIndex] = applyEditsToObject(list.items[loc.itemIndex], edits);
        want = list;
      } else {
        want = applyEditsToObject(want, edits);
      }
    }
    if (!isDeepStrictEqual(b[i].toJS(), want)) throw new YamlEditError(`editing would change more than the weights in document ${i + 1}`);
  }
}

/** The object as YAML, for diffs of live objects (managedFields dropped, as kubectl does by default). */
export function objectYaml(obj: Record<string, unknown>): string {
  const copy = structuredClone(obj) as { metadata?: Record<string, unknown> };
  if (copy.metadata) delete copy.metadata.managedFields;
  return stringify(copy, { lineWidth: 0 });
}

/** Reads the object at `loc` from `text` (to check that the file still holds the object that was loaded). */
export function objectAt(text: string, loc: DocLocation): unknown {
  const docs = parseAllDocuments(text);
  if (!Array.isArray(docs)) return undefined;
  const doc = docs[loc.docIndex];
  if (!doc || doc.errors.length) return undefined;
  const js = doc.toJS() as { items?: unknown[] } | null;
  if (loc.itemIndex === undefined) return js;
  return Array.isArray(js?.items) ? js.items[loc.itemIndex] : undefined;
}
