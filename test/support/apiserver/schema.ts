// Structural schema checks of custom resources as kube-apiserver v1.21 makes them on create and update, from the
// CRD's openAPIV3Schema (../shared/conformance/kube-apiserver/05-write): wrong types and missing required fields are
// 422 causes (field paths without list indexes), unknown fields are pruned silently.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { ResourceType } from './crds.js';

export interface Schema {
  type?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  additionalProperties?: Schema | boolean;
  required?: string[];
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
}

export interface Cause { reason: string; message: string; field: string }

const cache = new Map<string, Schema | null>();

/** The openAPIV3Schema of a CRD type at a version (undefined for built-ins or when the CRD has none). */
export function schemaOf(t: ResourceType, version: string): Schema | undefined {
  if (!t.source) return undefined;
  const key = `${t.group}/${t.plural}/${version}`;
  if (!cache.has(key)) {
    // Only the one CRD document is parsed: the whole manifest takes most of a second.
    const doc = readFileSync(t.source, 'utf8').split(/^---\s*$/m).find((d) => new RegExp(`^\\s+plural: ${t.plural}\\s*$`, 'm').test(d) && new RegExp(`^\\s+group: ${t.group.replace(/\./g, '\\.')}\\s*$`, 'm').test(d));
    const crd = doc ? parse(doc) as { spec?: { versions?: { name: string; schema?: { openAPIV3Schema?: Schema } }[] } } : undefined;
    for (const v of crd?.spec?.versions ?? []) cache.set(`${t.group}/${t.plural}/${v.name}`, v.schema?.openAPIV3Schema ?? null);
    if (!cache.has(key)) cache.set(key, null);
  }
  return cache.get(key) ?? undefined;
}

const typeName = (v: unknown) => Array.isArray(v) ? 'array' : typeof v === 'number' ? (Number.isInteger(v) ? 'integer' : 'number') : v === null ? 'null' : typeof v;

function fits(s: Schema, v: unknown): boolean {
  if (s['x-kubernetes-int-or-string']) return typeof v === 'string' || Number.isInteger(v);
  if (!s.type) return true;
  const actual = typeName(v);
  return actual === s.type || (s.type === 'number' && actual === 'integer');
}

/** What is wrong with `value` at `path` (dotted, without list indexes). */
function check(s: Schema, value: unknown, path: string, out: Cause[]): void {
  if (value === null || value === undefined) return;
  if (!fits(s, value)) {
    const msg = `Invalid value: "${typeName(value)}": ${path} in body must be of type ${s.type}: "${typeName(value)}"`;
    out.push({ reason: 'FieldValueInvalid', message: msg, field: path });
    return;
  }
  if (Array.isArray(value)) { if (s.items) for (const v of value) check(s.items, v, path, out); return; }
  if (typeof value !== 'object') return;
  const o = value as Record<string, unknown>;
  for (const [k, v] of Object.entries(o)) {
    const sub = s.properties?.[k] ?? (typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined);
    if (sub) check(sub, v, path ? `${path}.${k}` : k, out);
  }
  for (const r of s.required ?? []) if (o[r] === undefined) out.push({ reason: 'FieldValueRequired', message: 'Required value', field: path ? `${path}.${r}` : r });
}

/** The 422 causes of an object's body (metadata, apiVersion and kind are checked elsewhere). */
export function schemaCauses(s: Schema, obj: Record<string, unknown>): Cause[] {
  const out: Cause[] = [];
  for (const [k, v] of Object.entries(obj)) {
    if (k === 'metadata' || k === 'apiVersion' || k === 'kind') continue;
    const sub = s.properties?.[k];
    if (sub) check(sub, v, k, out);
  }
  return out;
}

/** A copy of `value` without the fields the schema does not know. */
export function prune(s: Schema, value: unknown): unknown {
  if (s['x-kubernetes-preserve-unknown-fields'] || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return s.items ? value.map((v) => prune(s.items!, v)) : value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const sub = s.properties?.[k] ?? (typeof s.additionalProperties === 'object' ? s.additionalProperties : s.additionalProperties === true ? {} : undefined);
    if (sub) out[k] = prune(sub, v);
  }
  return out;
}
