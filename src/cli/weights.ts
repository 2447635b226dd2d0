// `meshscope weights get|set|undo`: read and change traffic weights, on snapshot folders (--fixtures) and live.
import type { Command } from 'commander';
import { createInterface } from 'node:readline/promises';
import { globalsOf, setExitCode } from './global.js';
import type { GlobalOptions } from '../core/options.js';
import { UsageError, UserError } from '../core/errors.js';
import { parseAssignments } from '../edit/assignments.js';
import { sanitizeLine, terminalSafeJson } from '../core/sanitize.js';
import type { WriteEnv } from '../sources/edit/apply.js';
import type { EditTarget, PreparedEdit } from '../edit/prepare.js';
import type { VirtualServiceApi } from '../sources/edit/live-writer.js';

export type { WeightsIO } from '../app/weights-io.js';
import type { Live, WeightsIO, SetOptions, GetOptions, UndoOptions } from '../app/weights-io.js';

function processIO(): WeightsIO {
  const tty = Boolean(process.stdin.isTTY && process.stdout.isTTY);
  return {
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
    color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
    confirm: tty ? async (q) => {
      const rl = createInterface({ input: process.stdin, output: process.stdout });
      try {
        return /^y(es)?$/i.test((await rl.question(`${q} [y/N] `)).trim());
      } finally {
        rl.close();
      }
    } : undefined,
    env: process.env,
  };
}

const collect = (v: string, prev: string[] = []) => prev.concat(v);

export function register(program: Command): void {
  const weights = program.command('weights').description('show and change traffic weights of VirtualService rules, safely');
  weights.command('get <virtualservice>')
    .description("every rule's destinations and weights, per context")
    .option('-o, --output <format>', 'text or json', 'text')
    .action(async (name: string, o: GetOptions, cmd: Command) => setExitCode(cmd, await runGet(globalsOf(cmd), name, o, processIO())));
  weights.command('set <virtualservice> [assignments...]')
    .description('set DEST=WEIGHT (DEST: subset, host or host:subset); prints the diff; applies with --yes or an interactive y')
    .option('--rule <nameOrIndex>', 'the rule: its name, or an index like 0, http/0, tcp/1')
    .option('--mirror <pct>', 'mirror percentage (or HOST=PCT when the rule has several mirrors)', collect, [])
    .option('--rebalance', 'destinations you do not name share the rest proportionally (default: they keep their weight)')
    .option('--dry-run', 'validate and dry-run (dryRun=All live), write nothing')
    .option('-y, --yes', 'apply without asking')
    .option('--audit-log <file>', 'audit log file (default $XDG_STATE_HOME/meshscope/audit.log)')
    .option('--force', 'write a snapshot file even though it changed on disk since meshscope last wrote it')
    .option('--all-zero', 'let every backendRef of a Gateway API rule weigh 0 (istiod then answers HTTP 500)')
    .option('--wait [duration]', 'live: after the write, wait until every proxy runs the new weights (default 60s; exit 3 naming the stale proxies on timeout)')
    .action(async (name: string, assignments: string[], o: SetOptions, cmd: Command) => setExitCode(cmd, await runSet(globalsOf(cmd), name, assignments, o, processIO())));
  weights.command('undo')
    .description('revert the last applied edit from the audit log (again as a diff, again with the precondition)')
    .option('--dry-run', 'show the diff and dry-run, write nothing')
    .option('-y, --yes', 'apply without asking')
    .option('--audit-log <file>', 'audit log file (default $XDG_STATE_HOME/meshscope/audit.log)')
    .option('--force', 'write a snapshot file even though it changed on disk since meshscope last wrote it')
    .option('--wait [duration]', 'live: after the write, wait until every proxy runs the new weights (default 60s; exit 3 naming the stale proxies on timeout)')
    .action(async (o: UndoOptions, cmd: Command) => setExitCode(cmd, await runUndo(globalsOf(cmd), o, processIO())));
}

// ---- shared plumbing ----


export async function liveSetup(g: GlobalOptions): Promise<Live> {
  const { loadKubeconfig, selectContexts, contextInfo } = await import('../sources/kube/kubeconfig.js');
  const { liveAccess } = await import('../sources/edit/kube-client.js');
  const kc = await loadKubeconfig(g.kubeconfig);
  const contexts = selectContexts(kc, g.context, g.allContexts);
  const cache = new Map<string, Promise<{ api: VirtualServiceApi; user: string }>>();
  return {
    contexts,
    namespaceOf: (c) => g.namespace ?? contextInfo(kc, c).namespace ?? 'default',
    access(context, apiVersion, kind = 'VirtualService') {
      const key = `${context}\0${apiVersion}\0${kind}`;
      if (!cache.has(key)) cache.set(key, liveAccess(context, apiVersion, { kubeconfig: g.kubeconfig, requestTimeout: g.requestTimeout }, kind));
      return cache.get(key) as Promise<{ api: VirtualServiceApi; user: string }>;
    },
  };
}

/** The VirtualService in every selected context: from the snapshot folder, or by a GET on each live context. */
async function findTargets(g: GlobalOptions, name: string, live?: Live) {
  const { findInMesh, getLive } = await import('../sources/edit/targets.js');
  const { liveTarget } = await import('../edit/prepare.js');
  if (g.fixtures) {
    const { loadMesh } = await import('../sources/load.js');
    return findInMesh(await loadMesh(g), name, g.namespace, g.context);
  }
  const l = live as Live;
  const out: { targets: EditTarget[]; problems: { context: string; message: string }[] } = { targets: [], problems: [] };
  await Promise.all(l.contexts.map(async (c) => {
    try {
      const ns = l.namespaceOf(c);
      const obj = await getLive(async (v) => (await l.access(c, v)).api, ns, name);
      out.targets.push(liveTarget(c, obj as never));
    } catch (err) {
      out.problems.push({ context: c, message: `${c}: ${(err as Error).message}` });
    }
  }));
  out.targets.sort((a, b) => l.contexts.indexOf(a.context) - l.contexts.indexOf(b.context));
  return out;
}

export async function writeEnv(g: GlobalOptions, auditLog: string | undefined, io: WeightsIO, live?: Live, force?: boolean): Promise<WriteEnv> {
  const { loadWritePolicy } = await import('../sources/edit/policy.js');
  const { auditLogPath } = await import('../sources/edit/audit.js');
  return { policy: loadWritePolicy(g.readOnly, io.env), auditLog: auditLogPath(auditLog, io.env), live: live ? (c, v, k) => live.access(c, v, k) : undefined, force };
}

export async function showAndApply(preps: PreparedEdit[], env: WriteEnv, o: { dryRun?: boolean; yes?: boolean }, io: WeightsIO, verb: string): Promise<number> {
  const { renderDiff } = await import('../edit/diff.js');
  const { changeSummary, targetTitle, resultLines } = await import('../edit/report.js');
  const { applyEdits, staleSnapshots } = await import('../sources/edit/apply.js');
  const { writeRefusal } = await import('../sources/edit/policy.js');
  for (const p of preps) {
    io.out(`${targetTitle(p.target)}\n  ${sanitizeLine(p.rule.label)}: ${changeSummary(p)}\n`);
    io.out(renderDiff(p.diff, io.color));
  }
  const stale = staleSnapshots(preps, env);
  if (stale.length > 0) {
    io.err(resultLines(stale).join('\n') + '\n');
    return 1;
  }
  if (preps.every((p) => p.edits.length === 0)) {
    io.out('nothing to change\n');
    return 0;
  }
  const refused = preps.map((p) => writeRefusal(env.policy, p.target.context)).filter((r): r is string => !!r);
  if (refused.length > 0 && !o.dryRun) {
    for (const r of [...new Set(refused)]) io.err(`meshscope: refused: ${r}\n`);
    return 1;
  }
  if (!o.dryRun && !o.yes) {
    const where = preps.map((p) => `${p.target.context} ${p.target.object.metadata.namespace ?? 'default'}/${p.target.object.metadata.name}`).join(', ');
    if (!io.confirm) {
      io.err(`meshscope: not applied: pass --yes to ${verb} ${sanitizeLine(where)} (or run on a terminal to confirm)\n`);
      return 1;
    }
    if (!(await io.confirm(`${verb} ${sanitizeLine(where)}?`))) {
      io.err('meshscope: not applied\n');
      return 1;
    }
  }
  const results = await applyEdits(preps, env, { dryRun: Boolean(o.dryRun) });
  const text = resultLines(results).join('\n') + '\n';
  if (results.every((r) => r.ok)) io.out(text);
  else io.err(text);
  return results.every((r) => r.ok) ? 0 : 1;
}

// ---- get ----

/** "NS/NAME" (as meshscope prints objects) is NAME in namespace NS, and "virtualservice/NAME" is NAME; -n must agree. */
function namespacedName(g: GlobalOptions, text: string): { g: GlobalOptions; name: string } {
  const m = /^([^/]+)\/([^/]+)$/.exec(text);
  if (!m) return { g, name: text };
  if (/^(virtualservices?|vs)$/i.test(m[1]!)) return { g, name: m[2]! };
  if (g.namespace && g.namespace !== m[1]) throw new UsageError(`${sanitizeLine(text)} is in namespace ${sanitizeLine(m[1]!)}, but -n says ${sanitizeLine(g.namespace)}`);
  return { g: { ...g, namespace: m[1]! }, name: m[2]! };
}

export async function runGet(globals: GlobalOptions, text: string, o: GetOptions, io: WeightsIO): Promise<number> {
  const route = (await import('../edit/gateway-api-weights.js')).parseRouteRef(text);
  if (route) return (await import('../app/route-weights.js')).runRouteGet(globals, route.kind, route.name, o, io);
  const { g, name } = namespacedName(globals, text);
  if (o.output !== 'text' && o.output !== 'json') throw new UsageError(`-o ${o.output}: use text or json`);
  const { listRules } = await import('../edit/planner.js');
  const { ruleLines, targetTitle } = await import('../edit/report.js');
  const live = g.fixtures ? undefined : await liveSetup(g);
  const found = await findTargets(g, name, live);
  if (o.output === 'json') {
    const data = found.targets.map((t) => ({
      context: t.context, namespace: t.object.metadata.namespace ?? 'default', name: t.object.metadata.name,
      resourceVersion: t.object.metadata.resourceVersion, file: t.source === 'snapshot' ? t.textName : undefined,
      rules: listRules(t.object).map((r) => ({
        kind: r.ref.kind, index: r.ref.index, name: r.name, match: r.match, total: r.total,
        destinations: r.destinations.map((d) => ({ host: d.host, subset: d.subset, port: d.port, weight: d.raw ?? null, effective: d.effective })),
        mirrors: r.mirrors.map((m) => ({ host: m.host, subset: m.subset, port: m.port, percentage: m.raw ?? null, effective: m.effective })),
      })),
    }));
    io.out(`${terminalSafeJson(JSON.stringify(found.problems.length ? { virtualServices: data, problems: found.problems } : data, null, 2))}\n`);
  } else {
    for (const t of found.targets) {
      io.out(`${targetTitle(t)}\n`);
      for (const r of listRules(t.object)) io.out(`${ruleLines(r).join('\n')}\n`);
    }
  }
  for (const p of found.problems) io.err(`meshscope: ${sanitizeLine(p.message)}\n`);
  return found.targets.length > 0 && found.problems.length === 0 ? 0 : 1;
}

// ---- set ----


function parseMirror(values: string[]): { host?: string; pct: number }[] {
  return values.map((v) => {
    const m = /^(?:(.+)=)?(-?\d+(?:\.\d+)?)%?$/.exec(v.trim());
    if (!m) throw new UsageError(`--mirror ${v}: expected a percentage like 10 or 12.5 (or HOST=PCT)`);
    return { host: m[1], pct: Number(m[2]) };
  });
}

export async function runSet(globals: GlobalOptions, text: string, args: string[], o: SetOptions, io: WeightsIO): Promise<number> {
  const route = (await import('../edit/gateway-api-weights.js')).parseRouteRef(text);
  if (route) return (await import('../app/route-weights.js')).runRouteSet(globals, route.kind, route.name, args, o, io, { showAndApply, writeEnv, liveSetup });
  const { g, name } = namespacedName(globals, text);
  const assignments = parseAssignments(args);
  const mirrors = parseMirror(o.mirror ?? []);
  if (assignments.length === 0 && mirrors.length === 0) throw new UsageError('nothing to set: give DEST=WEIGHT arguments and/or --mirror PCT');
  const { checkWait, waitAfterWrite } = await import('../app/weights-wait.js');
  checkWait(g, o.wait);
  const { resolveRule, findDestination, assignWeights, currentValues, PlanError } = await import('../edit/planner.js');
  const { prepareEdit } = await import('../edit/prepare.js');
  const { destinationSelector } = await import('../edit/planner.js');
  const { destinationLabel } = await import('../mesh/destination-label.js');
  const live = g.fixtures ? undefined : await liveSetup(g);
  const found = await findTargets(g, name, live);
  const problems = found.problems.map((p) => p.message);
  const preps: PreparedEdit[] = [];
  for (const t of found.targets) {
    try {
      const fits = (r: ReturnType<typeof resolveRule>) => {
        if (mirrors.length > 0 && r.mirrors.length === 0) return false;
        try { assignments.forEach((a) => findDestination(r, a.dest)); return true; } catch { return false; }
      };
      const rule = resolveRule(t.object, o.rule, fits);
      const values = currentValues(rule);
      const assigned = new Map<number, number>();
      for (const a of assignments) {
        const i = findDestination(rule, a.dest);
        if (assigned.has(i)) throw new PlanError(`destination ${destinationLabel(rule.destinations[i])} is named twice`);
        assigned.set(i, a.weight);
      }
      if (assigned.size > 0) values.weights = assignWeights(values.weights, assigned, Boolean(o.rebalance));
      for (const m of mirrors) {
        const idx = m.host === undefined ? (rule.mirrors.length === 1 ? 0 : -1) : rule.mirrors.findIndex((x) => x.host === m.host || destinationSelector(x) === m.host);
        if (idx < 0) throw new PlanError(rule.mirrors.length === 0 ? `rule ${rule.label} has no mirror` : `rule ${rule.label} has ${rule.mirrors.length} mirrors: use --mirror HOST=PCT (${rule.mirrors.map((x) => x.host).join(', ')})`);
        values.mirrors[idx] = m.pct;
      }
      preps.push(prepareEdit(t, rule, values));
    } catch (err) {
      const message = (err as Error).message;
      // A total other than 100 is usually a destination left unnamed: --rebalance lets the others share the rest.
      const hint = !o.rebalance && /add up to \d+, not 100/.test(message) ? ' (name every destination, or add --rebalance so the ones you do not name share the rest)' : '';
      problems.push(`${t.context} ${t.object.metadata.namespace ?? 'default'}/${t.object.metadata.name}: ${message}${hint}`);
    }
  }
  if (problems.length > 0) {
    for (const p of problems) io.err(`meshscope: ${sanitizeLine(p)}\n`);
    io.err('meshscope: nothing was written\n');
    return 1;
  }
  if (preps.length === 0) throw new UserError(`no VirtualService ${name} found`);
  return waitAfterWrite(g, preps, await showAndApply(preps, await writeEnv(g, o.auditLog, io, live, o.force), o, io, 'apply to'), o.wait, o.dryRun, io);
}

// ---- undo ----

export async function runUndo(g: GlobalOptions, o: UndoOptions, io: WeightsIO): Promise<number> {
  const { auditLogPath, readAudit, lastUndoable } = await import('../sources/edit/audit.js');
  const { prepareUndo } = await import('../edit/undo.js');
  const { snapshotTarget } = await import('../sources/edit/apply.js');
  const { liveTarget } = await import('../edit/prepare.js');
  const { resolve, sep } = await import('node:path');
  const { checkWait, waitAfterWrite } = await import('../app/weights-wait.js');
  checkWait(g, o.wait);
  const log = auditLogPath(o.auditLog, io.env);
  const entries = readAudit(log);
  const root = g.fixtures ? resolve(g.fixtures) : undefined;
  const wanted = g.context.length ? new Set(g.context) : undefined;
  const batch = lastUndoable(entries, (e) =>
    (root ? e.source === 'snapshot' && !!e.file && (e.file === root || e.file.startsWith(root + sep)) : e.source === 'live')
    && (!wanted || wanted.has(e.context)) && (!g.namespace || e.namespace === g.namespace));
  if (batch.length === 0) throw new UserError(`nothing to undo: no ${root ? `edit of ${g.fixtures}` : 'live edit'}${wanted ? ` in ${[...wanted].join(', ')}` : ''} in ${log}`);
  const live = root ? undefined : await liveSetup({ ...g, context: [...new Set(batch.map((e) => e.context))] });
  const preps: PreparedEdit[] = [];
  const problems: string[] = [];
  for (const e of batch) {
    try {
      let target: EditTarget;
      if (e.source === 'snapshot') {
        target = snapshotTarget(e.context, e.file as string, { docIndex: e.docIndex ?? 0, itemIndex: e.itemIndex });
      } else {
        const api = (await (live as Live).access(e.context, e.apiVersion, e.kind)).api;
        target = liveTarget(e.context, (await api.get(e.namespace, e.name)) as never);
      }
      preps.push(prepareUndo(e, target));
    } catch (err) {
      problems.push(`${e.context} ${e.namespace}/${e.name}: ${(err as Error).message}`);
    }
  }
  if (problems.length > 0) {
    for (const p of problems) io.err(`meshscope: ${sanitizeLine(p)}\n`);
    io.err('meshscope: nothing was written\n');
    return 1;
  }
  io.out(`undo of the edit made ${sanitizeLine(batch[0].time)} by ${sanitizeLine(batch[0].user)}\n`);
  return waitAfterWrite(g, preps, await showAndApply(preps, await writeEnv(g, o.auditLog, io, live, o.force), o, io, 'undo on'), o.wait, o.dryRun, io);
}
