// Snapshot-file writer: refuses when the file changed on disk since it was read, writes atomically (temp + rename).
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { FileRead } from '../../edit/types.js';

export class StaleFileError extends Error {
  constructor(readonly file: string) {
    super(`${file} changed on disk since meshscope read it; nothing was written (reload and try again)`);
    this.name = 'StaleFileError';
  }
}

export function sha256(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

export function readForEdit(path: string): FileRead {
  const buf = readFileSync(path);
  return { path, text: buf.toString('utf8'), sha256: sha256(buf) };
}

function currentHash(path: string): string | undefined {
  try {
    return sha256(readFileSync(path));
  } catch {
    return undefined;
  }
}

/**
 * Writes `text` to the file read as `read`, only if the file still has the content that was read.
 * The new content goes to a temp file in the same folder (fsynced, same mode) that is renamed over the original.
 * Returns the hash of the written content.
 */
export function writeIfUnchanged(read: FileRead, text: string): string {
  if (currentHash(read.path) !== read.sha256) throw new StaleFileError(read.path);
  const mode = statSync(read.path).mode & 0o7777;
  const tmp = join(dirname(read.path), `.${basename(read.path)}.meshscope-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  const fd = openSync(tmp, 'wx', mode);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    // Last check right before the rename: the window for a lost concurrent edit is as small as it can be.
    if (currentHash(read.path) !== read.sha256) throw new StaleFileError(read.path);
    renameSync(tmp, read.path);
  } catch (err) {
    try { unlinkSync(tmp); } catch { /* already gone */ }
    throw err;
  }
  return sha256(text);
}
