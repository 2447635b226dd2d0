// jsonpb-style output for Envoy protos that were read as JSON (snake_case or camelCase):
// message field names become lowerCamelCase, map and Struct keys stay as they are and are sorted (as protojson does),
// field order is kept. istioctl then re-indents with 4 spaces.
import { terminalSafeJson } from '../core/sanitize.js';

/** Map fields whose values are messages: keys kept and sorted, values converted. */
const MESSAGE_MAPS = new Set([
  'typed_filter_metadata', 'typedFilterMetadata', 'typed_per_filter_config', 'typedPerFilterConfig',
  'typed_extension_protocol_options', 'typedExtensionProtocolOptions', 'policies', 'source_codes', 'sourceCodes',
]);
/** Map fields whose values are scalars or Structs: copied verbatim with sorted keys. */
const VERBATIM_MAPS = new Set([
  'filter_metadata', 'filterMetadata', 'key_values', 'keyValues', 'per_filter_config', 'perFilterConfig',
  'extension_protocol_options', 'extensionProtocolOptions', 'static_layer', 'staticLayer',
]);
const STRUCT_ANY = /\/(google\.protobuf\.(Struct|Value|ListValue)|udpa\.type\.v1\.TypedStruct|xds\.type\.v3\.TypedStruct)$/;

/** proto field name → JSON name (protojson's rule: drop `_`, upper-case the next letter). */
export function jsonName(key: string): string {
  if (key.indexOf('_') < 0) return key;
  let out = '';
  let upper = false;
  for (const ch of key) {
    if (ch === '_') {
      upper = true;
      continue;
    }
    out += upper && ch >= 'a' && ch <= 'z' ? ch.toUpperCase() : ch;
    upper = false;
  }
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function sortedKeys(o: Record<string, unknown>): string[] {
  return Object.keys(o).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** A Struct/Value: keys kept and sorted at every level. */
export function verbatimSorted(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(verbatimSorted);
  if (!isPlainObject(v)) return v;
  const out: Record<string, unknown> = {};
  for (const k of sortedKeys(v)) out[k] = verbatimSorted(v[k]);
  return out;
}

/** Converts one proto message (as JSON) to jsonpb form. `parentKey` helps tell Struct `metadata` from core.Metadata. */
export function toJsonpb(v: unknown, parentKey = ''): unknown {
  if (Array.isArray(v)) return v.map((x) => toJsonpb(x, parentKey));
  if (!isPlainObject(v)) return v;
  const type = typeof v['@type'] === 'string' ? (v['@type'] as string) : '';
  const structAny = type !== '' && STRUCT_ANY.test(type);
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) {
    const val = v[k];
    if (k === '@type') {
      out[k] = val;
      continue;
    }
    const name = jsonName(k);
    if (structAny && k === 'value') out[name] = verbatimSorted(val);
    else if (VERBATIM_MAPS.has(k)) out[name] = verbatimSorted(val);
    else if (k === 'metadata' && (parentKey === 'node' || parentKey === 'user_agent_build_version' || parentKey === 'userAgentBuildVersion'))
      out[name] = verbatimSorted(val);
    else if (MESSAGE_MAPS.has(k) && isPlainObject(val)) {
      const m: Record<string, unknown> = {};
      for (const mk of sortedKeys(val)) m[mk] = toJsonpb(val[mk], mk);
      out[name] = m;
    } else out[name] = toJsonpb(val, k);
  }
  return out;
}

/** Removes the Any wrapper's `@type` from a top-level message, as istioctl prints the message itself. */
export function stripAnyType(v: unknown): unknown {
  if (!isPlainObject(v) || !('@type' in v)) return v;
  const { ['@type']: _t, ...rest } = v;
  return rest;
}

/** istioctl's JSON: 4-space indent and a trailing newline. */
export function indentJson(v: unknown): string {
  return terminalSafeJson(JSON.stringify(v, null, 4)) + '\n';
}
