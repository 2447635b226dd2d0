// golang/protobuf jsonpb.Marshaler{Indent} layout for protos read as JSON: lowerCamelCase field names, empty lists and
// maps left out, map keys sorted, an empty message printed as "{\n\n<indent>}", and the well-known Struct / Value /
// ListValue written one indent level deeper than their key (the shift jsonpb gives them: their content is written
// as a map of the message rather than as a field). istioctl prints proxy-status -o json (Indent 4 spaces) and the
// proxy-status POD diff (Indent 3 spaces) this way.
import { jsonName } from './jsonpb.js';

type JsonObject = Record<string, unknown>;
const isObj = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What an object value is, seen from its field. */
export type Kind = 'message' | 'struct' | 'messageMap' | 'structMap';

export interface JsonpbSchema {
  /** The kind of field `key` of a message (`parent` is that message, already in jsonpb field names). */
  kindOf(key: string, parent: JsonObject): Kind;
  /** Field order of a message, or undefined to keep the input order. */
  order?(obj: JsonObject): string[] | undefined;
}

const WKT_ANY = /\/google\.protobuf\.(Struct|Value|ListValue|Duration|Timestamp|FieldMask|Empty|(Bool|String|Bytes|Double|Float|U?Int(32|64))Value)$/;
const STRUCT_ANY = /\/google\.protobuf\.(Struct|Value|ListValue)$/;

/** Go's encoding/json string quoting (HTML-safe: <, >, & and U+2028/9 escaped). */
export function goQuote(s: string): string {
  return JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function scalar(v: unknown): string {
  if (typeof v === 'string') return goQuote(v);
  if (v === null || v === undefined) return 'null';
  return String(v);
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

class Writer {
  constructor(private readonly I: string, private readonly schema: JsonpbSchema) {}

  /** marshalMessage(m, indent) for an ordinary message (or an Any of one: "@type" first). */
  message(m: JsonObject, indent: string): string {
    const type = typeof m['@type'] === 'string' ? (m['@type'] as string) : undefined;
    if (type !== undefined && WKT_ANY.test(type)) return this.wktAny(type, m.value, indent);
    const keys = this.schema.order?.(m) ?? Object.keys(m);
    const fields: string[] = [];
    if (type !== undefined) fields.push(`${indent}${this.I}"@type": ${goQuote(type)}`);
    for (const k of keys) {
      if (k === '@type' || !(k in m)) continue;
      const f = this.field(k, m[k], m, indent);
      if (f !== undefined) fields.push(f);
    }
    return `{\n${fields.join(',\n')}\n${indent}}`;
  }

  private wktAny(type: string, value: unknown, indent: string): string {
    const inner = STRUCT_ANY.test(type) ? this.wkt(type.slice(type.lastIndexOf('.') + 1), value, indent + this.I) : scalar(value);
    return `{\n${indent}${this.I}"@type": ${goQuote(type)},\n${indent}${this.I}"value": ${inner}\n${indent}}`;
  }

  /** marshalMessage for Struct / Value / ListValue at `indent`. */
  private wkt(name: string, v: unknown, indent: string): string {
    if (name === 'Struct') return this.map(isObj(v) ? v : {}, indent, (x, ind) => this.wkt('Value', x, ind + this.I));
    if (name === 'ListValue') return this.list(Array.isArray(v) ? v : [], indent, (x, ind) => this.wkt('Value', x, ind + this.I));
    if (isObj(v)) return this.wkt('Struct', v, indent + this.I);
    if (Array.isArray(v)) return this.wkt('ListValue', v, indent + this.I);
    return scalar(v);
  }

  /** marshalField: the key at indent+I, then marshalValue(fd, v, indent). undefined: left out (empty list/map). */
  private field(key: string, v: unknown, parent: JsonObject, indent: string): string | undefined {
    const head = `${indent}${this.I}${goQuote(key)}: `;
    if (Array.isArray(v)) {
      if (v.length === 0) return undefined;
      return head + this.list(v, indent, (x, ind) => (isObj(x) ? this.message(x, ind + this.I) : scalar(x)));
    }
    if (!isObj(v)) return head + scalar(v);
    switch (this.schema.kindOf(key, parent)) {
      case 'struct': return head + this.wkt('Struct', v, indent + this.I);
      case 'messageMap':
        if (Object.keys(v).length === 0) return undefined;
        return head + this.map(v, indent, (x, ind) => (isObj(x) ? this.message(x, ind + this.I) : scalar(x)));
      case 'structMap':
        if (Object.keys(v).length === 0) return undefined;
        return head + this.map(v, indent, (x, ind) => this.wkt('Struct', x, ind + this.I));
      default: return head + this.message(v, indent + this.I);
    }
  }

  /** marshalValue of a repeated field: items at indent+2I, each marshalSingularValue(…, indent+I). */
  private list(items: unknown[], indent: string, item: (x: unknown, ind: string) => string): string {
    const parts = items.map((x) => `\n${indent}${this.I}${this.I}${item(x, indent + this.I)}`);
    return `[${parts.join(',')}\n${indent}${this.I}]`;
  }

  /** marshalValue of a map field: sorted entries at indent+2I, each value marshalSingularValue(…, indent+I). */
  private map(m: JsonObject, indent: string, value: (x: unknown, ind: string) => string): string {
    const parts = Object.keys(m).sort(cmp).map((k) => `\n${indent}${this.I}${this.I}${goQuote(k)}: ${value(m[k], indent + this.I)}`);
    return `{${parts.join(',')}\n${indent}${this.I}}`;
  }
}

/** jsonpb text of one message (no trailing newline), `indent` being the Marshaler's Indent. */
export function marshalJsonpb(message: JsonObject, indent: string, schema: JsonpbSchema): string {
  return new Writer(indent, schema).message(message, '');
}

// ---- Envoy config (snake_case or camelCase JSON) → jsonpb field names, with the kinds of Envoy's map/Struct fields ----

const STRUCT_MAPS = new Set(['filterMetadata', 'perFilterConfig']);
const MESSAGE_MAPS = new Set(['typedFilterMetadata', 'typedPerFilterConfig', 'typedExtensionProtocolOptions', 'extensionProtocolOptions']);
const TYPED_STRUCT = /\/(udpa\.type\.v1|xds\.type\.v3)\.TypedStruct$/;

/** Renames message fields to lowerCamelCase (map keys and Struct contents kept as they are). */
export function envoyJsonNames(v: unknown, kind: Kind = 'message'): unknown {
  if (Array.isArray(v)) return v.map((x) => envoyJsonNames(x, kind));
  if (!isObj(v)) return v;
  if (kind === 'struct') return v;
  if (kind === 'structMap' || kind === 'messageMap') {
    const out: JsonObject = {};
    for (const k of Object.keys(v)) out[k] = envoyJsonNames(v[k], kind === 'structMap' ? 'struct' : 'message');
    return out;
  }
  const type = typeof v['@type'] === 'string' ? (v['@type'] as string) : '';
  if (STRUCT_ANY.test(type)) return v;
  const out: JsonObject = {};
  for (const k of Object.keys(v)) {
    const name = k === '@type' ? k : jsonName(k);
    out[name] = envoyJsonNames(v[k], ENVOY_SCHEMA.kindOf(name, v));
  }
  return out;
}

export const ENVOY_SCHEMA: JsonpbSchema = {
  kindOf(key, parent) {
    if (STRUCT_MAPS.has(key)) return 'structMap';
    if (MESSAGE_MAPS.has(key)) return 'messageMap';
    if (key === 'value' && typeof parent['@type'] === 'string' && TYPED_STRUCT.test(parent['@type'])) return 'struct';
    return 'message';
  },
};
