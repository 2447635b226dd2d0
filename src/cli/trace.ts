// `meshscope trace --from POD.NS|gateway/NAME.NS --host H ...`: a request walked through intent (CRDs) and reality
// (that proxy's Envoy config), with the point where they part, following hops into other loaded contexts.
import type { Command } from 'commander';
import { globalsOf, setExitCode } from './global.js';
import type { GlobalOptions } from '../core/options.js';
import { UsageError, UserError } from '../core/errors.js';
import { formatLoadIssue, type ContextSnapshot } from '../model/context.js';
import { sanitizeLine } from '../core/sanitize.js';
import type { TraceRequest } from '../trace/types.js';
import { contextsWithSource, fromWithNamespace } from '../trace/source-context.js';

interface TraceCliOptions {
  from?: string;
  host?: string;
  port?: string;
  path?: string;
  method?: string;
  header: string[];
  sni?: string;
  output: string;
}

function collect(value: string, previous: string[] = []): string[] {
  return previous.concat(value);
}

/** `k=v` or `k: v` → [k, v] */
export function parseHeader(text: string): [string, string] {
  const m = /^\s*([^=:\s][^=:]*?)\s*[=:]\s?(.*)$/.exec(text);
  if (!m) throw new UsageError(`--header takes NAME=VALUE, not "${sanitizeLine(text)}"`);
  return [m[1]!, m[2]!];
}

export function requestFromOptions(o: TraceCliOptions, context: string, namespace?: string): TraceRequest {
  if (!o.from) throw new UsageError('trace needs --from POD.NAMESPACE or --from gateway/NAME.NAMESPACE');
  if (!o.host) throw new UsageError('trace needs --host HOST (the host the client calls, e.g. reviews or b.nginx.com)');
  let port: number | undefined;
  if (o.port !== undefined) {
    if (!/^\d+$/.test(o.port) || Number(o.port) < 1 || Number(o.port) > 65535) throw new UsageError(`--port must be a port number, not "${sanitizeLine(o.port)}"`);
    port = Number(o.port);
  }
  const headers: Record<string, string> = {};
  for (const h of o.header) {
    const [k, v] = parseHeader(h);
    headers[k] = v;
  }
  const req: TraceRequest = { context, from: fromWithNamespace(o.from, namespace), host: o.host, headers };
  if (port !== undefined) req.port = port;
  if (o.path !== undefined) req.path = o.path;
  if (o.method !== undefined) req.method = o.method;
  if (o.sni !== undefined) req.sni = o.sni;
  return req;
}

/** Live: gateway dumps load with the mesh; the starting sidecar's Envoy config is fetched here (over port-forward). */
async function fetchSidecarDump(snap: ContextSnapshot | undefined, req: TraceRequest, g: GlobalOptions): Promise<void> {
  if (!snap) return;
  const { namespace, name } = req.from;
  const pods = snap.objects.filter((o) => o.obj.kind === 'Pod' && (o.obj.metadata.namespace ?? 'default') === namespace);
  const pod = pods.find((o) => o.obj.metadata.name === name) ?? (pods.filter((o) => o.obj.metadata.name.startsWith(name)).length === 1
    ? pods.find((o) => o.obj.metadata.name.startsWith(name)) : undefined);
  if (!pod || snap.proxies.some((p) => p.namespace === namespace && p.pod === pod.obj.metadata.name)) return;
  const { fetchProxyDump } = await import('../sources/envoy-admin.js');
  const d = await fetchProxyDump({ kubeconfig: g.kubeconfig, context: snap.name, requestTimeout: g.requestTimeout }, namespace, pod.obj.metadata.name);
  d.context = snap.name;
  if (d.error) process.stderr.write(`${sanitizeLine(`warning: context ${snap.name}, Pod ${namespace}/${pod.obj.metadata.name}: Envoy config not read: ${d.error}`)}\n`);
  snap.proxies.push(d);
}

export function register(program: Command): void {
  program
    .command('trace')
    .description('walk a request through the CRDs (intent) and the proxy\'s Envoy config (reality), and show where they part')
    .option('--from <source>', 'POD.NAMESPACE (its sidecar) or gateway/NAME.NAMESPACE (Gateway, gateway Service or gateway pod)')
    .option('--host <host>', 'host the client calls (short name, FQDN or external host); also the Host header')
    .option('--port <n>', 'service port (sidecar) or Gateway server port (gateway); default: the host\'s port, 80 for gateways')
    .option('--path <path>', 'request path, with an optional ?query', '/')
    .option('--method <method>', 'HTTP method', 'GET')
    .option('--header <k=v>', 'request header (repeatable)', collect, [])
    .option('--sni <name>', 'TLS server name (TLS and passthrough ports)')
    .option('-o, --output <format>', 'text or json', 'text')
    .action(async function (this: Command) {
      const o = this.opts() as TraceCliOptions;
      if (o.output !== 'text' && o.output !== 'json') throw new UsageError(`unknown output format "${sanitizeLine(o.output)}": use -o text or -o json`);
      const globals = globalsOf(this);
      const { loadMesh } = await import('../sources/load.js');
      const { joinMesh } = await import('../mesh/join.js');
      const { traceRequest } = await import('../trace/trace.js');
      const { TraceInputError } = await import('../trace/types.js');
      const { renderTraceText, traceJson } = await import('../trace/format.js');
      // The first --context is where the request starts. A snapshot loads every context so hops can be followed;
      // live, the contexts named (or --all-contexts) are loaded.
      const start = globals.context[0];
      const input = await loadMesh({ ...globals, context: globals.fixtures ? [] : globals.context });
      for (const c of input.contexts) for (const i of c.issues) process.stderr.write(`${sanitizeLine(formatLoadIssue(i))}\n`);
      const loaded = input.contexts.filter((c) => c.status !== 'error');
      if (loaded.length === 0) throw new UserError('no context loaded: nothing to trace');
      const owners = o.from ? contextsWithSource(loaded, fromWithNamespace(o.from, globals.namespace)) : [];
      const context = start ?? (loaded.length === 1 ? loaded[0]!.name : owners.length === 1 ? owners[0] : undefined);
      if (!context) throw new UsageError(`trace needs --context (loaded: ${loaded.map((c) => sanitizeLine(c.name)).join(', ')}${owners.length > 1 ? `; ${sanitizeLine(o.from ?? '')} is in ${owners.map(sanitizeLine).join(', ')}` : ''})`);
      const req = requestFromOptions(o, context, globals.namespace);
      if (!globals.fixtures && req.from.kind === 'pod') await fetchSidecarDump(input.contexts.find((c) => c.name === context), req, globals);
      const { traceGatewayApiIfApplies } = await import('../app/trace-gateway-api.js');
      const mesh = joinMesh(input);
      const gatewayApi = await traceGatewayApiIfApplies(input, mesh, req, o.output);
      if (gatewayApi) return setExitCode(this, gatewayApi.ok ? 0 : 1);
      let trace;
      try {
        trace = traceRequest(mesh, req);
      } catch (err) {
        if (err instanceof TraceInputError) throw new UserError(sanitizeLine(err.message));
        throw err;
      }
      if (o.output === 'json') process.stdout.write(`${JSON.stringify(traceJson(trace), null, 2)}\n`);
      else process.stdout.write(renderTraceText(trace));
      setExitCode(this, trace.ok ? 0 : 1);
    });
}
