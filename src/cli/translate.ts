// `meshscope translate FILE|DIR... [--domain-suffix S] [--registry FILE] [-o yaml|json]`: the Istio Gateways,
// VirtualServices and DestinationRules istiod generates from the Gateway API objects loaded.
import type { Command } from 'commander';
import { globalsOf } from './global.js';
import { UsageError } from '../core/errors.js';
import { formatLoadIssue, type MeshInput } from '../model/context.js';
import { sanitizeLine, terminalSafeJson } from '../core/sanitize.js';
import { loadWarnings, requireLoaded } from '../sources/load-check.js';
import { formatJson, formatYaml } from '../format/translate.js';

export function register(program: Command): void {
  program
    .command('translate')
    .description('print the Istio config istiod generates from the Gateway API objects (Gateways, VirtualServices, DestinationRules)')
    .argument('[paths...]', 'manifest files or folders (all read as one set)')
    .option('--domain-suffix <suffix>', 'cluster domain suffix', 'cluster.local')
    .option('--registry <file>', "extra service registry entries (JSON, cases.json → harness.service_registry form)")
    .option('-o, --output <format>', 'yaml or json', 'yaml')
    .option('--status', 'print the route status istiod would write, beside the status each route holds')
    .action(async (paths: string[], o: Record<string, unknown>, cmd: Command) => {
      await runTranslate(paths, o, cmd);
    });
}

async function loadPaths(paths: string[], namespace: string | undefined): Promise<MeshInput> {
  const { loadSnapshotFolder } = await import('../sources/snapshot.js');
  const contexts = [];
  for (const p of paths) contexts.push(...(await loadSnapshotFolder(p, { namespace })).contexts);
  // FILE|DIR arguments are one set of objects, like `istioctl analyze -f`.
  const objects = contexts.flatMap((c) => c.objects);
  const issues = contexts.flatMap((c) => c.issues);
  const status = contexts.every((c) => c.status === 'error') ? 'error' : issues.some((i) => i.severity === 'error') ? 'partial' : 'ok';
  return { contexts: [{ name: 'files', source: { kind: 'snapshot', path: paths.join(', ') }, objects, proxies: [], issues, status, reason: contexts.find((c) => c.reason)?.reason }] };
}

async function runTranslate(paths: string[], o: Record<string, unknown>, cmd: Command): Promise<void> {
  const output = String(o.output ?? 'yaml');
  if (output !== 'yaml' && output !== 'json') throw new UsageError(`--output must be yaml or json, not "${output}"`);
  const domainSuffix = String(o.domainSuffix ?? 'cluster.local');
  if (!/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/i.test(domainSuffix)) throw new UsageError(`--domain-suffix "${domainSuffix}" is not a DNS suffix`);
  const globals = globalsOf(cmd);
  if (paths.length > 0 && globals.fixtures) throw new UsageError('give either FILE|DIR arguments or --fixtures DIR, not both');
  const { readRegistryFile } = await import('../sources/registry-file.js');
  const registry = o.registry ? readRegistryFile(String(o.registry)) : undefined;
  let input: MeshInput;
  if (paths.length > 0) input = await loadPaths(paths, globals.namespace);
  else {
    const { loadMesh } = await import('../sources/load.js');
    input = await loadMesh(globals);
  }
  for (const c of input.contexts) for (const issue of c.issues) process.stderr.write(`meshscope: ${sanitizeLine(formatLoadIssue(issue))}\n`);
  requireLoaded(input, 'nothing to translate');
  for (const w of loadWarnings(input)) process.stderr.write(`${w}\n`);
  const { translateGatewayApi } = await import('../mesh/gateway-api/translate.js');
  const loaded = input.contexts.filter((c) => c.status !== 'error');
  const several = loaded.length > 1;
  const { routeStatusRows, formatRouteStatus } = await import('../format/translate-status.js');
  let out = '';
  const statusJson: unknown[] = [];
  for (const c of loaded) {
    const t = translateGatewayApi(c.objects.map((lo) => lo.obj), { domainSuffix, registry, configMapsChecked: c.configMapsChecked });
    if (o.status) {
      const rows = routeStatusRows(t);
      if (output === 'json') statusJson.push(...rows.map((r) => ({ context: c.name, ...r })));
      else out += `${several ? `# context ${sanitizeLine(c.name)}\n` : ''}${formatRouteStatus(rows)}`;
      continue;
    }
    if (several) out += output === 'yaml' ? `# context ${sanitizeLine(c.name)}\n` : '';
    out += output === 'yaml' ? formatYaml(t.configs) : formatJson(t.configs);
  }
  if (o.status && output === 'json') out = `${JSON.stringify(statusJson, null, 2)}\n`;
  process.stdout.write(output === 'json' ? terminalSafeJson(out) : sanitizeOutput(out));
}

/** Strips terminal control sequences from every line (strings come from files and clusters). */
function sanitizeOutput(text: string): string {
  return text.split('\n').map((l) => sanitizeLine(l)).join('\n');
}
