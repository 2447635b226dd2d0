// Reads a snapshot folder (DIR/<context>/**/*.yaml|yml|json, DIR/<context>/proxies/<ns>/<pod>/*.json) to seed test servers.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../../../src/model/resources.js';

export interface SeedProxy { configDumpFile?: string; clustersFile?: string }
export interface SeedContext { objects: KubeObject[]; proxies: Map<string, SeedProxy> }

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) { if (name !== 'proxies') walk(p, out); }
    else if (/\.(ya?ml|json)$/.test(name)) out.push(p);
  }
  return out;
}

/** Objects and proxy dump files of one context folder. */
export function readSeedContext(dir: string): SeedContext {
  const objects: KubeObject[] = [];
  for (const file of walk(dir)) {
    for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
      const v = doc.toJS() as KubeObject | null;
      if (!v || typeof v !== 'object') continue;
      if (v.kind === 'List' || (typeof v.kind === 'string' && v.kind.endsWith('List') && Array.isArray(v.items))) {
        for (const item of v.items as KubeObject[]) if (item?.kind && item.metadata?.name) objects.push(item);
      } else if (v.kind && v.metadata?.name) objects.push(v);
    }
  }
  const proxies = new Map<string, SeedProxy>();
  const pdir = join(dir, 'proxies');
  if (existsSync(pdir)) {
    for (const ns of readdirSync(pdir)) {
      if (!statSync(join(pdir, ns)).isDirectory()) continue;
      for (const pod of readdirSync(join(pdir, ns))) {
        const d = join(pdir, ns, pod);
        if (!statSync(d).isDirectory()) continue;
        const cd = join(d, 'config_dump.json');
        const cl = join(d, 'clusters.json');
        proxies.set(`${ns}/${pod}`, { configDumpFile: existsSync(cd) ? cd : undefined, clustersFile: existsSync(cl) ? cl : undefined });
      }
    }
  }
  return { objects, proxies };
}

/** Context names of a snapshot folder (its sub-folders). */
export function seedContexts(dir: string): string[] {
  return readdirSync(dir).filter((n) => statSync(join(dir, n)).isDirectory() && !n.startsWith('.')).sort();
}
