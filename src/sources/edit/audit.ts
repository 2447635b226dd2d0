// Audit log: one JSON line per applied edit, appended with a single write. Never holds tokens or keys.
import { randomUUID } from 'node:crypto';
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type { AuditEntry } from '../../edit/types.js';

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
