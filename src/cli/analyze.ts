// `meshscope analyze [FILE|DIR ...]`: istioctl-style analyzers plus meshscope's own checks, over manifests, a
// snapshot folder or live contexts.
import type { Command } from 'commander';
import { globalsOf, setExitCode } from './global.js';
import { UsageError } from '../core/errors.js';
import { sanitizeLine, terminalSafeJson } from '../core/sanitize.js';
import { toGoYaml } from '../format/goyaml.js';
import { formatLoadIssue, type MeshInput } from '../model/context.js';
import type { Finding, Level } from '../analyze/types.js';
import { CHECKS, atOrAbove, unknownSelectors } from '../analyze/registry.js';
import { analyze } from '../app/analyze-run.js';
import { loadMeshConfig } from '../sources/analyze-inputs.js';
import { loadWarnings, requireLoaded } from '../sources/load-check.js';

const LEVELS: Level[] = ['Info', 'Warning', 'Error'];

function listOpt(value: string, previous: string[] = []): string[] {
  return previous.concat(value.split(',').map((s) => s.trim()).filter(Boolean));
}

function repeat(value: string, previous: string[] = []): string[] {
  return previous.concat([value]);
}

export function register(program: Command): void {
  program
    .command('analyze')
    .description('report configuration problems (istioctl analyzers, drift, endpoint health, cross-cluster hops)')
    .argument('[paths...]', 'manifest files or folders, analyzed like `istioctl analyze -f --use-kube=false`')
    .option('-o, --output <format>', 'text, json or yaml', 'text')
    .option('--failure-threshold <level>', 'exit 1 when a finding is at or above this level: Info, Warning or Error', 'Error')
    .option('--only <checks>', 'run only these checks (names or codes, comma-separated, repeatable)', listOpt, [])
    .option('--suppress <CODE=Kind ns/name>', 'silence findings with this code on this object (repeatable; CODE alone silences the code)', repeat, [])
    .option('--mesh-config <file>', 'MeshConfig file (like istioctl --meshConfigFile)')
    .option('--list', 'list every check with its name, codes and level')
    .action(async (paths: string[], o: Record<string, unknown>, cmd: Command) => {
      setExitCode(cmd, await runAnalyzeCommand(paths, o, cmd));
    });
}

async function runAnalyzeCommand(paths: string[], o: Record<string, unknown>, cmd: Command): Promise<number> {
  const output = String(o.output ?? 'text');
  if (output !== 'text' && output !== 'json' && output !== 'yaml') throw new UsageError(`--output must be text, json or yaml, not "${output}"`);
  const threshold = LEVELS.find((l) => l.toLowerCase() === String(o.failureThreshold).toLowerCase());
  if (!threshold) throw new UsageError(`--failure-threshold must be Info, Warning or Error, not "${String(o.failureThreshold)}"`);
  const only = (o.only as string[]) ?? [];
  const bad = unknownSelectors(only);
  if (bad.length > 0) throw new UsageError(`--only: unknown check or code ${bad.join(', ')} (see meshscope analyze --list)`);
  const suppress = (o.suppress as string[]) ?? [];
  for (const s of suppress) {
    if (!/^(\*|[A-Za-z]+\d+)(=\S+ \S+)?$/.test(s.trim())) throw new UsageError(`--suppress "${s}": expected CODE=Kind ns/name, e.g. IST0101=VirtualService default/reviews`);
  }
  if (o.list) {
    process.stdout.write(output === 'json' ? `${JSON.stringify(listChecks(), null, 2)}\n` : formatList());
    return 0;
  }
  const globals = globalsOf(cmd);
  if (paths.length > 0 && globals.fixtures) throw new UsageError('give either FILE|DIR arguments or --fixtures DIR, not both');
  let input: MeshInput | undefined;
  if (paths.length === 0) {
    const { loadMesh } = await import('../sources/load.js');
    input = await loadMesh(globals);
  }
  const meshConfig = o.meshConfig ? loadMeshConfig(String(o.meshConfig)) : undefined;
  const { joinMesh } = await import('../mesh/join.js');
  const { envoyParser } = await import('../analyze/envoy-parser.js');
  const result = analyze({
    files: paths, input, only, suppress, meshConfig, defaultNamespace: globals.namespace ?? 'default',
    join: (i) => joinMesh(i, { parser: envoyParser }),
  });
  for (const c of result.input.contexts) {
    for (const issue of c.issues) process.stderr.write(`meshscope: ${sanitizeLine(formatLoadIssue(issue))}\n`);
  }
  // No context loaded: exit 1 with the reasons. Some failed or partial: say so and analyze the rest.
  requireLoaded(result.input, 'nothing to analyze');
  for (const w of loadWarnings(result.input)) process.stderr.write(`${w}\n`);
  const findings = result.findings;
  const failing = atOrAbove(findings, threshold).length > 0;
  if (output === 'json') {
    process.stdout.write(`${terminalSafeJson(JSON.stringify(findings.map(toJson), null, 2))}\n`);
  } else if (output === 'yaml') {
    process.stdout.write(findings.length ? toGoYaml(findings.map(toJson)) : '[]\n');
  } else {
    const multi = result.input.contexts.length > 1;
    const scope = globals.namespace ? `namespace: ${globals.namespace}` : 'all namespaces';
    if (findings.length === 0) process.stdout.write(`\u2714 No validation issues found when analyzing ${sanitizeLine(scope)}.\n`);
    else process.stdout.write(findings.map((f) => formatFinding(f, multi)).join('\n') + '\n');
    if (failing) process.stderr.write(`Error: Analyzers found issues when analyzing ${sanitizeLine(scope)}.\n`);
  }
  return failing ? 1 : 0;
}

/** istioctl's line: `Error [IST0101] (VirtualService default/reviews) message`, with `[context]` when several are loaded. */
export function formatFinding(f: Finding, withContext: boolean): string {
  const ctx = withContext ? ` [${sanitizeLine(f.context)}]` : '';
  const proxy = f.proxy ? '' : '';
  return `${f.level} [${f.code}]${ctx} (${sanitizeLine(f.origin)}) ${sanitizeLine(f.message)}${proxy}`;
}

function toJson(f: Finding): Record<string, unknown> {
  return {
    code: f.code, level: f.level, context: f.context, origin: f.origin, path: f.path ?? null, message: f.message,
    check: f.check, ...(f.proxy ? { proxy: f.proxy } : {}), ...(f.file ? { file: f.file, line: f.line ?? null } : {}),
  };
}

function listChecks(): { name: string; description: string; codes: { code: string; level: Level; summary: string }[] }[] {
  return CHECKS.map((c) => ({ name: c.name, description: c.description, codes: c.codes }));
}

function formatList(): string {
  const rows: string[][] = [['NAME', 'CODE', 'LEVEL', 'WHAT']];
  for (const c of CHECKS) for (const k of c.codes) rows.push([c.name, k.code, k.level, k.summary]);
  const w = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(w[i]! + 2))).join('')).join('\n') + '\n';
}
