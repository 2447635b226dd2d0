// Entry point: parses global flags, dispatches to a subcommand, and turns errors into one clear line.
import { Command, CommanderError } from 'commander';
import { addGlobalOptions } from './global.js';
import { COMMANDS } from './commands.js';
import { UserError } from '../core/errors.js';
import { sanitizeLine } from '../core/sanitize.js';

export async function main(argv: string[]): Promise<number> {
  const program = addGlobalOptions(new Command('meshscope'))
    .description('Istio intent and Envoy reality, joined, across kube contexts')
    .enablePositionalOptions(false)
    .allowExcessArguments(true) // runDefault names an unknown command itself
    .exitOverride()
    .configureOutput({ outputError: (str, write) => write(`${sanitizeLine(str.trim())}\n`) }); // one line, e.g. with "(Did you mean …?)"

  const words = argv.slice(2);
  const wanted = COMMANDS.filter((c) => c.names.some((n) => words.includes(n)));
  // Only global options (e.g. `meshscope --fixtures DIR`): the default action runs and needs no subcommand module.
  const toLoad = wanted.length > 0 ? wanted : onlyGlobalOptions(program, words) ? [] : COMMANDS;
  // Load only the named subcommand when it is obvious; all of them for --help or an unknown word.
  const helpAsked = words.includes('--help') || words.includes('-h') || words[0] === 'help';
  for (const c of helpAsked ? COMMANDS : toLoad) (await c.load()).register(program);

  let exitCode = 0;
  program.action(async () => {
    const { runDefault } = await import('./default.js');
    exitCode = await runDefault(program);
  });
  for (const sub of program.commands) {
    sub.exitOverride();
  }
  try {
    await program.parseAsync(argv);
    return (program.getOptionValue('__exitCode') as number | undefined) ?? exitCode;
  } catch (err) {
    return reportError(err);
  }
}

/** True when `words` are all options of `program` (with their values): no word that could name a command. */
function onlyGlobalOptions(program: Command, words: string[]): boolean {
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (!w.startsWith('-') || w === '-' || w === '--') return false;
    const flag = w.includes('=') ? w.slice(0, w.indexOf('=')) : w;
    const opt = program.options.find((o) => o.long === flag || o.short === flag);
    if (!opt) return false;
    if ((opt.required || opt.optional) && !w.includes('=')) i++; // its value
  }
  return true;
}

export function reportError(err: unknown): number {
  if (err instanceof CommanderError) {
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.exitCode === 0) return 0;
    return 2;
  }
  if (err instanceof UserError) {
    process.stderr.write(`meshscope: ${sanitizeLine(err.message)}\n`);
    return err.exitCode;
  }
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`meshscope: internal error: ${sanitizeLine(message)}\n`);
  if (process.env.MESHSCOPE_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
  return 1;
}
