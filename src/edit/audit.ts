// Audit log: one JSON line per applied edit, appended with a single write. Never holds tokens or keys.
import { randomUUID } from 'node:crypto';
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type { RuleRef } from './types.js';

export interface AuditEntry {
  /** ISO time of the write. */
  time: string;
  /** Unique id of this entry. */
  id: string;
  /** Entries written by one command (several contexts) share a batch id. */
  batch: string;
  action: 'set' | 'undo';
  /** For an undo: the id of the entry it reverted. */
  undoOf?: string;
  /** kubeconfig user of the context (live), or the local OS user (snapshot). */
  user: string;
  source: 'live' | 'snapshot';
  context: string;
  namespace: string;
  name: string;
  kind: string;
  apiVersion: string;
  uid?: string;
  resourceVersionBefore?: string;
  resourceVersionAfter?: string;
  /** Snapshot file (absolute) and its hashes before and after. */
  file?: string;
  fileSha256Before?: string;
  fileSha256After?: string;
  docIndex?: number;
  itemIndex?: number;
  rule: RuleRef & { name?: string; label: string };
  /** Weight by destination label ("host:subset"). */
  weightsBefore: Record<string, number | null>;
  weightsAfter: Record<string, number | null>;
  /** Mirror percentages by mirror host, when they changed. */
  mirrorBefore?: Record<string, number | null>;
  mirrorAfter?: Record<string, number | null>;
  /** The exact fields written: path, before (null = absent) and after. */
  fields: { path: (string | number)[]; before: number | null; after: number }[];
}

/** --audit-log, else $XDG_STATE_HOME/meshscope/audit.log, else ~/.local/state/meshscope/audit.log. */
export function auditLogPath(override?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (override) return override;
  const state = env.XDG_STATE_HOME && env.XDG_STATE_HOME.startsWith('/') ? env.XDG_STATE_HOME : join(env.HOME || homedir(), '.local', 'state');
  return join(state, 'meshscope', 'audit.log');
}

/** Appends one line (a single write with O_APPEND, so concurrent writers never interleave within a line). */
export function appendAudit(path: string, entry: AuditEntry): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  appendFileSync(path, `${JSON.stringify(entry)}\n`, { mode: 0o600 });
}

export class AuditReadError extends Error {}

/** All entries; a malformed line is reported with its line number. A missing log is empty. */
export function readAudit(path: string): AuditEntry[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new AuditReadError(`cannot read audit log ${path}: ${(err as Error).message}`);
  }
  const out: AuditEntry[] = [];
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    try {
      out.push(JSON.parse(line) as AuditEntry);
    } catch {
      throw new AuditReadError(`audit log ${path} line ${i + 1} is not JSON`);
    }
  });
  return out;
}

/**
 * The entries `undo` reverts: the last batch that has not been undone yet (filtered by `accept`), newest first.
 * Undo entries themselves are never undone by `undo` (that would be a redo).
 */
export function lastUndoable(entries: AuditEntry[], accept: (e: AuditEntry) => boolean = () => true): AuditEntry[] {
  const undone = new Set(entries.filter((e) => e.action === 'undo' && e.undoOf).map((e) => e.undoOf as string));
  const candidates = entries.filter((e) => e.action === 'set' && !undone.has(e.id) && accept(e));
  if (candidates.length === 0) return [];
  const batch = candidates[candidates.length - 1].batch;
  return candidates.filter((e) => e.batch === batch).reverse();
}

export function newId(): string {
  return randomUUID();
}
