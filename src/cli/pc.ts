// `meshscope pc VIEW [POD[.NAMESPACE]]` (alias proxy-config): istioctl's proxy-config views, byte for byte.
import { Command, Option } from 'commander';
import { globalsOf } from './global.js';
import type { GlobalOptions } from '../core/options.js';
import { UsageError, UserError } from '../core/errors.js';
import { DumpFormatError, parseClustersJson, parseConfigDump } from '../model/envoy/parse.js';
import type { ParsedDump } from '../model/envoy/types.js';
import { clusterRows, edsRows, endpointClusterStatuses, endpointRows, listenerRows, routeRows } from '../model/envoy/views.js';
import { bootstrapSummary, ecdsRows, secretRows } from '../model/envoy/views-bootstrap-secrets.js';
import {
  bootstrapData, clusterData, ecdsData, edsData, formatData, formatEndpointData, listenerData, MissingSectionError,
  renderAll, renderBootstrapSummary, renderClusterTable, renderEcdsTable, renderEdsTable, renderEndpointTable,
  renderListenerTable, renderRouteTable, renderSecretTable, requireSection, routeData, secretData, type OutputFormat,
} from '../format/proxy-config.js';
import { chooseContextFolder, hasProxyDir, listProxyDirs, readProxyFiles } from '../sources/proxy-files.js';
import { errorText } from '../sources/snapshot-contexts.js';
import { sanitizeLine } from '../core/sanitize.js';
import { resolveLimits } from '../sources/limits.js';
import { readInput } from '../sources/input-file.js';

export type View = 'cluster' | 'listener' | 'route' | 'endpoint' | 'eds' | 'secret' | 'bootstrap' | 'ecds' | 'all';

const VIEW_ALIASES: Record<string, View> = {
  cluster: 'cluster', clusters: 'cluster', c: 'cluster',
  listener: 'listener', listeners: 'listener', l: 'listener',
  route: 'route', routes: 'route', r: 'route',
  endpoint: 'endpoint', endpoints: 'endpoint', ep: 'endpoint',
  eds: 'eds', secret: 'secret', s: 'secret', bootstrap: 'bootstrap', b: 'bootstrap', ecds: 'ecds', all: 'all',
};

export interface PcOptions {
  file?: string;
  output?: string;
  fqdn?: string;
  port?: string;
  subset?: string;
  direction?: string;
  type?: string;
  address?: string;
  name?: string;
  status?: string;
  cluster?: string;
  verbose?: boolean;
  withHeaders?: boolean;
}

export function viewOf(word: string): View {
  const v = VIEW_ALIASES[word.toLowerCase()];
  if (!v) throw new UsageError(`unknown proxy-config view "${sanitizeLine(word)}": use cluster, listener, route, endpoint, eds, secret, bootstrap, ecds or all`);
  return v;
}

function parseBool(v: string | boolean | undefined): boolean {
  if (v === undefined || v === true) return true;
  if (v === false) return false;
  const s = String(v).toLowerCase();
  if (['true', '1', 't', 'yes'].includes(s)) return true;
  if (['false', '0', 'f', 'no'].includes(s)) return false;
  throw new UsageError(`--verbose takes true or false, not "${sanitizeLine(String(v))}"`);
}

function portOf(v: string | undefined): number | undefined {
  if (v === undefined || v === '') return undefined;
  if (!/^\d+$/.test(v) || Number(v) > 65535) throw new UsageError(`--port must be a port number, not "${sanitizeLine(v)}"`);
  return Number(v);
}

function formatOf(view: View, o: PcOptions): OutputFormat {
  const f = (o.output ?? (view === 'bootstrap' ? 'json' : 'short')).toLowerCase();
  if (f !== 'short' && f !== 'json' && f !== 'yaml') throw new UsageError(`-o must be short, json or yaml, not "${sanitizeLine(f)}"`);
  return f;
}

function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new UserError(`${source}: not valid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
}

function dumpOf(text: string, source: string): ParsedDump {
  try {
    return parseConfigDump(parseJson(text, source), source);
  } catch (err) {
    if (err instanceof DumpFormatError) throw new UserError(err.message);
    throw err;
  }
}

/** Renders one view of an already parsed dump (or /clusters JSON for endpoint). Pure apart from the clock. */
export function renderView(view: View, input: { dump?: ParsedDump; clustersJson?: unknown; clustersSource?: string }, o: PcOptions, now = new Date()): string {
  const format = formatOf(view, o);
  const verbose = o.verbose ?? true;
  const port = portOf(o.port);
  if (view === 'endpoint') {
    let hosts;
    try {
      hosts = parseClustersJson(input.clustersJson, input.clustersSource);
    } catch (err) {
      if (err instanceof DumpFormatError) throw new UserError(err.message);
      throw err;
    }
    const filter = { address: o.address, port, cluster: o.cluster, status: o.status };
    if (format === 'short') return renderEndpointTable(endpointRows(hosts, filter));
    const noFilter = !o.address && !port && !o.cluster && !o.status;
    const raw = input.clustersJson as Record<string, unknown>;
    const statuses = noFilter ? ((raw.cluster_statuses ?? raw.clusterStatuses ?? []) as unknown[]) : endpointClusterStatuses(hosts, filter);
    return formatEndpointData(statuses, format);
  }
  const d = input.dump as ParsedDump;
  const src = d.source ?? 'config dump';
  try {
    switch (view) {
      case 'cluster': {
        requireSection(d, 'ClustersConfigDump');
        if (!d.clusters.some((c) => !c.warming)) throw new UserError(`${src}: no clusters found`);
        const filter = { fqdn: o.fqdn, port, subset: o.subset, direction: o.direction };
        return format === 'short' ? renderClusterTable(clusterRows(d, filter)) : formatData(clusterData(d, filter), format);
      }
      case 'listener': {
        requireSection(d, 'ListenersConfigDump');
        if (d.listeners.length === 0) throw new UserError(`${src}: no listeners found`);
        const filter = { address: o.address, port, type: o.type };
        return format === 'short' ? renderListenerTable(listenerRows(d, filter, verbose), verbose) : formatData(listenerData(d, filter), format);
      }
      case 'route': {
        requireSection(d, 'RoutesConfigDump');
        if (d.routeConfigs.length === 0) throw new UserError(`${src}: no routes found`);
        const filter = { name: o.name };
        return format === 'short' ? renderRouteTable(routeRows(d, filter, verbose), verbose) : formatData(routeData(d, filter), format);
      }
      case 'eds': {
        const filter = { address: o.address, port, cluster: o.cluster, status: o.status };
        return format === 'short' ? renderEdsTable(edsRows(d, filter)) : formatData(edsData(d, filter), format);
      }
      case 'secret':
        requireSection(d, 'SecretsConfigDump');
        return format === 'short' ? renderSecretTable(secretRows(d, now)) : formatData(secretData(d), format);
      case 'bootstrap':
        requireSection(d, 'BootstrapConfigDump');
        return format === 'short' ? renderBootstrapSummary(bootstrapSummary(d)) : formatData(bootstrapData(d), format);
      case 'ecds':
        requireSection(d, 'EcdsConfigDump');
        return format === 'short' ? renderEcdsTable(ecdsRows(d)) : formatData(ecdsData(d), format);
      case 'all':
        return format === 'short' ? renderAll(d, { withHeaders: o.withHeaders, now }) : formatData(d.raw, format);
    }
  } catch (err) {
    if (err instanceof MissingSectionError) throw new UserError(`${src}: ${err.message}`);
    throw err;
  }
}

/** POD[.NAMESPACE] → pod and namespace (default: -n, then "default", as istioctl). */
export function podRef(arg: string, namespaceFlag?: string): { pod: string; namespace: string } {
  const i = arg.lastIndexOf('.');
  if (i > 0) return { pod: arg.slice(0, i), namespace: arg.slice(i + 1) };
  return { pod: arg, namespace: namespaceFlag || 'default' };
}

async function fromSnapshot(fixtures: string, contexts: string[], podArg: string, namespaceFlag: string | undefined, view: View, cap: number) {
  const { pod, namespace } = podRef(podArg, namespaceFlag);
  // Without --context, the one context holding the pod's dump is read.
  const folder = await chooseContextFolder(fixtures, contexts, {
    reads: 'pc reads one proxy', subject: `pod ${sanitizeLine(pod)}.${sanitizeLine(namespace)}`,
    holds: (f) => hasProxyDir(f.dir, namespace, pod),
  });
  const files = await readProxyFiles(folder.dir, namespace, pod, cap);
  const where = `context ${folder.name}`;
  if (!files.configDump && !files.clusters) {
    const unreadable: string[] = [];
    const pods = (await listProxyDirs(folder.dir, (dir, err) => unreadable.push(`${dir}: ${errorText(err)}`))).map((p) => `${p.pod}.${p.namespace}`);
    if (unreadable.length > 0) throw new UserError(`no Envoy dump for pod ${sanitizeLine(pod)}.${sanitizeLine(namespace)} in ${where}: cannot read folder ${sanitizeLine(unreadable[0])}`);
    const hint = pods.length > 0 ? ` (pods with dumps: ${pods.slice(0, 12).join(', ')}${pods.length > 12 ? ', …' : ''})` : ' (it has no proxies/ folder)';
    throw new UserError(`no Envoy dump for pod ${sanitizeLine(pod)}.${sanitizeLine(namespace)} in ${where}${hint}`);
  }
  if (view === 'endpoint') {
    if (!files.clusters) throw new UserError(`${where}: pod ${pod}.${namespace} has no clusters.json (Envoy /clusters?format=json), which the endpoint view needs`);
    return { clustersJson: parseJson(files.clusters.text, files.clusters.path), clustersSource: files.clusters.path };
  }
  if (!files.configDump) throw new UserError(`${where}: pod ${pod}.${namespace} has no config_dump.json`);
  return { dump: dumpOf(files.configDump.text, files.configDump.path) };
}

/** Live: the pod's Envoy admin over a port-forward (sources/envoy-admin.ts), as istioctl reads it. */
async function fromLive(g: Pick<GlobalOptions, 'context' | 'namespace'> & Partial<Pick<GlobalOptions, 'kubeconfig' | 'requestTimeout'>>, podArg: string, view: View, cap: number) {
  if (g.context.length > 1) throw new UsageError('pc reads one pod: name one --context');
  const { fetchProxyDump } = await import('../sources/envoy-admin.js');
  const { pod, namespace } = podRef(podArg, g.namespace);
  const d = await fetchProxyDump({ kubeconfig: g.kubeconfig, context: g.context[0], requestTimeout: g.requestTimeout }, namespace, pod, { skipClusters: view !== 'endpoint', sizeCapBytes: cap });
  const where = `context ${sanitizeLine(d.context || g.context[0] || '(current)')}: pod ${sanitizeLine(pod)}.${sanitizeLine(namespace)}`;
  if (view === 'endpoint') {
    if (d.clusters === undefined) throw new UserError(`${where}: ${sanitizeLine(d.clustersError ?? d.error ?? 'no /clusters output')}`);
    return { clustersJson: d.clusters as ReturnType<typeof parseJson>, clustersSource: where };
  }
  if (d.configDump === undefined) throw new UserError(`${where}: ${sanitizeLine(d.error ?? 'no config dump')}`);
  return { dump: dumpOf(JSON.stringify(d.configDump), where) };
}

export function register(program: Command): void {
  program
    .command('pc')
    .alias('proxy-config')
    .description('Envoy proxy config of a pod, printed exactly as istioctl proxy-config prints it')
    .argument('<view>', 'cluster|listener|route|endpoint|eds|secret|bootstrap|ecds|all (and their aliases)')
    .argument('[pod]', 'POD[.NAMESPACE] in the chosen context of the snapshot folder')
    .option('-f, --file <file>', 'read a saved config dump (for endpoint: /clusters?format=json output); - for stdin')
    .addOption(new Option('-o, --output <format>', 'short, json or yaml (bootstrap defaults to json)'))
    .option('--fqdn <fqdn>', 'cluster: FQDN substring')
    .option('--port <port>', 'filter by port')
    .option('--subset <subset>', 'cluster: subset substring')
    .option('--direction <direction>', 'cluster: inbound or outbound')
    .option('--type <type>', 'listener: HTTP, TCP, HTTP+TCP or UNKNOWN')
    .option('--address <address>', 'listener/endpoint: address (eds: ip:port)')
    .option('--name <name>', 'route: route config name')
    .option('--status <status>', 'endpoint/eds: health status, e.g. healthy')
    .option('--cluster <cluster>', 'endpoint/eds: cluster name')
    .option('--verbose [bool]', 'listener/route: one row per filter chain or route (default true)', parseBool)
    .option('--with-headers', 'all: print a header before each section', false)
    .action(async (viewWord: string, podArg: string | undefined, opts: PcOptions, cmd: Command) => {
      process.stdout.write(await pcOutput(viewWord, podArg, opts, globalsOf(cmd)));
    });
}

/** The whole `pc` command without the process: reads the input, returns the text to print (throws UserError). */
export async function pcOutput(viewWord: string, podArg: string | undefined, opts: PcOptions, g: Pick<GlobalOptions, 'fixtures' | 'context' | 'namespace'> & Partial<Pick<GlobalOptions, 'kubeconfig' | 'requestTimeout' | 'maxDumpSize' | 'maxObjects'>>, now = new Date()): Promise<string> {
  const view = viewOf(viewWord);
  const cap = resolveLimits(g).maxDumpBytes;
  let input: Parameters<typeof renderView>[1];
  if (opts.file) {
    if (podArg) throw new UsageError('give either POD or -f FILE, not both');
    const { text, source } = await readInput(opts.file, cap);
    input = view === 'endpoint' ? { clustersJson: parseJson(text, source), clustersSource: source } : { dump: dumpOf(text, source) };
  } else {
    if (!podArg) throw new UsageError(`pc ${view} needs POD[.NAMESPACE] or -f FILE`);
    input = g.fixtures ? await fromSnapshot(g.fixtures, g.context, podArg, g.namespace, view, cap) : await fromLive(g, podArg, view, cap);
  }
  return renderView(view, input, opts, now);
}
