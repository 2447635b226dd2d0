// ztunnel config dumps inside a snapshot folder: DIR/<context>/ztunnel/<ztunnel-pod>/config_dump.json
// (ztunnel admin /config_dump, kept exactly as ztunnel wrote it).
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { overCapMessage, resolveLimits } from './limits.js';
import type { LoadIssue, ZtunnelDumpFile } from '../model/context.js';

export const ZTUNNEL = 'ztunnel';
export const ZTUNNEL_DUMP = 'config_dump.json';

/** The ztunnel pods with a folder under DIR/<context>/ztunnel/, sorted. */
export async function listZtunnelPods(contextDir: string): Promise<string[]> {
  const entries = await readdir(join(contextDir, ZTUNNEL), { withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name).sort();
}

/** The text of one ztunnel pod's dump, undefined when the file is absent. A file over `cap` bytes throws. */
export async function readZtunnelDumpText(contextDir: string, pod: string, cap = resolveLimits().maxDumpBytes): Promise<{ path: string; text: string } | undefined> {
  const path = join(contextDir, ZTUNNEL, pod, ZTUNNEL_DUMP);
  const size = await stat(path).then((s) => s.size, (err: NodeJS.ErrnoException) => { if (err.code === 'ENOENT') return undefined; throw err; });
  if (size === undefined) return undefined;
  if (size > cap) throw new Error(overCapMessage(`${ZTUNNEL_DUMP} of ztunnel pod ${pod}`, size, cap));
  return { path, text: await readFile(path, 'utf8') };
}

/** Every ztunnel dump of a context folder, parsed as JSON (not interpreted). Problems become issues. */
export async function readZtunnelDumps(contextDir: string, context: string, rel: (abs: string) => string, issues: LoadIssue[], cap: number): Promise<ZtunnelDumpFile[]> {
  const out: ZtunnelDumpFile[] = [];
  for (const pod of await listZtunnelPods(contextDir)) {
    const file = rel(join(contextDir, ZTUNNEL, pod, ZTUNNEL_DUMP));
    const entry: ZtunnelDumpFile = { context, pod, configDumpFile: file };
    try {
      const got = await readZtunnelDumpText(contextDir, pod, cap);
      if (!got) continue;
      entry.configDump = JSON.parse(got.text);
    } catch (err) {
      entry.error = err instanceof SyntaxError ? `not valid JSON (${err.message})` : err instanceof Error ? err.message : String(err);
      issues.push({ context, severity: 'error', file, message: `ztunnel config dump not read: ${entry.error}` });
    }
    out.push(entry);
  }
  return out;
}
