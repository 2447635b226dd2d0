// `meshscope authz build` (the Envoy RBAC filters istiod generates for a workload's AuthorizationPolicies) and
// `meshscope authz check` (the policies a proxy enforces, as `istioctl x authz check` prints them).
import { readFile, stat } from 'node:fs/promises';
import type { Command } from 'commander';
import { stringify } from 'yaml';
import { globalsOf } from './global.js';
import type { GlobalOptions } from '../core/options.js';
import { UsageError, UserError } from '../core/errors.js';
import { sanitize, sanitizeLine, terminalSafeJson } from '../core/sanitize.js';
import { resolveLimits, overCapMessage } from '../sources/limits.js';

const repeat = (v: string, prev: string[] = []) => prev.concat(v);

/** `k=v,k2=v2` → labels (repeatable). */
export function register(program: Command): void {
  const authz = program.command('authz').description('authorization: the RBAC filters istiod builds, and those a proxy enforces');
  authz
    .command('build')
    .description('the Envoy RBAC (and ext_authz) filters istiod generates for the AuthorizationPolicies that apply to a workload')
    .argument('[inputs...]', 'policy files (YAML/JSON); with --fixtures, the pod POD[.NAMESPACE]')
    .option('--workload-namespace <ns>', 'namespace of the workload')
    .option('--workload-labels <k=v,...>', 'labels of the workload (repeatable)', repeat, [])
    .option('--trust-domain <td>', 'local trust domain (default: the mesh config\'s, else cluster.local)')
    .option('--trust-domain-alias <td>', 'trust domain alias (repeatable)', repeat, [])
    .option('--tcp', 'build the network filters of a TCP filter chain instead of the HTTP ones')
    .option('--mesh-config <file>', 'MeshConfig (extensionProviders for CUSTOM, rootNamespace, trustDomain)')
    .option('--service <ns/host>', 'a service the workload can reach, for CUSTOM providers (repeatable)', repeat, [])
    .option('--root-namespace <ns>', 'mesh root namespace (default: the mesh config\'s, else istio-system)')
    .option('-o, --output <format>', 'yaml or json', 'yaml')
    .action(async (inputs: string[], o: Record<string, unknown>, cmd: Command) => {
      process.stdout.write(await authzBuildOutput(inputs, o, globalsOf(cmd)));
    });
  authz
    .command('check')
    .description('the AuthorizationPolicies a proxy enforces, from its listeners\' RBAC filters (as istioctl x authz check)')
    .argument('[pod]', 'POD[.NAMESPACE]')
    .option('-f, --file <file>', 'a saved config dump (- for stdin)')
    .action(async (pod: string | undefined, o: { file?: string }, cmd: Command) => {
      process.stdout.write(await authzCheckOutput(pod, o, globalsOf(cmd)));
    });
}

async function readText(path: string, cap: number): Promise<string> {
  if (path === '-') {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }
  try {
    const size = (await stat(path)).size;
    if (size > cap) throw new UserError(overCapMessage(path, size, cap));
    return await readFile(path, 'utf8');
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new UserError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String((err as Error).message)}`);
  }
}

function podRef(arg: string, namespaceFlag?: string): { pod: string; namespace: string } {
  const i = arg.lastIndexOf('.');
  return i > 0 ? { pod: arg.slice(0, i), namespace: arg.slice(i + 1) } : { pod: arg, namespace: namespaceFlag || 'default' };
}

type Globals = Pick<GlobalOptions, 'fixtures' | 'context' | 'namespace'> & Partial<GlobalOptions>;

/** The config dump of one pod: from -f, the snapshot folder, or live over a port-forward. */
async function podConfigDump(podArg: string | undefined, file: string | undefined, g: Globals): Promise<{ dump: unknown; where: string }> {
  const cap = resolveLimits(g).maxDumpBytes;
  if (file) {
    if (podArg) throw new UsageError('give either POD or -f FILE, not both');
    const text = await readText(file, cap);
    try {
      return { dump: JSON.parse(text), where: file };
    } catch {
      const { parse } = await import('yaml');
      try { return { dump: parse(text), where: file }; } catch (e) { throw new UserError(`${file}: not a JSON or YAML config dump: ${(e as Error).message.split('\n')[0]}`); }
    }
  }
  if (!podArg) throw new UsageError('authz check needs POD[.NAMESPACE] or -f FILE');
  const { pod, namespace } = podRef(podArg, g.namespace);
  if (g.fixtures) {
    const { loadMesh } = await import('../sources/load.js');
    const input = await loadMesh({ ...(g as GlobalOptions), namespace: undefined });
    const found = input.contexts.flatMap((c) => c.proxies).filter((p) => p.pod === pod && p.namespace === namespace && p.configDump !== undefined);
    if (found.length === 0) throw new UserError(`no Envoy config dump for pod ${sanitizeLine(pod)}.${sanitizeLine(namespace)} in ${g.fixtures}`);
    if (found.length > 1) throw new UserError(`pod ${sanitizeLine(pod)}.${sanitizeLine(namespace)} has dumps in several contexts (${found.map((p) => p.context).join(', ')}): choose one with --context`);
    return { dump: found[0]!.configDump, where: `context ${found[0]!.context}: pod ${pod}.${namespace}` };
  }
  if (g.context.length > 1) throw new UsageError('authz check reads one pod: name one --context');
  const { fetchProxyDump } = await import('../sources/envoy-admin.js');
  const d = await fetchProxyDump({ kubeconfig: g.kubeconfig, context: g.context[0], requestTimeout: g.requestTimeout }, namespace, pod, { skipClusters: true, sizeCapBytes: cap });
  const where = `context ${sanitizeLine(d.context || g.context[0] || '(current)')}: pod ${sanitizeLine(pod)}.${sanitizeLine(namespace)}`;
  if (d.configDump === undefined) throw new UserError(`${where}: ${sanitizeLine(d.error ?? 'no config dump')}`);
  return { dump: d.configDump, where };
}

export async function authzCheckOutput(podArg: string | undefined, o: { file?: string }, g: Globals): Promise<string> {
  const { dump, where } = await podConfigDump(podArg, o.file, g);
  if (!dump || typeof dump !== 'object' || !Array.isArray((dump as { configs?: unknown }).configs)) throw new UserError(`${where}: not an Envoy config dump (no "configs" list)`);
  const { dynamicListeners, rbacFilters } = await import('../mesh/authz/envoy-rbac.js');
  const { enforcedPolicies, authzCheckCells } = await import('../mesh/authz/check.js');
  const { tabwriteCells } = await import('../format/tabwriter.js');
  const rows = enforcedPolicies(rbacFilters(dynamicListeners(dump)));
  return tabwriteCells(authzCheckCells(rows).map((r) => r.map(sanitizeLine)), { padding: 3 });
}

export async function authzBuildOutput(inputs: string[], o: Record<string, unknown>, g: Globals): Promise<string> {
  const output = String(o.output ?? 'yaml');
  if (output !== 'yaml' && output !== 'json') throw new UsageError(`--output must be yaml or json, not "${output}"`);
  const { buildWorkloadFilters } = await import('../app/authz-build.js');
  const { filters, notes } = await buildWorkloadFilters(inputs, o, g);
  for (const n of notes) process.stderr.write(`note: ${sanitizeLine(n.policy ? `${n.policy}: ${n.message}` : n.message)}\n`);
  if (output === 'json') return `${terminalSafeJson(JSON.stringify(filters, null, 2))}\n`;
  return filters.map((f) => sanitize(stringify(f, { sortMapEntries: true, lineWidth: 0 }))).join('---\n');
}
