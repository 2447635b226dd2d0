// `meshscope proxy-status [POD.NS]`, printed as istioctl prints it.
// Without a pod: each selected context's istiod is asked for its sync status (/debug/syncz through the istiod
// Service's proxy subresource), the answers are merged into one table (NAME CLUSTER ISTIOD VERSION SUBSCRIBED TYPES,
// or one column per xDS type with -v), or printed as istioctl's syncz DiscoveryResponses with -o json|yaml.
// With POD.NS: istiod's config_dump for that proxy against the pod's Envoy config_dump (Clusters/Listeners/Routes
// Match, or Don't Match with a unified diff).
import type { Command } from 'commander';
import { globalsOf, setExitCode } from './global.js';
import { UsageError, UserError } from '../core/errors.js';
import { sanitize, sanitizeLine, terminalSafeJson } from '../core/sanitize.js';
import { proxyStatusJson, proxyStatusTable, proxyStatusYaml } from '../format/proxy-status.js';
import { toGoYaml } from '../format/goyaml.js';
import type { SyncResponse } from '../model/proxy-status.js';
import { formatLoadIssue } from '../model/context.js';

interface PsOptions { output: string; verbose?: boolean; verbosity?: string; istiodNamespace: string; istiodService: string }

export function register(program: Command): void {
  program
    .command('proxy-status')
    .alias('ps')
    .description("istiod's sync status of every proxy (as istioctl proxy-status), or istiod's view of one proxy against its Envoy")
    .argument('[pod]', 'POD.NAMESPACE: compare this proxy and print the diff')
    .option('-o, --output <format>', 'table, json or yaml', 'table')
    .option('-v, --verbose', 'one column per xDS type (SYNCED / STALE / NOT SENT / IGNORED, with the age of the last push)')
    .option('--verbosity <level>', 'as istioctl -v N: 0 (SUBSCRIBED TYPES) or 1+ (a column per type)')
    .option('--istiod-namespace <ns>', "istiod's namespace", 'istio-system')
    .option('--istiod-service <name>', "istiod's Service", 'istiod')
    .action(async (pod: string | undefined, o: PsOptions, cmd: Command) => {
      setExitCode(cmd, await runProxyStatus(pod, o, cmd));
    });
}

function verbosityOf(o: PsOptions): number {
  if (o.verbosity === undefined) return o.verbose ? 1 : 0;
  if (!/^\d+$/.test(o.verbosity)) throw new UsageError(`--verbosity ${sanitizeLine(o.verbosity)}: use a number (0, 1)`);
  return Number(o.verbosity);
}

async function runProxyStatus(pod: string | undefined, o: PsOptions, cmd: Command): Promise<number> {
  const g = globalsOf(cmd);
  if (!['table', 'json', 'yaml'].includes(o.output)) throw new UsageError(`-o ${sanitizeLine(o.output)}: use table, json or yaml`);
  const verbosity = verbosityOf(o);
  if (g.fixtures) {
    throw new UserError(`proxy-status needs a live istiod: it asks istiod (through the kube API) which config it pushed; a snapshot folder (${sanitizeLine(g.fixtures)}) has only what the proxies run. Drop --fixtures and name a --context`);
  }
  const target = { namespace: o.istiodNamespace, service: o.istiodService };
  const kube = await import('../sources/kube/index.js');
  const istiod = await import('../sources/istiod.js');
  const { kubeconfig, names } = await kube.resolveContexts({ kubeconfig: g.kubeconfig, contexts: g.context, allContexts: g.allContexts });
  const timeoutMs = kube.parseDuration(g.requestTimeout ?? '10s');

  if (pod) {
    const dot = pod.lastIndexOf('.');
    const [name, ns] = dot > 0 ? [pod.slice(0, dot), pod.slice(dot + 1)] : [pod, g.namespace ?? 'default'];
    if (names.length > 1) throw new UsageError('proxy-status POD.NS compares one proxy: name one --context');
    const client = await kube.KubeClient.create(kubeconfig, names[0], { timeoutMs });
    const { fetchProxyDump } = await import('../sources/envoy-admin.js');
    const { resolveLimits } = await import('../sources/limits.js');
    const [view, envoy] = await Promise.all([
      istiod.fetchIstiodConfigDump(client, `${name}.${ns}`, target).catch((err: unknown) => {
        throw new UserError(`context ${sanitizeLine(names[0])}: istiod: ${sanitizeLine(err instanceof Error ? err.message : String(err))}`);
      }),
      fetchProxyDump(client, ns, name, { skipClusters: true, sizeCapBytes: resolveLimits(g).maxDumpBytes }),
    ]);
    if (envoy.error) throw new UserError(`context ${sanitizeLine(names[0])}: pod ${sanitizeLine(`${ns}/${name}`)}: ${sanitizeLine(envoy.error)}`);
    if (o.output === 'table') {
      process.stdout.write(sanitize((await import('../format/proxy-diff.js')).diffProxy(view, envoy.configDump)));
    } else {
      const states = { context: names[0], proxy: `${name}.${ns}`, ...istiod.compareProxy(view, envoy.configDump) };
      process.stdout.write(o.output === 'json' ? `${terminalSafeJson(JSON.stringify(states, null, 2))}\n` : toGoYaml(states));
    }
    return 0;
  }

  type Result = { ctx: string; response?: SyncResponse; replicas?: string[]; replicasError?: string; error?: string };
  const results = await Promise.all(names.map(async (ctx): Promise<Result> => {
    try {
      const client = await kube.KubeClient.create(kubeconfig, ctx, { timeoutMs });
      return { ctx, ...(await istiod.fetchSyncResponse(client, target)) };
    } catch (err) {
      return { ctx, error: err instanceof Error ? err.message : String(err) };
    }
  }));
  // One response per istiod, keyed by context so two contexts' istiods never collide.
  const responses: Record<string, SyncResponse> = {};
  for (const r of results) if (r.response) responses[r.ctx] = r.response;
  const opts = { verbosity, namespace: g.namespace, now: new Date() };
  const text = o.output === 'json' ? proxyStatusJson(responses, opts) : o.output === 'yaml' ? proxyStatusYaml(responses, opts) : proxyStatusTable(responses, opts);
  process.stdout.write(text);
  let code = 0;
  for (const r of results) {
    if (r.error) {
      process.stderr.write(`meshscope: context ${sanitizeLine(r.ctx)}: istiod: ${sanitizeLine(r.error)}\n`);
      code = 1;
    } else if (r.replicasError) {
      process.stderr.write(`meshscope: ${sanitizeLine(formatLoadIssue(istiod.istiodIssue(r.ctx, r.replicasError, target)))}\n`);
    } else if (r.replicas && r.replicas.length > 1) {
      process.stderr.write(`meshscope: context ${sanitizeLine(r.ctx)}: ${r.replicas.length} istiod replicas; the ${sanitizeLine(o.istiodService)} Service reached one of them, so only the proxies connected to it are listed\n`);
    }
  }
  return code;
}
