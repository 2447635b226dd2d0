// kubeconfig resolution as kubectl does it: --kubeconfig, else $KUBECONFIG (several files, the first file wins for
// each cluster/user/context name and for current-context), else ~/.kube/config. Parsed with `yaml`, so choosing
// contexts does not load client-node.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, isAbsolute, join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { UserError } from '../../core/errors.js';

type Named = { name: string; [k: string]: unknown };

export interface MergedKubeconfig {
  files: string[];
  currentContext?: string;
  clusters: Named[];
  users: Named[];
  contexts: Named[];
}

export interface ContextInfo { name: string; cluster: string; user: string; namespace?: string; server?: string }

/** The kubeconfig files in effect, in precedence order. */
export function kubeconfigPaths(flag?: string, env: NodeJS.ProcessEnv = process.env): string[] {
  if (flag) return [resolve(flag)];
  if (env.KUBECONFIG) return env.KUBECONFIG.split(delimiter).filter(Boolean).map((p) => resolve(p));
  return [join(homedir(), '.kube', 'config')];
}

const PATH_FIELDS: Record<'cluster' | 'user', string[]> = {
  cluster: ['certificate-authority'],
  user: ['client-certificate', 'client-key', 'tokenFile'],
};

function absolutise(entry: Named, section: 'cluster' | 'user', dir: string): Named {
  const body = { ...((entry[section] as Record<string, unknown> | undefined) ?? {}) };
  for (const f of PATH_FIELDS[section]) {
    const v = body[f];
    if (typeof v === 'string' && v && !isAbsolute(v)) body[f] = join(dir, v);
  }
  return { ...entry, [section]: body };
}

export function loadKubeconfig(flag?: string, env: NodeJS.ProcessEnv = process.env): MergedKubeconfig {
  const paths = kubeconfigPaths(flag, env);
  const merged: MergedKubeconfig = { files: [], clusters: [], users: [], contexts: [] };
  for (const file of paths) {
    if (!existsSync(file)) {
      if (flag) throw new UserError(`kubeconfig ${file}: file not found`);
      continue; // kubectl ignores missing files in $KUBECONFIG
    }
    let doc: Record<string, unknown>;
    try {
      doc = (parse(readFileSync(file, 'utf8')) ?? {}) as Record<string, unknown>;
    } catch (err) {
      throw new UserError(`kubeconfig ${file}: not valid YAML: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
    }
    if (typeof doc !== 'object' || Array.isArray(doc)) throw new UserError(`kubeconfig ${file}: not a kubeconfig (expected a mapping)`);
    merged.files.push(file);
    const dir = dirname(file);
    if (!merged.currentContext && typeof doc['current-context'] === 'string' && doc['current-context']) merged.currentContext = doc['current-context'];
    const add = (list: Named[], items: unknown, section?: 'cluster' | 'user') => {
      if (!Array.isArray(items)) return;
      for (const it of items as Named[]) {
        if (!it || typeof it.name !== 'string' || list.some((x) => x.name === it.name)) continue;
        list.push(section ? absolutise(it, section, dir) : it);
      }
    };
    add(merged.clusters, doc.clusters, 'cluster');
    add(merged.users, doc.users, 'user');
    add(merged.contexts, doc.contexts);
  }
  if (merged.files.length === 0) throw new UserError(`no kubeconfig found (looked at ${paths.join(', ')}); use --kubeconfig or --fixtures`);
  return merged;
}

export function contextInfo(kc: MergedKubeconfig, name: string): ContextInfo {
  const ctx = kc.contexts.find((c) => c.name === name);
  if (!ctx) throw new UserError(`context "${name}" not found in kubeconfig (${kc.contexts.map((c) => c.name).join(', ') || 'no contexts'})`);
  const body = (ctx.context ?? {}) as { cluster?: string; user?: string; namespace?: string };
  const cluster = kc.clusters.find((c) => c.name === body.cluster);
  return {
    name, cluster: body.cluster ?? '', user: body.user ?? '', namespace: body.namespace,
    server: (cluster?.cluster as { server?: string } | undefined)?.server,
  };
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

/** A self-contained kubeconfig text holding only one context (for client-node's KubeConfig.loadFromString). */
export function singleContextYaml(kc: MergedKubeconfig, name: string): string {
  const info = contextInfo(kc, name);
  const cluster = kc.clusters.find((c) => c.name === info.cluster);
  if (!cluster) throw new UserError(`context "${name}": cluster "${info.cluster}" not found in kubeconfig`);
  const user = kc.users.find((u) => u.name === info.user) ?? { name: info.user || 'anonymous', user: {} };
  return stringify({
    apiVersion: 'v1', kind: 'Config', 'current-context': name,
    clusters: [cluster], users: [user], contexts: [kc.contexts.find((c) => c.name === name)],
  });
}
