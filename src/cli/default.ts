// `meshscope` with no subcommand. Until the TUI lands, it prints the loaded mesh (see summary.ts).
import type { Command } from 'commander';
import { globalsOf } from './global.js';
import { UsageError } from './errors.js';

export async function runDefault(program: Command): Promise<number> {
  if (program.args.length > 0) throw new UsageError(`unknown command "${program.args[0]}" (see meshscope --help)`);
  const { runSummary } = await import('./summary.js');
  return runSummary(globalsOf(program));
}
