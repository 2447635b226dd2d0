// `meshscope proxy-status [POD.NS]`: istiod's view of each proxy against what Envoy runs.
// Without a pod: one row per proxy from istiod's /debug/syncz (SYNCED / STALE / NOT SENT per type), for every
// selected context. With POD.NS: istiod's config_dump for that proxy is compared with the pod's Envoy config_dump
// and printed as istioctl prints it (Clusters/Listeners/Routes Match, or Don't Match with a unified diff).
import type { Command } from 'commander';
import { globalsOf } from './global.js';
import { setExitCode } from './main.js';
import { UsageError, UserError } from './errors.js';
import { tabwrite } from './format/tabwriter.js';
import { sanitizeLine, sanitize, terminalSafeJson } from '../util/sanitize.js';

interface PsOptions { output: string; istiodNamespace: string; istiodService: string }

export function register(program: Command): void {
  program
    .command('proxy-status')
    .alias('ps')
    .description("compare istiod's view of proxies with what Envoy runs (SYNCED / STALE / NOT SENT)")
    .argument('[pod]', 'POD.NAMESPACE: compare this proxy and print the diff')
    .option('-o, --output <format>', 'table or json', 'table')
    .option('--istiod-namespace <ns>', "istiod's namespace", 'istio-system')
    .option('--istiod-service <name>', "istiod's Service", 'istiod')
    .action(async (pod: string | undefined, o: PsOptions, cmd: Command) => {
      setExitCode(cmd, await runProxyStatus(pod, o, cmd));
    });
}

async function runProxyStatus(pod: string | undefined, o: PsOptions, cmd: Command): Promise<number> {
  const g = globalsOf(cmd);
  if (g.fixtures) throw new UserError('proxy-status asks istiod and the proxies of live clusters; drop --fixtures');
  if (!['table', 'json'].includes(o.output)) throw new UsageError(`-o ${o.output}: use table or json`);
  const target = { namespace: o.istiodNamespace, service: o.istiodService };
  const kube = await import('../sources/kube/index.js');
  const istiod = await import('../sources/istiod.js');
  const { kubeconfig, names } = kube.resolveContexts({ kubeconfig: g.kubeconfig, contexts: g.context, allContexts: g.allContexts });
  const timeoutMs = kube.parseDuration(g.requestTimeout ?? '10s');

  if (pod) {
    const dot = pod.lastIndexOf('.');
    const [name, ns] = dot > 0 ? [pod.slice(0, dot), pod.slice(dot + 1)] : [pod, g.namespace ?? 'default'];
    if (names.length > 1) throw new UsageError('proxy-status POD.NS compares one proxy: name one --context');
    const client = await kube.KubeClient.create(kubeconfig, names[0], { timeoutMs });
    const { fetchProxyDump } = await import('../sources/envoy-admin.js');
    const [view, envoy] = await Promise.all([
      istiod.fetchIstiodConfigDump(client, `${name}.${ns}`, target).catch((err: unknown) => { throw new UserError(`context ${names[0]}: istiod: ${err instanceof Error ? err.message : String(err)}`); }),
      fetchProxyDump(client, ns, name, { skipClusters: true, sizeCapBytes: (await import('../sources/limits.js')).resolveLimits(g).maxDumpBytes }),
    ]);
    if (envoy.error) throw new UserError(`context ${names[0]}: pod ${ns}/${name}: ${envoy.error}`);
    const states = istiod.compareProxy(view, envoy.configDump);
    if (o.output === 'json') {
      process.stdout.write(`${terminalSafeJson(JSON.stringify({ context: names[0], proxy: `${name}.${ns}`, ...states }, null, 2))}\n`);
    } else {
      process.stdout.write(sanitize(istiod.diffProxy(view, envoy.configDump)));
    }
    return 0;
  }

  const results = await Promise.all(names.map(async (ctx) => {
    try {
      const client = await kube.KubeClient.create(kubeconfig, ctx, { timeoutMs });
      return { ctx, rows: await istiod.fetchSyncz(client, target) };
    } catch (err) {
      return { ctx, error: err instanceof Error ? err.message : String(err) };
    }
  }));
  const rows = results.flatMap((r) => (r.rows ?? []).map((s) => ({ context: r.ctx, ...s, ...istiod.syncStates(s) })))
    .filter((r) => !g.namespace || r.proxy.endsWith(`.${g.namespace}`))
    .sort((a, b) => (a.proxy < b.proxy ? -1 : a.proxy > b.proxy ? 1 : 0));
  if (o.output === 'json') {
    process.stdout.write(`${terminalSafeJson(JSON.stringify(rows, null, 2))}\n`);
  } else {
    let text = 'NAME\tCLUSTER\tCDS\tLDS\tEDS\tRDS\tISTIOD\tVERSION\n';
    for (const r of rows) {
      const cells = [r.proxy, r.cluster_id ?? r.context, r.CDS, r.LDS, r.EDS, r.RDS, r.istiod ?? `${o.istiodService}.${o.istiodNamespace}`, r.istio_version ?? ''];
      text += `${cells.map((c) => sanitizeLine(String(c))).join('\t')}\n`;
    }
    process.stdout.write(tabwrite(text, { padding: 5 }));
  }
  let code = 0;
  for (const r of results) {
    if (r.error) { process.stderr.write(`meshscope: context ${sanitizeLine(r.ctx)}: istiod: ${sanitizeLine(r.error)}\n`); code = 1; }
  }
  return code;
}
