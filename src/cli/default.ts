// `meshscope` with no subcommand. Until the TUI lands, it prints the loaded mesh's contexts, namespaces and resources.
import type { Command } from 'commander';
import { globalsOf } from './global.js';
import { UserError } from './errors.js';

export async function runDefault(program: Command): Promise<number> {
  const opts = globalsOf(program);
  if (program.args.length > 0) throw new UserError(`unknown command "${program.args[0]}" (see meshscope --help)`, 2);
  throw new UserError(`loading is not wired yet (fixtures: ${opts.fixtures ?? 'none'})`);
}
