// Locates the Envoy admin dumps of one pod inside a snapshot folder:
//   DIR/<context>/proxies/<namespace>/<pod>/config_dump.json and clusters.json
import { readdir, readFile, stat } from 'node:fs/promises';
import { UsageError, UserError } from '../core/errors.js';
import { sanitizeLine } from '../core/sanitize.js';
import { errorText } from './snapshot-contexts.js';
import { overCapMessage, resolveLimits } from './limits.js';
import { basename, join } from 'node:path';

export interface ContextFolder { name: string; dir: string }
export interface ProxyDir { namespace: string; pod: string; dir: string }
export interface ProxyFile { path: string; text: string }
export interface ProxyFiles { configDump?: ProxyFile; clusters?: ProxyFile; dir: string }

const MANIFEST = /\.(ya?ml|json)$/i;

async function isDir(p: string): Promise<boolean> {
  return stat(p).then((s) => s.isDirectory(), () => false);
}

/** Context folders of a snapshot folder; a folder holding manifests or proxies/ directly is one context named after it. */
export async function listContextFolders(dir: string): Promise<ContextFolder[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const subdirs: string[] = [];
  let flat = false;
  for (const e of entries) {
    if (e.name.startsWith('.') || e.name === 'node_modules') continue;
    if (e.isDirectory() || (e.isSymbolicLink() && (await isDir(join(dir, e.name))))) {
      if (e.name === 'proxies') flat = true;
      else subdirs.push(e.name);
    } else if (MANIFEST.test(e.name)) flat = true;
  }
  if (flat || subdirs.length === 0) return [{ name: basename(dir.replace(/[\\/]+$/, '')) || dir, dir }];
  return subdirs.sort().map((name) => ({ name, dir: join(dir, name) }));
}

/** Every DIR/<context>/proxies/<namespace>/<pod> folder, sorted by namespace then pod. */
export async function listProxyDirs(contextDir: string, onError?: (dir: string, err: unknown) => void): Promise<ProxyDir[]> {
  const root = join(contextDir, 'proxies');
  const out: ProxyDir[] = [];
  // A missing folder is fine; any other failure goes to onError (the loader makes it a located issue).
  const list = (dir: string) => readdir(dir, { withFileTypes: true }).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'ENOENT') onError?.(dir, err);
    return [];
  });
  const namespaces = await list(root);
  for (const ns of namespaces.filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name).sort()) {
    const pods = await list(join(root, ns));
    for (const pod of pods.filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name).sort()) {
      out.push({ namespace: ns, pod, dir: join(root, ns, pod) });
    }
  }
  return out;
}

async function readOptional(path: string, cap: number, what: string): Promise<ProxyFile | undefined> {
  try {
    const size = (await stat(path)).size;
    if (size > cap) throw new UserError(`${path}: ${overCapMessage(what, size, cap)}`);
    return { path, text: await readFile(path, 'utf8') };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    if (err instanceof UserError) throw err;
    throw new UserError(`${path}: cannot read: ${errorText(err)}`);
  }
}

/** Reads config_dump.json and clusters.json of one pod (either may be absent). A file over `cap` bytes is a UserError. */
export async function readProxyFiles(contextDir: string, namespace: string, pod: string, cap = resolveLimits().maxDumpBytes): Promise<ProxyFiles> {
  const dir = join(contextDir, 'proxies', namespace, pod);
  const what = (f: string) => `${f} of pod ${namespace}/${pod}`;
  const [configDump, clusters] = await Promise.all([readOptional(join(dir, 'config_dump.json'), cap, what('config_dump.json')), readOptional(join(dir, 'clusters.json'), cap, what('clusters.json'))]);
  return { dir, ...(configDump ? { configDump } : {}), ...(clusters ? { clusters } : {}) };
}

export interface ContextChoice {
  /** The command, for the messages ("pc reads one proxy"). */
  reads: string;
  /** What is looked for, for the messages ("pod reviews-v1.default"). */
  subject: string;
  /** Whether a context folder holds the subject. */
  holds(folder: ContextFolder): Promise<boolean>;
}

/**
 * The snapshot context to read one thing from: --context's, the only one, or the only one holding the subject.
 * Several or none holding it is a UserError naming them.
 */
export async function chooseContextFolder(fixtures: string, contexts: string[], choice: ContextChoice): Promise<ContextFolder> {
  let folders: ContextFolder[];
  try {
    folders = await listContextFolders(fixtures);
  } catch (err) {
    throw new UserError(`cannot read snapshot folder ${fixtures}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such folder' : errorText(err)}`);
  }
  const names = folders.map((f) => sanitizeLine(f.name));
  if (contexts.length > 1) throw new UsageError(`${choice.reads}: give a single --context (got ${contexts.join(', ')})`);
  if (contexts.length === 1) {
    const found = folders.find((f) => f.name === contexts[0]);
    if (!found) throw new UserError(`context ${sanitizeLine(contexts[0])} not found in snapshot folder ${fixtures} (available: ${names.join(', ') || 'none'})`);
    return found;
  }
  if (folders.length <= 1) return folders[0];
  const holding: ContextFolder[] = [];
  for (const f of folders) if (await choice.holds(f)) holding.push(f);
  if (holding.length === 1) return holding[0];
  if (holding.length === 0) throw new UserError(`no context of snapshot folder ${fixtures} has ${choice.subject} (contexts: ${names.join(', ')})`);
  throw new UserError(`${choice.subject} is in several contexts of snapshot folder ${fixtures} (${holding.map((f) => sanitizeLine(f.name)).join(', ')}): choose one with --context`);
}

/** Whether DIR/<context>/proxies/<namespace>/<pod> exists. */
export function hasProxyDir(contextDir: string, namespace: string, pod: string): Promise<boolean> {
  return isDir(join(contextDir, 'proxies', namespace, pod));
}
