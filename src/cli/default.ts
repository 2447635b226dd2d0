// `meshscope` with no subcommand: the TUI on a terminal; the mesh summary (summary.ts) when stdout or stdin is not a TTY.
import type { Command } from 'commander';
import { globalsOf } from './global.js';
import { UsageError } from '../core/errors.js';

export async function runDefault(program: Command): Promise<number> {
  if (program.args.length > 0) throw new UsageError(`unknown command "${program.args[0]}" (see meshscope --help)`);
  const globals = globalsOf(program);
  if (!process.stdout.isTTY || !process.stdin.isTTY) {
    const { runSummary } = await import('./summary.js');
    return runSummary(globals);
  }
  const { runTui } = await import('../app/launcher.js');
  return runTui(globals);
}
