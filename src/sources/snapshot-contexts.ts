// The context folders of a snapshot folder, without reading any file: what the TUI shows (as loading) before its first
// frame, `:ctx` offers, and the loader (snapshot.ts) reads. Imports only node:fs and node:path, so it is cheap to load.
import { readdir, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { UserError } from '../core/errors.js';
import { isRecord } from './parsed-file.js';

export const MANIFEST = /\.(?:ya?ml|json)$/i;
export const PROXIES = 'proxies';
/** DIR/<context>/configmaps-checked.json: the ConfigMaps a live load looked up (ContextSnapshot.configMapsChecked). */
export const CONFIGMAPS_CHECKED = 'configmaps-checked.json';

export interface ContextDir { name: string; dir: string }

/** The context names a snapshot folder holds (what `--context` and the TUI's `:ctx` can choose from). */
export async function snapshotContextNames(dirArg: string): Promise<string[]> {
  const root = resolve(dirArg);
  const st = await statSnapshotRoot(root, dirArg);
  if (st.isFile()) return [basename(dirname(root))];
  return (await contextDirs(root, dirArg)).map((c) => c.name);
}

/** The context folders of DIR: its sub-folders, or DIR itself when it holds manifests or proxies/ directly. */
export async function contextDirs(root: string, dirArg: string): Promise<ContextDir[]> {
  let entries;
  try {
    entries = await readdir(root, { withFileTypes: true });
  } catch (err) {
    throw new UserError(`cannot read snapshot folder ${dirArg}: ${errorText(err)}`);
  }
  const visible = entries.filter((e) => !e.name.startsWith('.'));
  const dirs: string[] = [];
  let flat = false;
  for (const e of visible) {
    const isDir = e.isDirectory() || (e.isSymbolicLink() && (await stat(join(root, e.name)).then((s) => s.isDirectory(), () => false)));
    if (isDir) {
      if (e.name === PROXIES) flat = true;
      else if (e.name !== 'node_modules') dirs.push(e.name);
    } else if (MANIFEST.test(e.name)) {
      flat = true;
    }
  }
  if (flat || dirs.length === 0) return [{ name: basename(root), dir: root }];
  return dirs.sort().map((name) => ({ name, dir: join(root, name) }));
}

/** The requested contexts (all when none), in folder order; an unknown name is an error that lists the available ones. */
export function selectContexts(available: string[], requested: string[] | undefined, dirArg: string): string[] {
  if (!requested || requested.length === 0) return available;
  const unknown = requested.filter((r) => !available.includes(r));
  if (unknown.length > 0) {
    const list = available.length > 0 ? available.join(', ') : 'none';
    throw new UserError(`context ${unknown.join(', ')} not found in snapshot folder ${dirArg} (available: ${list})`);
  }
  return available.filter((a) => requested.includes(a));
}

/** stat of a snapshot folder argument: "does not exist" only when it does not; other failures say what they are. */
export async function statSnapshotRoot(root: string, dirArg: string): Promise<Stats> {
  try {
    return await stat(root);
  } catch (err) {
    if (isRecord(err) && err.code === 'ENOENT') throw new UserError(`snapshot folder ${dirArg} does not exist`);
    throw new UserError(`snapshot folder ${dirArg}: cannot read it: ${errorText(err)}`);
  }
}

export function errorText(err: unknown): string {
  if (isRecord(err) && typeof err.code === 'string') {
    if (err.code === 'EACCES' || err.code === 'EPERM') return 'permission denied';
    if (err.code === 'ENOENT') return 'no such file (or a broken link)';
    if (err.code === 'EISDIR') return 'is a folder';
    if (err.code === 'ENOTDIR') return 'not a folder';
  }
  return err instanceof Error ? err.message : String(err);
}
