// `meshscope summary`: the loaded mesh — contexts, namespaces, each resource with its key facts, load issues — as text,
// JSON or YAML.
// It is also what `meshscope` with no subcommand prints until the TUI lands.
import type { Command } from 'commander';
import type { MeshInput } from '../model/context.js';
import { formatSummary, summaryDocument } from '../format/summary.js';
import { toGoYaml } from '../format/goyaml.js';
import { UsageError } from '../core/errors.js';
import { sanitizeLine, terminalSafeJson } from '../core/sanitize.js';
import { globalsOf, setExitCode } from './global.js';

export function register(program: Command): void {
  program
    .command('summary')
    .description('print the loaded contexts, namespaces and resources with their key facts, and any load issues')
    .option('--limit <n>', 'text: show at most this many objects of one kind per namespace (0: all)', '50')
    .option('-o, --output <format>', 'text, json or yaml (json and yaml list every object)', 'text')
    .action(async (o: { limit: string; output: string }, cmd: Command) => {
      const limit = Number.parseInt(o.limit, 10);
      const output = String(o.output);
      if (output !== 'text' && output !== 'json' && output !== 'yaml') throw new UsageError(`--output must be text, json or yaml, not "${output}"`);
      setExitCode(cmd, await runSummary(globalsOf(cmd), Number.isFinite(limit) && limit >= 0 ? limit : 50, output));
    });
}

/** Loads the mesh from the global flags and prints it. Exit code 1 when nothing at all could be loaded. */
export async function runSummary(opts: ReturnType<typeof globalsOf>, limit = 50, output: 'text' | 'json' | 'yaml' = 'text'): Promise<number> {
  const { loadMesh } = await import('../sources/load.js');
  const mesh = await loadMesh(opts);
  if (output === 'json') process.stdout.write(`${terminalSafeJson(JSON.stringify(summaryDocument(mesh), null, 2))}\n`);
  else if (output === 'yaml') process.stdout.write(toGoYaml(summaryDocument(mesh)));
  else process.stdout.write(formatSummary(mesh, { limit }).join('\n') + '\n');
  if (!loadedAnything(mesh)) {
    const from = opts.fixtures ? ` from ${sanitizeLine(opts.fixtures)}` : '';
    process.stderr.write(`meshscope: nothing could be loaded${from}\n`);
    return 1;
  }
  return 0;
}

export function loadedAnything(mesh: MeshInput): boolean {
  return mesh.contexts.some((c) => c.objects.length > 0 || c.proxies.some((p) => !p.error));
}

