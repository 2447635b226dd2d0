// Reads a snapshot folder: one sub-folder per kube context with manifests and Envoy admin dumps.
//
//   DIR/<context>/**/*.yaml|*.yml|*.json                      Kubernetes objects
//   DIR/<context>/proxies/<namespace>/<pod>/config_dump.json   Envoy /config_dump?include_eds=true
//   DIR/<context>/proxies/<namespace>/<pod>/clusters.json      Envoy /clusters?format=json (optional)
//   DIR/<context>/ztunnel/<ztunnel-pod>/config_dump.json       ztunnel admin /config_dump (ambient mode)
//   DIR/<context>/configmaps-checked.json                      CA bundle ConfigMaps a live load looked up
//
// A folder with manifests (or a proxies/ folder) directly inside is one context named after the folder.
// Every origin.file / issue.file is relative to DIR, with '/' separators; ContextSnapshot.source.path is DIR, absolute.
import { readdir, readFile, stat, realpath } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import type { ContextSnapshot, LoadIssue, MeshInput, ProxyDump } from '../model/context.js';
import type { KubeObject, LoadedObject } from '../model/resources.js';
import { UserError } from '../core/errors.js';
import { isRecord, type RawEntry } from './parsed-file.js';
import { parseJsonObjects } from './json-objects.js';
import { parseYamlObjects } from './yaml-objects.js';
import { listProxyDirs } from './proxy-files.js';
import { overCapMessage, resolveLimits, type Limits } from './limits.js';
import { shapeProblem } from './shape.js';
import { CONFIGMAPS_CHECKED, contextDirs, errorText, MANIFEST, PROXIES, selectContexts, statSnapshotRoot, type ContextDir } from './snapshot-contexts.js';
import { readZtunnelDumps, ZTUNNEL } from './ztunnel-files.js';

export { snapshotContextNames } from './snapshot-contexts.js';

export interface SnapshotOptions {
  /** Only these contexts (folder names). Unknown names are an error that lists the available ones. */
  contexts?: string[];
  /** Only objects in this namespace; objects with no namespace (cluster-scoped) are kept. */
  namespace?: string;
  /** File size cap and per-context object cap (sources/limits.ts); default: resolveLimits() of the environment. */
  limits?: Limits;
}

const READ_CONCURRENCY = 8;

/** Loads every (selected) context of a snapshot folder. Problems inside files become LoadIssues, never exceptions. */
export async function loadSnapshotFolder(dirArg: string, opts: SnapshotOptions = {}): Promise<MeshInput> {
  const root = resolve(dirArg);
  opts = { ...opts, limits: opts.limits ?? resolveLimits() };
  const st = await statSnapshotRoot(root, dirArg);
  if (st.isFile()) {
    // A single manifest file: one context named after the folder that holds it.
    const parent = dirname(root);
    const ctx = await loadContext({ name: basename(parent), dir: parent }, parent, opts, [root]);
    return { contexts: selectContexts([ctx.name], opts.contexts, dirArg).length ? [ctx] : [] };
  }
  if (!st.isDirectory()) throw new UserError(`snapshot folder ${dirArg} is not a folder`);

  const all = await contextDirs(root, dirArg);
  const wanted = new Set(selectContexts(all.map((c) => c.name), opts.contexts, dirArg));
  const chosen = all.filter((c) => wanted.has(c.name));
  // One context at a time: parsing is CPU-bound, and this bounds the file texts held in memory at once.
  const contexts: ContextSnapshot[] = [];
  for (const c of chosen) contexts.push(await loadContext(c, root, opts));
  return { contexts };
}

/** Absolute path of a file named by an origin or issue of a snapshot context. */
export function snapshotFilePath(ctx: Pick<ContextSnapshot, 'source'>, file: string): string {
  if (ctx.source.kind !== 'snapshot') throw new Error(`context has no snapshot folder`);
  return resolve(ctx.source.path, file);
}

async function loadContext(cd: ContextDir, root: string, opts: SnapshotOptions, onlyFiles?: string[]): Promise<ContextSnapshot> {
  const issues: LoadIssue[] = [];
  const rel = (abs: string) => relative(root, abs).split(sep).join('/') || basename(abs);
  const files = onlyFiles ?? (await manifestFiles(cd.dir, cd.name, rel, issues));
  const limits = opts.limits ?? resolveLimits();
  // Each file is parsed as soon as it is read, so only a few texts are held at once; results keep file order.
  const perFile: { objects: LoadedObject[]; issues: LoadIssue[]; total: number }[] = new Array(files.length);
  let counted = 0;
  let tooMany = false;
  await forEachLimited(files, READ_CONCURRENCY, async (abs, i) => {
    const file = rel(abs);
    const fileIssues: LoadIssue[] = [];
    perFile[i] = { objects: [], issues: fileIssues, total: 0 };
    if (tooMany) return;
    let text: string;
    try {
      const size = (await stat(abs)).size;
      if (size > limits.maxDumpBytes) {
        fileIssues.push({ context: cd.name, severity: 'error', file, message: overCapMessage(`file ${file}`, size, limits.maxDumpBytes) });
        return;
      }
      text = await readFile(abs, 'utf8');
    } catch (err) {
      fileIssues.push({ context: cd.name, severity: 'error', file, message: `cannot read file: ${errorText(err)}` });
      perFile[i] = { objects: [], issues: fileIssues, total: 0 };
      return;
    }
    const loaded = objectsOfFile(text, /\.json$/i.test(abs), cd.name, file, fileIssues);
    counted += loaded.length;
    if (counted > limits.maxObjects) { tooMany = true; return; }
    perFile[i] = { objects: loaded.filter((o) => inNamespace(o.obj, opts.namespace)), issues: fileIssues, total: loaded.length };
  });
  if (tooMany) {
    const reason = `more than ${limits.maxObjects} objects in context ${cd.name}: refused, not loaded (raise it with --max-objects)`;
    issues.push({ context: cd.name, severity: 'error', file: rel(cd.dir) || cd.dir, message: reason });
    return { name: cd.name, source: { kind: 'snapshot', path: root }, objects: [], proxies: [], issues, status: 'error', reason };
  }
  const objects: LoadedObject[] = [];
  let total = 0;
  for (const r of perFile) {
    for (const o of r.objects) objects.push(o);
    for (const i of r.issues) issues.push(i);
    total += r.total;
  }

  const proxies = onlyFiles ? [] : await readProxyDumps(cd.dir, cd.name, rel, issues, limits.maxDumpBytes);
  const keptProxies = opts.namespace ? proxies.filter((p) => p.namespace === opts.namespace) : proxies;
  const ztunnels = onlyFiles ? [] : await readZtunnelDumps(cd.dir, cd.name, rel, issues, limits.maxDumpBytes);
  const checked = onlyFiles ? undefined : await readConfigMapsChecked(cd.dir, cd.name, rel, issues, limits.maxDumpBytes);
  // Every file or folder with an error counts once: manifests, config dumps, clusters.json, ztunnel dumps.
  const failedFiles = new Set(issues.filter((i) => i.severity === 'error' && i.file).map((i) => i.file!));

  const snap: ContextSnapshot = {
    name: cd.name,
    source: { kind: 'snapshot', path: root },
    objects,
    proxies: keptProxies,
    ...(ztunnels.length > 0 ? { ztunnels } : {}),
    issues,
    status: 'ok',
  };
  if (checked) snap.configMapsChecked = opts.namespace ? checked.filter((k) => k.startsWith(`${opts.namespace}/`)) : checked;
  const nothing = total === 0 && proxies.length === 0 && ztunnels.length === 0;
  if (nothing) {
    snap.status = 'error';
    snap.reason = failedFiles.size > 0
      ? `nothing could be loaded: ${plural(failedFiles.size, 'file')} with errors`
      : `no Kubernetes manifests (*.yaml, *.yml, *.json) or proxy dumps found in ${rel(cd.dir) || cd.dir}`;
  } else if (failedFiles.size > 0) {
    snap.status = 'partial';
    snap.reason = `${plural(failedFiles.size, 'file')} could not be fully loaded`;
  }
  return snap;
}

/** Every manifest file under a context folder, sorted; skips hidden entries, node_modules and the top proxies/. */
async function manifestFiles(ctxDir: string, context: string, rel: (abs: string) => string, issues: LoadIssue[]): Promise<string[]> {
  const out: string[] = [];
  const seen = new Set<string>();
  const walk = async (dir: string, top: boolean): Promise<void> => {
    const real = await realpath(dir).catch(() => dir);
    if (seen.has(real)) return;
    seen.add(real);
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      issues.push({ context, severity: 'error', file: rel(dir), message: `cannot read folder: ${errorText(err)}` });
      return;
    }
    const subdirs: string[] = [];
    for (const e of entries) {
      if (e.name.startsWith('.') || e.name === 'node_modules') continue;
      const abs = join(dir, e.name);
      let isDir = e.isDirectory();
      let isFile = e.isFile();
      if (e.isSymbolicLink()) {
        const s = await stat(abs).catch(() => null);
        isDir = Boolean(s?.isDirectory());
        isFile = s ? s.isFile() : true; // a dangling link to a manifest is reported when it cannot be read
      }
      if (isDir) {
        if (!(top && (e.name === PROXIES || e.name === ZTUNNEL))) subdirs.push(abs);
      } else if (isFile && MANIFEST.test(e.name) && !(top && e.name === CONFIGMAPS_CHECKED)) {
        out.push(abs);
      }
    }
    for (const d of subdirs) await walk(d, false);
  };
  await walk(ctxDir, true);
  return out.sort();
}

async function forEachLimited<T>(items: T[], limit: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** Parses one file's text and validates each object. Broken documents become issues; the rest load. */
export function objectsOfFile(text: string, json: boolean, context: string, file: string, issues: LoadIssue[]): LoadedObject[] {
  const parsed = json ? parseJsonObjects(text) : parseYamlObjects(text);
  const all = issues;
  issues = [];
  for (const p of parsed.problems) issues.push({ context, severity: 'error', file, docIndex: json ? undefined : p.docIndex, line: p.line, message: p.message });
  const out: LoadedObject[] = [];
  let secrets = 0;
  let firstSecretLine: number | undefined;
  for (const entry of parsed.entries) {
    const r = validate(entry, json);
    if (r === 'secret') {
      secrets++;
      firstSecretLine ??= entry.line;
      continue;
    }
    if (typeof r === 'string') {
      issues.push({ context, severity: 'error', file, docIndex: json ? undefined : entry.docIndex, line: entry.line, message: r });
      continue;
    }
    if ('skip' in r) {
      issues.push({ context, severity: 'warning', file, docIndex: json ? undefined : entry.docIndex, line: entry.line, message: r.skip });
      continue;
    }
    const origin: LoadedObject['origin'] = { context, file, docIndex: entry.docIndex, line: entry.line };
    if (entry.itemIndex !== undefined) origin.itemIndex = entry.itemIndex;
    out.push({ obj: r.obj, origin });
  }
  if (secrets > 0) {
    const what = secrets === 1 ? 'a Secret' : `${secrets} Secrets`;
    issues.push({ context, severity: 'warning', file, line: firstSecretLine, message: `skipped ${what}: meshscope never reads Secrets` });
  }
  all.push(...issues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0)));
  return out;
}

type Validation = { obj: KubeObject } | { skip: string } | 'secret' | string;

function validate(entry: RawEntry, json: boolean): Validation {
  const where = entry.itemIndex !== undefined ? `item ${entry.itemIndex} of the ${entry.list?.kind ?? 'list'}` : json ? 'the file' : 'the document';
  const raw = entry.value;
  if (!isRecord(raw)) return `${where} is not a Kubernetes object (expected a mapping with apiVersion, kind and metadata.name)`;
  // Items of typed lists (VirtualServiceList from the API) may omit kind and apiVersion: take them from the list.
  let v: Record<string, unknown> = raw;
  if (entry.list && entry.list.kind !== 'List' && v.kind === undefined) {
    v = { apiVersion: entry.list.apiVersion, kind: entry.list.kind.slice(0, -'List'.length), ...v };
  }
  const kind = v.kind;
  if (kind === 'Secret' && (v.apiVersion === 'v1' || v.apiVersion === undefined)) return 'secret';
  if (typeof kind !== 'string' || kind === '') {
    if (Array.isArray(v.configs)) return `${where} is an Envoy config dump, not a Kubernetes object: put it at proxies/<namespace>/<pod>/config_dump.json`;
    if (Array.isArray(v.cluster_statuses)) return `${where} is an Envoy /clusters dump, not a Kubernetes object: put it at proxies/<namespace>/<pod>/clusters.json`;
    return `${where} has no kind`;
  }
  if (typeof v.apiVersion === 'string' && v.apiVersion.startsWith('kustomize.config.k8s.io/')) {
    return { skip: `skipped ${kind}: meshscope reads plain manifests, not kustomize configuration` };
  }
  const meta = v.metadata;
  const name = isRecord(meta) ? meta.name : undefined;
  if (typeof name !== 'string' || name === '') return `${kind} has no metadata.name`;
  const ns = isRecord(meta) && typeof meta.namespace === 'string' ? `${meta.namespace}/` : '';
  if (typeof v.apiVersion !== 'string' || v.apiVersion === '') return `${kind} ${ns}${name} has no apiVersion`;
  const wrong = shapeProblem(v);
  if (wrong) return `${kind} ${ns}${name}: ${wrong}`;
  return { obj: v as KubeObject };
}

/** -n narrowing: objects of that namespace, objects with no namespace (cluster-scoped), and that Namespace itself. */
function inNamespace(obj: KubeObject, namespace: string | undefined): boolean {
  if (!namespace) return true;
  if (obj.kind === 'Namespace') return obj.metadata.name === namespace;
  const ns = obj.metadata.namespace;
  return ns === undefined || ns === '' || ns === namespace;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** DIR/<context>/configmaps-checked.json, when there: `{checked: ["namespace/name", ...]}`. */
async function readConfigMapsChecked(dir: string, context: string, rel: (abs: string) => string, issues: LoadIssue[], cap: number): Promise<string[] | undefined> {
  const f = await readJsonFile(join(dir, CONFIGMAPS_CHECKED), rel, cap, CONFIGMAPS_CHECKED);
  if (f.missing) return undefined;
  const checked = isRecord(f.value) ? f.value.checked : undefined;
  const ok = Array.isArray(checked) && checked.every((k) => typeof k === 'string' && /^[^/]+\/[^/]+$/.test(k));
  if (f.error || !ok) {
    issues.push({ context, severity: 'error', file: f.file, line: f.line, message: f.error ?? 'not a list of checked ConfigMaps (expected {"checked": ["namespace/name", ...]})' });
    return undefined;
  }
  return checked as string[];
}

// ---------------------------------------------------------------- proxies
// The dumps are parsed JSON, not interpreted. The folder layout is found by proxy-files.ts (shared with `pc`).

/** DIR/<context>/proxies/<namespace>/<pod>/{config_dump.json,clusters.json}. A missing proxies/ folder is fine. */
async function readProxyDumps(contextDir: string, context: string, rel: (abs: string) => string, issues: LoadIssue[], cap: number): Promise<ProxyDump[]> {
  // An unreadable proxies/ folder (or namespace folder) is a located issue, never silently no dumps.
  const pods = await listProxyDirs(contextDir, (dir, err) => {
    issues.push({ context, severity: 'error', file: rel(dir), message: `cannot read folder: ${errorText(err)}` });
  });
  const dumps: ProxyDump[] = [];
  for (const p of pods) dumps.push(await readProxyDump(p.dir, context, p.namespace, p.pod, rel, issues, cap));
  return dumps;
}

async function readProxyDump(dir: string, context: string, namespace: string, pod: string, rel: (abs: string) => string, issues: LoadIssue[], cap: number): Promise<ProxyDump> {
  const dump: ProxyDump = { context, namespace, pod };
  const what = (f: string) => `${f} of pod ${namespace}/${pod}`;
  const cd = await readJsonFile(join(dir, 'config_dump.json'), rel, cap, what('config_dump.json'));
  const cl = await readJsonFile(join(dir, 'clusters.json'), rel, cap, what('clusters.json'));
  if (cd.missing) {
    dump.error = `no config_dump.json in ${rel(dir)}`;
    issues.push({ context, severity: 'error', file: rel(dir), message: `proxy ${namespace}/${pod} has no config_dump.json` });
  } else {
    dump.configDumpFile = cd.file;
    if (cd.error) {
      dump.error = cd.error;
      issues.push({ context, severity: 'error', file: cd.file, line: cd.line, message: cd.error });
    } else if (!isRecord(cd.value) || !Array.isArray(cd.value.configs)) {
      dump.error = 'not an Envoy config dump (no "configs" array)';
      issues.push({ context, severity: 'error', file: cd.file, message: dump.error });
    } else {
      dump.configDump = cd.value;
    }
  }
  if (!cl.missing) {
    dump.clustersFile = cl.file;
    const problem = cl.error
      ?? (isRecord(cl.value) && (cl.value.cluster_statuses === undefined || Array.isArray(cl.value.cluster_statuses))
        ? undefined
        : 'not an Envoy /clusters?format=json dump (no "cluster_statuses" array)');
    if (problem) issues.push({ context, severity: 'error', file: cl.file, line: cl.line, message: problem });
    else dump.clusters = cl.value;
  }
  const st = await readJsonFile(join(dir, 'stats.json'), rel, cap, what('stats.json'));
  if (!st.missing) {
    dump.statsFile = st.file;
    const problem = st.error ?? (isRecord(st.value) && Array.isArray(st.value.samples) ? undefined : 'not a meshscope stats.json (no "samples" array)');
    if (problem) issues.push({ context, severity: 'error', file: st.file, line: st.line, message: problem });
    else dump.stats = st.value;
  }
  return dump;
}

interface JsonFile { file: string; missing?: boolean; value?: unknown; error?: string; line?: number }

async function readJsonFile(abs: string, rel: (abs: string) => string, cap: number, what: string): Promise<JsonFile> {
  const file = rel(abs);
  let text: string;
  try {
    const size = (await stat(abs)).size;
    if (size > cap) return { file, error: overCapMessage(what, size, cap) };
    text = await readFile(abs, 'utf8');
  } catch (err) {
    if (isRecord(err) && err.code === 'ENOENT') return { file, missing: true };
    return { file, error: `cannot read file: ${errorText(err)}` };
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  try {
    return { file, value: JSON.parse(text) };
  } catch (err) {
    const parsed = parseJsonObjects(text);
    const p = parsed.problems[0];
    return { file, error: p?.message ?? `invalid JSON: ${errorText(err)}`, line: p?.line };
  }
}
