// Applies prepared edits: reads snapshot targets, dry-runs and writes every selected context, appends the audit log.
// Used by `meshscope weights` and by the TUI's weight editor callbacks (app/weights-env.ts).
import { isAbsolute, resolve } from 'node:path';
import { userInfo } from 'node:os';
import { isDeepStrictEqual } from 'node:util';
import type { KubeObject } from '../../model/resources.js';
import type { AuditEntry, FileRead, RuleView } from '../../edit/types.js';
import { destinationSelector, getRule, weightsByDest } from '../../edit/planner.js';
import { objectAt, type DocLocation } from '../../edit/yaml-edit.js';
import { TargetError, type ContextResult, type EditTarget, type PreparedEdit, type Progress, type VirtualService } from '../../edit/prepare.js';
import { readForEdit, sha256, StaleFileError, writeIfUnchanged } from './file-writer.js';
import { dryRunLive, writeLive, type VirtualServiceApi } from './live-writer.js';
import { appendAudit, newId, readAudit } from './audit.js';
import { writeRefusal, type WritePolicy } from './policy.js';
import { isRouteKind } from '../../edit/gateway-api-weights.js';

/**
 * A snapshot object: reads its file now. When `loaded` is given, the file must still hold that object
 * unchanged at the same place, else TargetError (the file changed on disk since it was loaded).
 */
export function snapshotTarget(context: string, file: string, loc: DocLocation, loaded?: VirtualService, baseDir?: string): EditTarget {
  const path = isAbsolute(file) ? file : resolve(baseDir ?? '.', file);
  let read: FileRead;
  try {
    read = readForEdit(path);
  } catch (err) {
    throw new TargetError(`cannot read ${path}: ${(err as Error).message}`);
  }
  const found = objectAt(read.text, loc);
  const where = `${path} document ${loc.docIndex + 1}${loc.itemIndex !== undefined ? ` item ${loc.itemIndex + 1}` : ''}`;
  if (loaded) {
    if (!sameObject(found, loaded)) throw new TargetError(`${where} no longer holds ${loaded.kind} ${loaded.metadata.namespace ?? ''}/${loaded.metadata.name}: the file changed on disk since it was loaded; nothing was written`);
    if (!isDeepStrictEqual((found as VirtualService).spec, loaded.spec)) throw new TargetError(`${path} changed on disk since it was loaded (${loaded.metadata.name} differs); nothing was written`);
  }
  const object = (loaded ?? found) as VirtualService;
  if (!object || typeof object !== 'object' || (object.kind !== 'VirtualService' && !isRouteKind(object.kind) && !loaded)) throw new TargetError(`${where} is not a VirtualService or a Gateway API route`);
  return { context, source: 'snapshot', object, text: read.text, textName: path, loc, file: read };
}

export interface WriteEnv {
  policy: WritePolicy;
  auditLog: string;
  /** Live access per context (client-node); absent for snapshot-only runs. */
  live?: (context: string, apiVersion: string, kind?: string) => Promise<{ api: VirtualServiceApi; user: string }>;
  /** Snapshot edits are audited with the local OS user. */
  osUser?: string;
  /** Write a snapshot file even though it changed since meshscope last wrote it (per the audit log). */
  force?: boolean;
}

function sameObject(a: unknown, b: VirtualService): boolean {
  const o = a as VirtualService | undefined;
  return !!o && (!o.kind || o.kind === b.kind) && o.metadata?.name === b.metadata.name && (o.metadata?.namespace ?? undefined) === (b.metadata.namespace ?? undefined);
}

function currentRuleOf(obj: KubeObject | undefined, p: PreparedEdit): RuleView | undefined {
  if (!obj) return undefined;
  try {
    return getRule(obj as VirtualService, p.rule.ref);
  } catch {
    return undefined;
  }
}

function osUser(env: WriteEnv): string {
  if (env.osUser) return env.osUser;
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? 'unknown';
  }
}

function fileStillSame(file: FileRead): boolean {
  try {
    return sha256(readForEdit(file.path).text) === file.sha256;
  } catch {
    return false;
  }
}

function mirrorsByHost(rule: RuleView, values: number[]): Record<string, number | null> | undefined {
  if (rule.mirrors.length === 0) return undefined;
  const out: Record<string, number | null> = {};
  rule.mirrors.forEach((m, i) => { out[destinationSelector(m)] = values[i] ?? null; });
  return out;
}

function auditEntry(p: PreparedEdit, batch: string, user: string, extra: Partial<AuditEntry>): AuditEntry {
  const o = p.target.object;
  const before = p.rule.destinations.map((d) => d.effective);
  return {
    time: new Date().toISOString(), id: newId(), batch, action: p.action, ...(p.undoOf ? { undoOf: p.undoOf } : {}),
    user, source: p.target.source, context: p.target.context,
    namespace: o.metadata.namespace ?? 'default', name: o.metadata.name, kind: o.kind, apiVersion: o.apiVersion,
    uid: o.metadata.uid, resourceVersionBefore: o.metadata.resourceVersion,
    rule: { ...p.rule.ref, name: p.rule.name, label: p.rule.label },
    weightsBefore: weightsByDest(p.rule, before), weightsAfter: weightsByDest(p.rule, p.values.weights),
    mirrorBefore: mirrorsByHost(p.rule, p.rule.mirrors.map((m) => m.effective)), mirrorAfter: mirrorsByHost(p.rule, p.values.mirrors),
    fields: p.edits.map((e) => ({ path: e.path, before: e.before === undefined || Number.isNaN(e.before) ? null : e.before, after: e.after })),
    ...extra,
  };
}

/**
 * A snapshot file that meshscope wrote before must still have the content it wrote (the audit log's hash): an edit
 * on disk since then is refused unless forced, so nobody's hand edit is built upon unseen.
 */
function editedSinceLastWrite(file: FileRead, audit: AuditEntry[]): AuditEntry | undefined {
  for (let i = audit.length - 1; i >= 0; i--) {
    const e = audit[i];
    if (e.source === 'snapshot' && e.file === file.path && e.fileSha256After) return e.fileSha256After === file.sha256 ? undefined : e;
  }
  return undefined;
}

/** Snapshot targets whose file changed since it was read, or since meshscope last wrote it (even when nothing would change). */
export function staleSnapshots(preps: PreparedEdit[], env: WriteEnv): ContextResult[] {
  const snaps = preps.filter((p) => p.target.source === 'snapshot' && p.target.file);
  if (snaps.length === 0) return [];
  let audit: AuditEntry[];
  try {
    audit = readAudit(env.auditLog);
  } catch (err) {
    return [{ context: snaps[0].target.context, ok: false, stage: 'dry-run', reason: 'error', message: (err as Error).message }];
  }
  const out: ContextResult[] = [];
  for (const p of snaps) {
    const file = p.target.file as FileRead;
    if (!fileStillSame(file)) out.push({ context: p.target.context, ok: false, stage: 'dry-run', reason: 'stale', message: new StaleFileError(file.path).message });
    else if (!env.force) {
      const last = editedSinceLastWrite(file, audit);
      if (last) out.push({ context: p.target.context, ok: false, stage: 'dry-run', reason: 'stale', message: staleMessage(file, last, env) });
    }
  }
  return out;
}

function staleMessage(file: FileRead, last: AuditEntry, env: WriteEnv): string {
  return `${file.path} changed on disk since meshscope wrote it at ${last.time} (audit log ${env.auditLog}); nothing was written. Review the file, then re-run with --force to write anyway`;
}

async function dryRunOne(p: PreparedEdit, env: WriteEnv, audit: AuditEntry[]): Promise<ContextResult> {
  const ctx = p.target.context;
  const refusal = writeRefusal(env.policy, ctx);
  if (refusal) return { context: ctx, ok: false, stage: 'policy', reason: 'read-only', message: refusal };
  if (p.edits.length === 0) return { context: ctx, ok: true, dryRun: true, noop: true, message: 'no change' };
  if (p.target.source === 'snapshot') {
    if (!p.target.file || !fileStillSame(p.target.file)) return { context: ctx, ok: false, stage: 'dry-run', reason: 'stale', message: new StaleFileError(p.target.textName).message };
    const last = env.force ? undefined : editedSinceLastWrite(p.target.file, audit);
    if (last) {
      return { context: ctx, ok: false, stage: 'dry-run', reason: 'stale', message: staleMessage(p.target.file, last, env) };
    }
    return { context: ctx, ok: true, dryRun: true, noop: false, file: p.target.file.path, message: `dry run ok: ${p.target.file.path} can be written` };
  }
  if (!env.live) return { context: ctx, ok: false, stage: 'dry-run', reason: 'error', message: 'no live access configured' };
  try {
    const { api } = await env.live(ctx, p.target.object.apiVersion, p.target.object.kind);
    const r = await dryRunLive(api, p.target.object, p.edits);
    if (r.ok) return { context: ctx, ok: true, dryRun: true, noop: false, message: 'server-side dry run ok (dryRun=All)' };
    return { context: ctx, ok: false, stage: r.stage, reason: r.reason, message: r.message, current: currentRuleOf(r.current, p) };
  } catch (err) {
    return { context: ctx, ok: false, stage: 'dry-run', reason: 'error', message: (err as Error).message };
  }
}

async function writeOne(p: PreparedEdit, env: WriteEnv, batch: string): Promise<ContextResult> {
  const ctx = p.target.context;
  if (p.edits.length === 0) return { context: ctx, ok: true, dryRun: false, noop: true, message: 'no change' };
  if (p.target.source === 'snapshot') {
    const file = p.target.file as FileRead;
    let after: string;
    try {
      after = writeIfUnchanged(file, p.after);
    } catch (err) {
      if (err instanceof StaleFileError) return { context: ctx, ok: false, stage: 'write', reason: 'stale', message: err.message };
      return { context: ctx, ok: false, stage: 'write', reason: 'error', message: `cannot write ${file.path}: ${(err as Error).message}` };
    }
    appendAudit(env.auditLog, auditEntry(p, batch, osUser(env), {
      file: file.path, fileSha256Before: file.sha256, fileSha256After: after, docIndex: p.target.loc.docIndex, itemIndex: p.target.loc.itemIndex,
    }));
    return { context: ctx, ok: true, dryRun: false, noop: false, file: file.path, message: `wrote ${file.path}` };
  }
  if (!env.live) return { context: ctx, ok: false, stage: 'write', reason: 'error', message: 'no live access configured' };
  let access: { api: VirtualServiceApi; user: string };
  try {
    access = await env.live(ctx, p.target.object.apiVersion, p.target.object.kind);
  } catch (err) {
    return { context: ctx, ok: false, stage: 'write', reason: 'error', message: (err as Error).message };
  }
  const r = await writeLive(access.api, p.target.object, p.edits);
  if (!r.ok) return { context: ctx, ok: false, stage: 'write', reason: r.reason, message: r.message, current: currentRuleOf(r.current, p) };
  appendAudit(env.auditLog, auditEntry(p, batch, access.user, { resourceVersionAfter: r.resourceVersionAfter }));
  return { context: ctx, ok: true, dryRun: false, noop: false, resourceVersionAfter: r.resourceVersionAfter, message: `applied: resourceVersion ${p.target.object.metadata.resourceVersion} → ${r.resourceVersionAfter}` };
}

/**
 * Applies edits to every target: first every dry run (policy, file hash or dryRun=All); if any fails nothing is
 * written anywhere. Then each write, independently: one context's failure never hides another's result.
 * With `dryRun` it stops after the dry runs. Each landed write appends one audit line.
 */
export async function applyEdits(preps: PreparedEdit[], env: WriteEnv, opts: { dryRun: boolean; progress?: Progress }): Promise<ContextResult[]> {
  const dry: ContextResult[] = [];
  let audit: AuditEntry[] = [];
  if (preps.some((p) => p.target.source === 'snapshot')) {
    try {
      audit = readAudit(env.auditLog);
    } catch (err) {
      return preps.map((p) => ({ context: p.target.context, ok: false as const, stage: 'dry-run' as const, reason: 'error' as const, message: (err as Error).message }));
    }
  }
  for (const p of preps) {
    opts.progress?.(p.target.context, 'dry-run');
    dry.push(await dryRunOne(p, env, audit));
  }
  const failed = dry.filter((r) => !r.ok);
  if (opts.dryRun || failed.length > 0) {
    if (failed.length === 0) return dry;
    const names = failed.map((r) => r.context).join(', ');
    return dry.map((r) => (r.ok ? { context: r.context, ok: false as const, stage: 'dry-run' as const, reason: 'aborted' as const, message: `dry run ok, but nothing was written because ${names} failed` } : r));
  }
  const batch = newId();
  const out: ContextResult[] = [];
  for (const p of preps) {
    opts.progress?.(p.target.context, 'write');
    out.push(await writeOne(p, env, batch));
  }
  opts.progress?.('', 'done');
  return out;
}

