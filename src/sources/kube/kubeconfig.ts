// kubeconfig files as kubectl reads them. client-node's KubeConfig loads each file (parsing, entry validation,
// certificate-authority / client-certificate / client-key paths made absolute against that file's folder). What it
// cannot do stays here: which files (--kubeconfig, else $KUBECONFIG, else ~/.kube/config), kubectl's merge (the first
// file wins for each cluster/user/context name and for current-context; client-node's mergeConfig throws on a repeated
// name and lets the last current-context win), a relative exec.command with a path separator and a relative tokenFile
// resolved against the folder of the file that declared them (client-node runs the command from the process's cwd
// and knows only `token-file`).
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, isAbsolute, join, resolve, sep } from 'node:path';
import type * as K8s from '@kubernetes/client-node';
import { parse } from 'yaml';
import { UserError } from '../../core/errors.js';
import { k8s } from './k8s-module.js';

export interface MergedKubeconfig {
  files: string[];
  currentContext?: string;
  clusters: K8s.Cluster[];
  users: K8s.User[];
  contexts: K8s.Context[];
  /** User name → absolute tokenFile (kubectl's field; client-node does not read it). */
  tokenFiles: Map<string, string>;
}

export interface ContextInfo { name: string; cluster: string; user: string; namespace?: string; server?: string }

/** The kubeconfig files in effect, in precedence order. */
export function kubeconfigPaths(flag?: string, env: NodeJS.ProcessEnv = process.env): string[] {
  if (flag) return [resolve(flag)];
  if (env.KUBECONFIG) return env.KUBECONFIG.split(delimiter).filter(Boolean).map((p) => resolve(p));
  return [join(homedir(), '.kube', 'config')];
}

const firstLine = (err: unknown) => (err instanceof Error ? err.message : String(err)).split('\n')[0];

/** kubectl's rule: a command with a path separator is a path, relative to the kubeconfig's folder; else it is looked up in PATH. */
function execCommand(command: unknown, dir: string): unknown {
  return typeof command === 'string' && command.includes(sep) && !isAbsolute(command) ? join(dir, command) : command;
}

/** One file through client-node, plus what client-node leaves out. */
function loadFile(k: typeof K8s, file: string): { kc: K8s.KubeConfig; tokenFiles: Map<string, string> } {
  const text = readFileSync(file, 'utf8');
  const kc = new k.KubeConfig();
  const tokenFiles = new Map<string, string>();
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (err) {
    throw new UserError(`kubeconfig ${file}: not valid YAML: ${firstLine(err)}`);
  }
  if (raw === null || raw === undefined) return { kc, tokenFiles };
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new UserError(`kubeconfig ${file}: not a kubeconfig (expected a mapping)`);
  try {
    kc.loadFromString(text);
  } catch (err) {
    throw new UserError(`kubeconfig ${file}: ${firstLine(err)}`);
  }
  const dir = dirname(file);
  kc.makePathsAbsolute(dir);
  kc.users = kc.users.map((u) => (u.exec && typeof u.exec === 'object' ? { ...u, exec: { ...u.exec, command: execCommand(u.exec.command, dir) } } : u));
  const rawUsers = (raw as { users?: unknown }).users;
  for (const u of Array.isArray(rawUsers) ? rawUsers as { name?: unknown; user?: { tokenFile?: unknown } }[] : []) {
    const f = u?.user?.tokenFile;
    if (typeof u?.name === 'string' && typeof f === 'string' && f) tokenFiles.set(u.name, isAbsolute(f) ? f : join(dir, f));
  }
  return { kc, tokenFiles };
}

export async function loadKubeconfig(flag?: string, env: NodeJS.ProcessEnv = process.env): Promise<MergedKubeconfig> {
  const k = await k8s();
  const paths = kubeconfigPaths(flag, env);
  const merged: MergedKubeconfig = { files: [], clusters: [], users: [], contexts: [], tokenFiles: new Map() };
  const add = <T extends { name: string }>(list: T[], items: T[]) => {
    for (const it of items) if (!list.some((x) => x.name === it.name)) list.push(it);
  };
  for (const file of paths) {
    if (!existsSync(file)) {
      if (flag) throw new UserError(`kubeconfig ${file}: file not found`);
      continue; // kubectl ignores missing files in $KUBECONFIG
    }
    const { kc, tokenFiles } = loadFile(k, file);
    merged.files.push(file);
    if (!merged.currentContext && kc.currentContext) merged.currentContext = kc.currentContext;
    for (const [user, f] of tokenFiles) if (!merged.users.some((u) => u.name === user)) merged.tokenFiles.set(user, f);
    add(merged.clusters, kc.clusters);
    add(merged.users, kc.users);
    add(merged.contexts, kc.contexts);
  }
  if (merged.files.length === 0) throw new UserError(`no kubeconfig found (looked at ${paths.join(', ')}); use --kubeconfig or --fixtures`);
  return merged;
}

export function contextInfo(kc: MergedKubeconfig, name: string): ContextInfo {
  const ctx = kc.contexts.find((c) => c.name === name);
  if (!ctx) throw new UserError(`context "${name}" not found in kubeconfig (${kc.contexts.map((c) => c.name).join(', ') || 'no contexts'})`);
  const cluster = kc.clusters.find((c) => c.name === ctx.cluster);
  return { name, cluster: ctx.cluster ?? '', user: ctx.user ?? '', namespace: ctx.namespace, server: cluster?.server };
}

/** --context (repeatable/comma-separated), --all-contexts, else current-context. Unknown names are a UserError. */
export function selectContexts(kc: MergedKubeconfig, wanted: string[], all = false): string[] {
  if (all) return kc.contexts.map((c) => c.name);
  if (wanted.length > 0) {
    const out = [...new Set(wanted.flatMap((w) => w.split(',')).map((w) => w.trim()).filter(Boolean))];
    for (const n of out) contextInfo(kc, n);
    return out;
  }
  if (!kc.currentContext) throw new UserError(`kubeconfig ${kc.files.join(', ')} has no current-context; name one with --context or use --all-contexts`);
  contextInfo(kc, kc.currentContext);
  return [kc.currentContext];
}

/** client-node's KubeConfig holding only one context (its cluster and user; a tokenFile read now, as kubectl does per use). */
export function singleContextConfig(k: typeof K8s, kc: MergedKubeconfig, name: string): K8s.KubeConfig {
  const info = contextInfo(kc, name);
  const cluster = kc.clusters.find((c) => c.name === info.cluster);
  if (!cluster) throw new UserError(`context "${name}": cluster "${info.cluster}" not found in kubeconfig`);
  let user: K8s.User = kc.users.find((u) => u.name === info.user) ?? { name: info.user || 'anonymous' };
  const tokenFile = kc.tokenFiles.get(user.name);
  if (tokenFile && !user.token) {
    try {
      user = { ...user, token: readFileSync(tokenFile, 'utf8').trim() };
    } catch (err) {
      throw new UserError(`user "${user.name}": tokenFile ${tokenFile}: cannot read: ${firstLine(err)}`);
    }
  }
  const out = new k.KubeConfig();
  out.loadFromOptions({ clusters: [cluster], users: [user], contexts: [kc.contexts.find((c) => c.name === name)!], currentContext: name });
  return out;
}
