// Server-side apply as kube-apiserver v1.21 answers it (../shared/conformance/kube-apiserver/05-write/vs-apply-*):
// each manager owns the fields of its last applied configuration (recorded in managedFields as kube-apiserver
// writes them); applying a different value to a field another manager owns is a 409 conflict unless ?force=true,
// which moves the field; a field a manager stops applying is removed unless another manager owns it. Ownership is
// per top-level field of spec (lists are atomic) and per label and annotation.
import { parse } from 'yaml';
import type { KubeObject } from '../../../src/model/resources.js';

type Path = string[];
type Managed = { manager: string; operation: string; apiVersion?: string; time?: string; fieldsType?: string; fieldsV1?: Record<string, unknown> };

const show = (p: Path) => `.${p.join('.')}`;
const same = (a: Path, b: Path) => show(a) === show(b);

/** The fields an applied configuration sets. */
function paths(c: KubeObject): Path[] {
  const out: Path[] = [];
  for (const [k, v] of Object.entries(c)) {
    if (k === 'apiVersion' || k === 'kind' || k === 'status') continue;
    if (k === 'metadata') {
      for (const m of ['labels', 'annotations'] as const) for (const l of Object.keys(c.metadata?.[m] ?? {})) out.push(['metadata', m, l]);
    } else if (v && typeof v === 'object' && !Array.isArray(v)) {
      for (const f of Object.keys(v)) out.push([k, f]);
    } else out.push([k]);
  }
  return out;
}

function get(o: unknown, p: Path): unknown {
  let cur = o;
  for (const s of p) cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[s] : undefined;
  return cur;
}
function set(o: Record<string, unknown>, p: Path, v: unknown): void {
  let cur = o;
  for (const s of p.slice(0, -1)) cur = (cur[s] ??= {}) as Record<string, unknown>;
  if (v === undefined) delete cur[p[p.length - 1]]; else cur[p[p.length - 1]] = structuredClone(v);
}

/** fieldsV1 of a path set ({"f:spec": {"f:hosts": {}}}) and back. */
function encode(ps: Path[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of ps) set(out, p.map((s) => `f:${s}`), {});
  return out;
}
function decode(f: Record<string, unknown> | undefined, prefix: Path = []): Path[] {
  const keys = Object.keys(f ?? {}).filter((k) => k.startsWith('f:'));
  if (keys.length === 0) return prefix.length > 0 ? [prefix] : [];
  return keys.flatMap((k) => decode(f![k] as Record<string, unknown>, [...prefix, k.slice(2)]));
}

export type ApplyResult =
  | { ok: true; obj: KubeObject; managedFields: Managed[] }
  | { ok: false; conflicts: { manager: string; field: string }[] };

/** Parses an apply body (YAML or JSON). */
export const parseApplied = (body: string): KubeObject => parse(body) as KubeObject;

/** `cur` with `manager`'s configuration applied; `entry` stamps its managedFields entry. */
export function apply(cur: KubeObject | undefined, applied: KubeObject, manager: string, force: boolean, entry: (fieldsV1: Record<string, unknown>) => Managed): ApplyResult {
  const mine = paths(applied);
  const managed = (cur?.metadata.managedFields ?? []) as Managed[];
  const others = managed.filter((m) => m.manager !== manager || m.operation !== 'Apply').map((m) => ({ m, owned: decode(m.fieldsV1) }));
  const conflicts: { manager: string; field: string; p: Path }[] = [];
  for (const p of mine) {
    if (JSON.stringify(get(applied, p)) === JSON.stringify(get(cur, p))) continue;
    for (const o of others) if (o.m.manager !== manager && o.owned.some((q) => same(q, p))) conflicts.push({ manager: o.m.manager, field: show(p), p });
  }
  if (conflicts.length > 0 && !force) return { ok: false, conflicts };
  const next = structuredClone(cur ?? { apiVersion: applied.apiVersion, kind: applied.kind, metadata: { name: applied.metadata.name, namespace: applied.metadata.namespace } }) as unknown as Record<string, unknown>;
  const before = decode(managed.find((m) => m.manager === manager && m.operation === 'Apply')?.fieldsV1);
  for (const p of before) {
    if (!mine.some((q) => same(q, p)) && !others.some((o) => o.owned.some((q) => same(q, p)))) set(next, p, undefined);
  }
  for (const p of mine) set(next, p, get(applied, p));
  const kept = others
    .map(({ m, owned }) => ({ m, owned: owned.filter((q) => !conflicts.some((c) => same(c.p, q))) }))
    .filter((o) => o.owned.length > 0)
    .map(({ m, owned }) => ({ ...m, fieldsV1: encode(owned) }));
  return { ok: true, obj: next as unknown as KubeObject, managedFields: [...kept, entry(encode(mine))] };
}

/** The 409 Status message of conflicting fields, as kube-apiserver words it. */
export function conflictMessage(conflicts: { manager: string; field: string }[]): string {
  if (conflicts.length === 1) return `Apply failed with 1 conflict: conflict with "${conflicts[0].manager}": ${conflicts[0].field}`;
  return `Apply failed with ${conflicts.length} conflicts: ${conflicts.map((c) => `conflict with "${c.manager}": ${c.field}`).join(', ')}`;
}
