// `meshscope zc VIEW [POD]` (alias ztunnel-config): istioctl ztunnel-config's views of a ztunnel's /config_dump,
// byte for byte, from a file (-f), a snapshot folder (DIR/<context>/ztunnel/<pod>/config_dump.json) or live.
import { Command } from 'commander';
import { globalsOf } from './global.js';
import type { GlobalOptions } from '../core/options.js';
import { UsageError, UserError } from '../core/errors.js';
import { parseZtunnelDumpText } from '../model/ztunnel/parse.js';
import type { ZtunnelDump } from '../model/ztunnel/types.js';
import { pickZtunnel, ZtunnelPickError, type ZtunnelPick } from '../model/ztunnel/pick.js';
import type { KubeObject } from '../model/resources.js';
import {
  certificateData, connectionData, fullDumpData, policyData, renderAllTables, renderCertificateTable, renderConnectionTable,
  renderPolicyTable, renderServiceTable, renderWorkloadTable, serviceData, workloadData, type ZtunnelFormat, type ZtunnelView,
} from '../format/ztunnel-config.js';
import { sanitizeLine } from '../core/sanitize.js';
import { allTablesOutput, userErrors } from './zc-all.js';
import { resolveLimits } from '../sources/limits.js';
import { readInput } from '../sources/input-file.js';

const VIEW_ALIASES: Record<string, ZtunnelView> = {
  workload: 'workload', workloads: 'workload', w: 'workload',
  service: 'service', services: 'service', svc: 'service', s: 'service',
  policy: 'policy', policies: 'policy', pol: 'policy', p: 'policy',
  certificate: 'certificate', certificates: 'certificate', certs: 'certificate', cert: 'certificate',
  connections: 'connections', cons: 'connections', all: 'all',
};

export interface ZcOptions {
  file?: string;
  output?: string;
  node?: string;
  workloadNamespace?: string;
  workloadNode?: string;
  address?: string;
  serviceNamespace?: string;
  policyNamespace?: string;
  direction?: string;
  raw?: boolean;
  withHeaders?: boolean;
  proxyAdminPort?: string;
  istioNamespace?: string;
  /** Set from a workload pod argument: the workload and connections views keep only it. */
  workload?: { name: string; namespace: string };
}

export function zcViewOf(word: string): ZtunnelView {
  const v = VIEW_ALIASES[word.toLowerCase()];
  if (!v) throw new UsageError(`unknown ztunnel-config view "${sanitizeLine(word)}": use workload, service, policy, certificate, connections or all`);
  return v;
}

function formatOf(o: ZcOptions): ZtunnelFormat {
  const f = (o.output ?? 'short').toLowerCase();
  if (f !== 'short' && f !== 'json' && f !== 'yaml') throw new UsageError(`-o must be short, json or yaml, not "${sanitizeLine(f)}"`);
  return f;
}

/** One view of a parsed dump, as istioctl prints it. `text` is the dump's own text (for `all -o json`). */
export function renderZtunnelView(view: ZtunnelView, d: ZtunnelDump, o: ZcOptions, now = new Date(), text?: string): string {
  const format = formatOf(o);
  if (o.direction && o.direction !== 'inbound' && o.direction !== 'outbound') throw new UsageError(`--direction must be inbound or outbound, not "${sanitizeLine(o.direction)}"`);
  const wf = { namespace: o.workload?.namespace ?? o.workloadNamespace, name: o.workload?.name, address: o.address, node: o.workloadNode };
  const cf = { namespace: o.workload?.namespace ?? o.workloadNamespace, workload: o.workload?.name, direction: o.direction, raw: o.raw };
  switch (view) {
    case 'workload':
      return format === 'short' ? renderWorkloadTable(d, wf) : workloadData(d, wf, format);
    case 'service':
      return format === 'short' ? renderServiceTable(d, { namespace: o.serviceNamespace }) : serviceData(d, { namespace: o.serviceNamespace }, format);
    case 'policy':
      return format === 'short' ? renderPolicyTable(d, { namespace: o.policyNamespace }) : policyData(d, { namespace: o.policyNamespace }, format);
    case 'certificate':
      return format === 'short' ? renderCertificateTable(d, now) : certificateData(d, format);
    case 'connections':
      return format === 'short' ? renderConnectionTable(d, cf) : connectionData(d, cf, format);
    case 'all':
      return format === 'short' ? renderAllTables(d, { withHeaders: o.withHeaders, now }) : fullDumpData(d, format, text);
  }
}

function chooseZtunnel(input: Parameters<typeof pickZtunnel>[0], where: string): ZtunnelPick {
  try {
    return pickZtunnel(input);
  } catch (err) {
    if (err instanceof ZtunnelPickError) throw new UserError(`${where}: ${sanitizeLine(err.message)}`);
    throw err;
  }
}

const PER_NODE: ZtunnelView[] = ['certificate', 'connections'];

async function fromSnapshot(g: Pick<GlobalOptions, 'fixtures' | 'context' | 'namespace'>, view: ZtunnelView, podArg: string | undefined, o: ZcOptions, cap: number) {
  const { chooseContextFolder } = await import('../sources/proxy-files.js');
  const { listZtunnelPods, readZtunnelDumpText } = await import('./../sources/ztunnel-files.js');
  const fixtures = g.fixtures!;
  // Without --context, the one context with ztunnel dumps is read.
  const folder = await chooseContextFolder(fixtures, g.context, {
    reads: 'zc reads one ztunnel', subject: 'ztunnel config dumps',
    holds: async (f) => (await listZtunnelPods(f.dir)).length > 0,
  });
  const where = `context ${folder.name}`;
  const dumpPods = await listZtunnelPods(folder.dir);
  if (dumpPods.length === 0) throw new UserError(`${where}: no ztunnel config dumps (expected ${folder.name}/ztunnel/<ztunnel-pod>/config_dump.json)`);
  let pods: KubeObject[] = [];
  if (podArg || o.node) {
    const { loadSnapshotFolder } = await import('../sources/snapshot.js');
    const mesh = await loadSnapshotFolder(fixtures, { contexts: [folder.name] });
    pods = (mesh.contexts[0]?.objects ?? []).filter((x) => x.obj.kind === 'Pod').map((x) => x.obj);
  }
  const chosen = chooseZtunnel({ pods, dumpPods, podArg, node: o.node, namespaceFlag: g.namespace, istioNamespace: o.istioNamespace, perNode: PER_NODE.includes(view) }, where);
  let file;
  try {
    file = await readZtunnelDumpText(folder.dir, chosen.pod, cap);
  } catch (err) {
    throw new UserError(`${where}: ${sanitizeLine(err instanceof Error ? err.message : String(err))}`);
  }
  if (!file) throw new UserError(`${where}: no config dump for ztunnel pod ${sanitizeLine(chosen.pod)} (dumps: ${dumpPods.join(', ')})`);
  return { text: file.text, source: file.path, workload: chosen.workload };
}

async function fromLive(g: Pick<GlobalOptions, 'context' | 'namespace'> & Partial<Pick<GlobalOptions, 'kubeconfig' | 'requestTimeout'>>, view: ZtunnelView, podArg: string | undefined, o: ZcOptions, cap: number) {
  if (g.context.length > 1) throw new UsageError('zc reads one ztunnel: name one --context');
  const { fetchZtunnelConfigDump, listZtunnelPickPods } = await import('../sources/ztunnel-admin.js');
  const { openKubeClient } = await import('../sources/kube/index.js');
  const reason = (err: unknown) => sanitizeLine(err instanceof Error ? ((err as { reason?: string }).reason ?? err.message) : String(err));
  const client = await openKubeClient({ kubeconfig: g.kubeconfig, context: g.context[0], requestTimeout: g.requestTimeout }).catch((err: unknown) => {
    if (err instanceof UserError) throw err;
    throw new UserError(`context ${sanitizeLine(g.context[0] ?? '(current)')}: ${reason(err)}`);
  });
  const where = `context ${sanitizeLine(client.context || '(current)')}`;
  const istioNamespace = o.istioNamespace || 'istio-system';
  const pods = await listZtunnelPickPods(client, istioNamespace, podArg, g.namespace).catch((err: unknown) => {
    throw new UserError(`${where}: cannot list the ztunnel pods in namespace ${sanitizeLine(istioNamespace)}: ${reason(err)}`);
  });
  const chosen = chooseZtunnel({ pods, podArg, node: o.node, namespaceFlag: g.namespace, istioNamespace, perNode: PER_NODE.includes(view) }, where);
  const port = o.proxyAdminPort ? Number(o.proxyAdminPort) : 15000;
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new UsageError(`--proxy-admin-port must be a port number, not "${sanitizeLine(String(o.proxyAdminPort))}"`);
  const text = await fetchZtunnelConfigDump(client, chosen.namespace, chosen.pod, { adminPort: port, sizeCapBytes: cap }).catch((err: unknown) => {
    throw new UserError(`${where}: ztunnel pod ${chosen.namespace}/${chosen.pod}: ${reason(err)}`);
  });
  return { text, source: `${where}: ztunnel pod ${chosen.namespace}/${chosen.pod}`, workload: chosen.workload };
}

/** The whole `zc` command without the process: reads the input, returns the text to print (throws UserError). */
export async function zcOutput(viewWord: string, podArg: string | undefined, opts: ZcOptions, g: Pick<GlobalOptions, 'fixtures' | 'context' | 'namespace'> & Partial<Pick<GlobalOptions, 'kubeconfig' | 'requestTimeout' | 'maxDumpSize' | 'maxObjects'>>, now = new Date()): Promise<string> {
  const view = zcViewOf(viewWord);
  formatOf(opts);
  const cap = resolveLimits(g).maxDumpBytes;
  const given = [opts.file ? '--file' : '', opts.node ? '--node' : '', podArg ? 'a pod' : ''].filter(Boolean);
  if (given.length > 1) throw new UsageError(`at most one of --file, --node or a pod may be given (got ${given.join(' and ')})`);
  let input: { text: string; source: string; workload?: { name: string; namespace: string } };
  if (opts.file) input = await readInput(opts.file, cap);
  else input = g.fixtures ? await fromSnapshot(g, view, podArg, opts, cap) : await fromLive(g, view, podArg, opts, cap);
  if (view === 'all' && formatOf(opts) === 'short') return allTablesOutput(input.text, input.source, { withHeaders: opts.withHeaders, now });
  const d = userErrors(() => parseZtunnelDumpText(input.text, input.source));
  return renderZtunnelView(view, d, { ...opts, workload: input.workload }, now, input.text);
}

export function register(program: Command): void {
  program
    .command('zc')
    .alias('ztunnel-config')
    .description('ztunnel configuration (ambient mode), printed exactly as istioctl ztunnel-config prints it')
    .argument('<view>', 'workload|service|policy|certificate|connections|all (and their aliases)')
    .argument('[pod]', 'a ztunnel pod, or a workload pod (its node\'s ztunnel, filtered to it): [type/]NAME[.NAMESPACE]')
    .option('-f, --file <file>', 'read a saved ztunnel config dump; - for stdin')
    .option('-o, --output <format>', 'short, json or yaml', 'short')
    .option('--node <node>', 'read the ztunnel on this node')
    .option('--workload-namespace <ns>', 'workload/connections: only workloads of this namespace')
    .option('--workload-node <node>', 'workload: only workloads on this node')
    .option('--address <ip>', 'workload: only the workload with this address')
    .option('--service-namespace <ns>', 'service: only services of this namespace')
    .option('--policy-namespace <ns>', 'policy: only policies of this namespace')
    .option('--direction <dir>', 'connections: inbound or outbound')
    .option('--raw', 'connections: show IP addresses instead of names', false)
    .option('--with-headers', 'all: print a header before each section', false)
    .option('--proxy-admin-port <port>', 'ztunnel admin port (live)', '15000')
    .option('-i, --istio-namespace <ns>', 'the namespace of the ztunnel DaemonSet', 'istio-system')
    .action(async (viewWord: string, podArg: string | undefined, opts: ZcOptions, cmd: Command) => {
      process.stdout.write(await zcOutput(viewWord, podArg, opts, globalsOf(cmd)));
    });
}
