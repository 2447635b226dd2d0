// Locates the Envoy admin dumps of one pod inside a snapshot folder:
//   DIR/<context>/proxies/<namespace>/<pod>/config_dump.json and clusters.json
import { readdir, readFile, stat } from 'node:fs/promises';
import { UserError } from '../core/errors.js';
import { overCapMessage, resolveLimits } from './limits.js';
import { errorText } from './snapshot-contexts.js';
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
