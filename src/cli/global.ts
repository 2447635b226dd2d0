// Global flags shared by every subcommand.
import type { Command } from 'commander';
import type { GlobalOptions } from '../core/options.js';

/** `--context a --context b,c` → ['a','b','c'] */
export function collectContexts(value: string, previous: string[] = []): string[] {
  return previous.concat(value.split(',').map((s) => s.trim()).filter(Boolean));
}

export function addGlobalOptions(cmd: Command): Command {
  return cmd
    .option('--fixtures <dir>', 'read a snapshot folder instead of live clusters')
    .option('--context <name>', 'kube context (repeatable or comma-separated)', collectContexts, [])
    .option('--all-contexts', 'load every context of the kubeconfig')
    .option('-n, --namespace <ns>', 'only this namespace')
    .option('--kubeconfig <file>', 'kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)')
    .option('--request-timeout <duration>', 'per-request timeout for live clusters, kubectl format', '10s')
    .option('--read-only', 'never write: editing is disabled', false)
    .option('--watch', 'live clusters: keep the model current through watches')
    .option('--max-dump-size <size>', 'refuse Envoy dumps and files larger than this (default 512Mi, env MESHSCOPE_MAX_DUMP_SIZE)')
    .option('--max-objects <n>', 'refuse a list or snapshot context of more objects (default 1000000, env MESHSCOPE_MAX_OBJECTS)');
}

/** The global options as seen from inside a subcommand action (merged with the root's). */
export function globalsOf(cmd: Command): GlobalOptions {
  const o = cmd.optsWithGlobals() as Record<string, unknown>;
  return {
    fixtures: o.fixtures as string | undefined,
    context: (o.context as string[] | undefined) ?? [],
    namespace: o.namespace as string | undefined,
    kubeconfig: o.kubeconfig as string | undefined,
    readOnly: Boolean(o.readOnly),
    allContexts: Boolean(o.allContexts),
    requestTimeout: o.requestTimeout as string | undefined,
    watch: Boolean(o.watch),
    maxDumpSize: o.maxDumpSize as string | undefined,
    maxObjects: o.maxObjects as string | undefined,
  };
}

/** Subcommand actions call this to hand back their exit code. */
export function setExitCode(cmd: Command, code: number): void {
  let root: Command = cmd;
  while (root.parent) root = root.parent;
  root.setOptionValue('__exitCode', code);
}
