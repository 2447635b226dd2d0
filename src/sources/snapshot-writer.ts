// Writes loaded contexts as a snapshot folder (the format snapshot.ts reads):
//   DIR/<context>/<namespace>/<plural>.yaml (cluster-scoped objects under _cluster/), multi-document YAML
//   DIR/<context>/ztunnel/<ztunnel-pod>/config_dump.json
//   DIR/<context>/proxies/<namespace>/<pod>/config_dump.json, clusters.json and stats.json
//   DIR/<context>/configmaps-checked.json: the CA bundle ConfigMaps a live load looked up ({checked: ["ns/name"]})
// Everything is written to a temporary sibling folder first and renamed into place, so nothing is written on failure.
// Secrets are never written; managedFields are stripped.
import { mkdir, readdir, rename, rm, stat, writeFile, mkdtemp } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { stringify } from 'yaml';
import type { ContextSnapshot } from '../model/context.js';
import type { KubeObject } from '../model/resources.js';
import { UserError } from '../core/errors.js';
import { CONFIGMAPS_CHECKED } from './snapshot-contexts.js';

export interface WriteSnapshotOptions {
  /** Replace a non-empty DIR. */
  force?: boolean;
}

export interface WrittenContext { name: string; folder: string; objects: number; proxies: number }

const PLURAL: Record<string, string> = { ServiceEntry: 'serviceentries', Gateway: 'gateways' };
const pluralOf = (kind: string) => PLURAL[kind] ?? `${kind.toLowerCase()}s`;
/** A context name as a folder name: path separators and control characters become "_". */
export const folderName = (context: string) => context.replace(/[/\\\x00-\x1f]/g, '_').replace(/^\.+$/, '_');

function clean(obj: KubeObject): KubeObject {
  const { managedFields: _m, ...meta } = obj.metadata;
  return { ...obj, metadata: meta as KubeObject['metadata'] };
}

export async function writeSnapshot(outDir: string, contexts: ContextSnapshot[], opts: WriteSnapshotOptions = {}): Promise<WrittenContext[]> {
  const out = resolve(outDir);
  const existing = await stat(out).catch(() => null);
  if (existing && !existing.isDirectory()) throw new UserError(`--out ${outDir}: exists and is not a folder`);
  if (existing && (await readdir(out)).length > 0 && !opts.force) throw new UserError(`--out ${outDir}: folder is not empty (use --force to replace it)`);
  const names = new Map<string, string>();
  for (const c of contexts) {
    const f = folderName(c.name);
    if (names.has(f)) throw new UserError(`contexts "${names.get(f)}" and "${c.name}" would share the folder ${f}`);
    names.set(f, c.name);
  }
  await mkdir(dirname(out), { recursive: true });
  const tmp = await mkdtemp(join(dirname(out), `.${basename(out)}.meshscope-`));
  try {
    const written: WrittenContext[] = [];
    for (const ctx of contexts) written.push(await writeContext(join(tmp, folderName(ctx.name)), ctx));
    if (existing) {
      const old = `${tmp}.old`;
      await rename(out, old);
      await rename(tmp, out);
      await rm(old, { recursive: true, force: true });
    } else {
      await rename(tmp, out);
    }
    return written;
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw err instanceof UserError ? err : new UserError(`--out ${outDir}: ${err instanceof Error ? err.message : String(err)} (nothing written)`);
  }
}

async function writeContext(dir: string, ctx: ContextSnapshot): Promise<WrittenContext> {
  await mkdir(dir, { recursive: true });
  const files = new Map<string, KubeObject[]>();
  for (const { obj } of ctx.objects) {
    if (obj.kind === 'Secret') continue;
    const f = join(folderName(obj.metadata.namespace ?? '_cluster'), `${pluralOf(obj.kind)}.yaml`);
    if (!files.has(f)) files.set(f, []);
    files.get(f)!.push(clean(obj));
  }
  for (const [f, objs] of files) {
    await mkdir(join(dir, dirname(f)), { recursive: true });
    await writeFile(join(dir, f), objs.map((o) => stringify(o, { lineWidth: 0 })).join('---\n'));
  }
  if (ctx.configMapsChecked?.length) {
    await writeFile(join(dir, CONFIGMAPS_CHECKED), `${JSON.stringify({ checked: ctx.configMapsChecked }, null, 1)}\n`);
  }
  let proxies = 0;
  for (const p of ctx.proxies) {
    if (p.configDump === undefined) continue;
    const pdir = join(dir, 'proxies', folderName(p.namespace), folderName(p.pod));
    await mkdir(pdir, { recursive: true });
    await writeFile(join(pdir, 'config_dump.json'), `${JSON.stringify(p.configDump, null, 2)}\n`);
    if (p.clusters !== undefined) await writeFile(join(pdir, 'clusters.json'), `${JSON.stringify(p.clusters, null, 2)}\n`);
    if (p.stats !== undefined) await writeFile(join(pdir, 'stats.json'), `${JSON.stringify(p.stats, null, 1)}\n`);
    proxies++;
  }
  for (const z of ctx.ztunnels ?? []) {
    if (z.configDump === undefined) continue;
    const zdir = join(dir, 'ztunnel', folderName(z.pod));
    await mkdir(zdir, { recursive: true });
    await writeFile(join(zdir, 'config_dump.json'), `${JSON.stringify(z.configDump, null, 2)}\n`);
  }
  return { name: ctx.name, folder: basename(dir), objects: ctx.objects.filter((o) => o.obj.kind !== 'Secret').length, proxies };
}
