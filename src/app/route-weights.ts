// `meshscope weights get|set httproute/NAME` (grpcroute/, tcproute/, tlsroute/): backendRef weights of Gateway API
// route rules, shown as written and as shares; set through the same diff, dry run, write and audit as VirtualServices.
import type { GlobalOptions } from '../core/options.js';
import { UsageError, UserError } from '../core/errors.js';
import { sanitizeLine, terminalSafeJson } from '../core/sanitize.js';
import type { MeshInput } from '../model/context.js';
import type { LoadedObject } from '../model/resources.js';
import type { EditTarget, PreparedEdit } from '../edit/prepare.js';
import type { WriteEnv } from '../sources/edit/apply.js';
import type { GetOptions, Live, SetOptions, WeightsIO } from './weights-io.js';
import { parseAssignments } from '../edit/assignments.js';

export interface RouteWeightsDeps {
  showAndApply(preps: PreparedEdit[], env: WriteEnv, o: { dryRun?: boolean; yes?: boolean }, io: WeightsIO, verb: string): Promise<number>;
  writeEnv(g: GlobalOptions, auditLog: string | undefined, io: WeightsIO, live?: Live, force?: boolean): Promise<WriteEnv>;
  liveSetup(g: GlobalOptions): Promise<Live>;
}

async function loadRoutes(g: GlobalOptions, kind: string, name: string): Promise<{ input: MeshInput; hits: LoadedObject[]; problems: string[] }> {
  const { loadMesh } = await import('../sources/load.js');
  const input = await loadMesh(g);
  const hits: LoadedObject[] = [];
  const problems: string[] = [];
  for (const c of input.contexts) {
    const found = c.objects.filter((o) => o.obj.kind === kind && o.obj.apiVersion.startsWith('gateway.networking.k8s.io/') && o.obj.metadata.name === name
      && (!g.namespace || (o.obj.metadata.namespace ?? 'default') === g.namespace));
    if (found.length > 1) problems.push(`${kind} ${name} exists more than once in context ${c.name} (${found.map((f) => f.obj.metadata.namespace ?? 'default').join(', ')}): pass -n NAMESPACE`);
    else if (found.length === 1) hits.push(found[0]!);
    else if (g.context.length > 0) problems.push(`no ${kind} ${g.namespace ? `${g.namespace}/` : ''}${name} in context ${c.name}`);
  }
  if (hits.length === 0 && problems.length === 0) problems.push(`no ${kind} ${g.namespace ? `${g.namespace}/` : ''}${name} in ${input.contexts.map((c) => c.name).join(', ') || 'any context'}`);
  return { input, hits, problems };
}

export async function runRouteGet(g: GlobalOptions, kind: string, name: string, o: GetOptions, io: WeightsIO): Promise<number> {
  if (o.output !== 'text' && o.output !== 'json') throw new UsageError(`-o ${o.output}: use text or json`);
  const { routeRules, shares, weightText } = await import('../edit/gateway-api-weights.js');
  const { bar } = await import('../edit/report.js');
  const { input, hits, problems } = await loadRoutes(g, kind, name);
  const ctxPath = (lo: LoadedObject) => {
    const c = input.contexts.find((x) => x.name === lo.origin.context);
    return c?.source.kind === 'snapshot' && lo.origin.file ? `${c.source.path}/${lo.origin.file}` : undefined;
  };
  if (o.output === 'json') {
    const data = hits.map((lo) => ({
      context: lo.origin.context, kind, namespace: lo.obj.metadata.namespace ?? 'default', name: lo.obj.metadata.name, file: ctxPath(lo),
      rules: routeRules(lo.obj).map((r) => {
        const sh = shares(r.destinations.map((d) => d.effective));
        return { index: r.ref.index, name: r.name, match: r.match, backendRefs: r.destinations.map((d, i) => ({ backend: d.host, port: d.port, weight: d.raw ?? null, effective: d.effective, share: sh[i] })) };
      }),
    }));
    io.out(`${terminalSafeJson(JSON.stringify(problems.length ? { routes: data, problems } : data, null, 2))}\n`);
  } else {
    for (const lo of hits) {
      io.out(`${sanitizeLine(lo.origin.context)}  ${kind} ${sanitizeLine(lo.obj.metadata.namespace ?? 'default')}/${sanitizeLine(lo.obj.metadata.name)}  (file ${sanitizeLine(ctxPath(lo) ?? '?')})\n`);
      for (const r of routeRules(lo.obj)) {
        io.out(`  ${sanitizeLine(r.label)}  match: ${sanitizeLine(r.match)}\n`);
        const sh = shares(r.destinations.map((d) => d.effective));
        const width = Math.max(12, ...r.destinations.map((d) => sanitizeLine(`${d.host}:${d.port ?? ''}`).length));
        r.destinations.forEach((d, i) => io.out(`    ${sanitizeLine(`${d.host}${d.port !== undefined ? `:${d.port}` : ''}`).padEnd(width)}  ${weightText(d, sh[i]!).padEnd(22)} ${bar(sh[i]!)}\n`));
        if (r.destinations.every((d) => d.effective === 0)) io.out(`    every backendRef weighs 0: ${kind === 'TCPRoute' || kind === 'TLSRoute' ? 'connections are refused' : 'requests get HTTP 500'}\n`);
      }
    }
  }
  for (const p of problems) io.err(`meshscope: ${sanitizeLine(p)}\n`);
  return hits.length > 0 && problems.length === 0 ? 0 : 1;
}

export async function runRouteSet(g: GlobalOptions, kind: string, name: string, args: string[], o: SetOptions & { allZero?: boolean }, io: WeightsIO, deps: RouteWeightsDeps): Promise<number> {
  const { checkWait, waitAfterWrite } = await import('./weights-wait.js');
  checkWait(g, o.wait);
  const assignments = parseAssignments(args);
  if (assignments.length === 0) throw new UsageError('nothing to set: give BACKEND=WEIGHT arguments (BACKEND: Service name, ns/name or name:port)');
  if ((o.mirror ?? []).length > 0) throw new UsageError(`--mirror applies to VirtualServices; a ${kind} mirrors with a RequestMirror filter`);
  if (o.rebalance) throw new UsageError(`--rebalance applies to VirtualService percentages; ${kind} weights are proportions: backendRefs you do not name keep their weight`);
  const { resolveRouteRule, findBackend, planRouteWeights } = await import('../edit/gateway-api-weights.js');
  const { targetOf } = await import('../sources/edit/targets.js');
  const { editYamlText } = await import('../edit/yaml-edit.js');
  const { unifiedDiff } = await import('../edit/diff.js');
  const { input, hits, problems } = await loadRoutes(g, kind, name);
  const preps: PreparedEdit[] = [];
  for (const lo of hits) {
    const where = `${lo.origin.context} ${lo.obj.metadata.namespace ?? 'default'}/${lo.obj.metadata.name}`;
    try {
      const fits = (r: Parameters<typeof findBackend>[0]) => { try { assignments.forEach((a) => findBackend(r, a.dest)); return true; } catch { return false; } };
      const rule = resolveRouteRule(lo.obj, o.rule, fits);
      const weights = rule.destinations.map((d) => d.effective);
      for (const a of assignments) weights[findBackend(rule, a.dest)] = a.weight;
      const edits = planRouteWeights(lo.obj, rule, weights, { force: o.allZero });
      const target: EditTarget = targetOf(input, lo);
      const after = editYamlText(target.text, target.loc, edits);
      preps.push({ target, rule, values: { weights, mirrors: [] }, edits, after, diff: unifiedDiff(target.text, after, target.textName), action: 'set' });
    } catch (err) {
      problems.push(`${where}: ${(err as Error).message}`);
    }
  }
  if (problems.length > 0) {
    for (const p of problems) io.err(`meshscope: ${sanitizeLine(p)}\n`);
    io.err('meshscope: nothing was written\n');
    return 1;
  }
  const code = await deps.showAndApply(preps, await deps.writeEnv(g, o.auditLog, io, g.fixtures ? undefined : await deps.liveSetup(g), o.force), o, io, 'apply to');
  return waitAfterWrite(g, preps, code, o.wait, o.dryRun, io);
}
