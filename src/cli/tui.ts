// `meshscope` on a terminal: loads the mesh, adapts it to the TUI's MeshData, renders the app with Ink on the
// alternate screen, and restores the terminal on exit, on signals and on a crash.
import type { GlobalOptions } from './global.js';
import type { ContextSnapshot, MeshInput } from '../model/context.js';
import type { Mesh } from '../mesh/join.js';
import type { ProxyModel } from '../mesh/model.js';
import type { TreeNode } from '../mesh/tree-types.js';
import type { ContextInfo, MeshData, NodeDetails, ProxyViews, RelatedItem, RuleDestination, UiPlugin } from '../ui/types.js';
import { problemAndTracePlugins, treeProblems } from './tui-problems.js';
import { nodesById } from './tree-by-id.js';

const ALT_ON = '\x1b[?1049h\x1b[H\x1b[2J';
const ALT_OFF = '\x1b[?25h\x1b[?1049l';

// ---------------- adapter: joined mesh → MeshData ----------------

export function contextInfo(c: ContextSnapshot): ContextInfo {
  const proxies = c.proxies.filter((p) => !p.error).length;
  const counts: Record<string, number> = { objects: c.objects.length };
  if (proxies > 0) counts.proxies = proxies;
  const errors = c.issues.filter((i) => i.severity === 'error').length;
  const reason = c.reason ?? (c.status === 'partial' && errors > 0 ? `${errors} load errors (see meshscope snapshot check)` : undefined);
  return { name: c.name, status: c.status, counts: c.status === 'loading' || c.status === 'error' ? undefined : counts, reason };
}

function proxyViews(p: ProxyModel, m: typeof import('../model/envoy/views.js')): ProxyViews | undefined {
  const d = p.parsed;
  if (!d) return undefined;
  const views: ProxyViews = {
    listeners: { columns: ['ADDRESSES', 'PORT', 'MATCH', 'DESTINATION'], rows: m.listenerRows(d).map((r) => [r.addresses, String(r.port), r.match, r.destination]) },
    routes: {
      columns: ['NAME', 'VHOST NAME', 'DOMAINS', 'MATCH', 'VIRTUAL SERVICE'], rows: m.routeRows(d).map((r) => [r.name, r.vhost, r.domains, r.match, r.virtualService]),
      after: {
        title: 'Weighted clusters per route (subset when the cluster is the route\'s own host)',
        lines: p.routes.filter((r) => r.clusters.length > 0).map((r) => {
          const vs = r.rule ? `  ← ${r.rule.vs.name}.${r.rule.vs.namespace} ${r.rule.protocol}[${r.rule.index}]` : '';
          const drift = r.drift.length ? `  ≠ ${r.drift.join('; ')}` : '';
          const host = r.virtualHost.replace(/:\d+$/, '');
          const short = (name: string) => {
            const [, , subset, fqdn] = name.split('|');
            return fqdn === host ? subset || '(default)' : name;
          };
          return `${r.virtualHost} → ${r.clusters.map((c) => `${short(c.name)} ${c.weight}%`).join(', ')}${vs}${drift}`;
        }),
      },
    },
    clusters: {
      columns: ['SERVICE FQDN', 'PORT', 'SUBSET', 'DIRECTION', 'TYPE', 'DESTINATION RULE'],
      rows: m.clusterRows(d).map((r) => [r.fqdn, r.port, r.subset, r.direction, r.type, r.destinationRule]),
    },
  };
  views.endpoints = p.endpointsFrom === 'clusters'
    ? { columns: ['ENDPOINT', 'STATUS', 'OUTLIER CHECK', 'CLUSTER'], rows: m.endpointRows(p.endpoints).map((r) => [r.endpoint, r.status, r.outlierCheck, r.cluster]) }
    : { columns: ['NAME', 'STATUS', 'LOCALITY', 'CLUSTER'], rows: m.edsRows(d).map((r) => [r.name, r.status, r.locality, r.cluster]) };
  return views;
}

/** The TUI's view of a joined mesh. Pure apart from the refresh callback. */
export function meshData(input: MeshInput, mesh: Mesh, roots: TreeNode[], deps: {
  source: string; readOnly: boolean; refresh: () => void;
  yaml: typeof import('yaml'); views: typeof import('../model/envoy/views.js');
}): MeshData {
  const byId = nodesById(roots);
  const proxies = new Map<string, ProxyModel>(mesh.proxies().map((p) => [p.id, p]));
  const describe = (id: string): string => {
    const n = byId.get(id);
    if (!n) return id;
    const ns = n.ref?.namespace ? `${n.ref.namespace}/` : '';
    return `${n.kind} ${ns}${n.label}${n.context ? ` @${n.context}` : ''}`;
  };
  const proxyLabel = (p: ProxyModel) => `${p.context}/${p.namespace}/${p.podName}`;

  function related(id: string): RelatedItem[] {
    const out: RelatedItem[] = [];
    const seen = new Set<string>();
    for (const e of mesh.edgesFrom(id)) {
      if (e.to && byId.has(e.to) && !seen.has(e.to)) { seen.add(e.to); out.push({ label: `${e.kind} → ${describe(e.to)}`, targetId: e.to }); }
    }
    for (const e of mesh.edgesTo(id)) {
      if (byId.has(e.from) && !seen.has(e.from)) { seen.add(e.from); out.push({ label: `${e.kind} ← ${describe(e.from)}`, targetId: e.from }); }
    }
    return out.slice(0, 200);
  }

  function ruleDestinations(ruleId: string, only?: string): RuleDestination[] {
    const rule = mesh.rule(ruleId);
    if (!rule) return [];
    return rule.destinations.filter((d) => !only || d.id === only).map((d) => ({
      host: d.host, subset: d.subset, port: d.port,
      weight: d.mirror ? undefined : d.weight, mirrorPercent: d.mirror ? d.mirrorPercent ?? 100 : undefined,
      targetId: byId.has(d.id) ? d.id : undefined,
      envoy: d.envoy.filter((l) => l.name).map((l) => ({
        proxy: proxyLabel(l.proxy), cluster: l.name, weight: l.weight, healthy: l.healthy, total: l.total,
        targetId: byId.has(`${l.proxy.id}/clusters/${l.name}`) ? `${l.proxy.id}/clusters/${l.name}` : undefined,
      })),
    }));
  }

  function details(node: TreeNode): NodeDetails {
    const d: NodeDetails = { related: [] };
    const obj = node.ref ? mesh.object(node.ref) : undefined;
    if (obj && (node.kind === obj.kind || node.kind === 'Pod')) {
      d.yaml = deps.yaml.stringify(obj.lo.obj, { lineWidth: 0 });
      d.related = related(obj.id);
      if (obj.lo.origin.file) d.notes = [`from ${obj.lo.origin.file}${obj.lo.origin.line ? `:${obj.lo.origin.line}` : ''}`];
    } else {
      d.related = related(node.id);
    }
    if (node.kind === 'Pod' || node.kind === 'proxy') {
      const p = node.kind === 'proxy' ? proxies.get(node.id) : node.ref && mesh.pod(node.ref.context, node.ref.namespace ?? '', node.ref.name)?.proxy;
      if (p) {
        d.proxy = proxyViews(p, deps.views);
        if (p.error) (d.notes ??= []).push(`proxy dump: ${p.error}`);
      }
    }
    if (node.kind === 'rule') d.ruleDestinations = ruleDestinations(node.id);
    if (node.kind === 'destination' || node.kind === 'mirror') {
      const dest = mesh.destination(node.id);
      if (dest) d.ruleDestinations = ruleDestinations(dest.rule.id, dest.id);
    }
    if (node.kind === 'VirtualService' && obj) {
      const vs = mesh.virtualService(obj.context, obj.namespace, obj.name);
      if (vs) d.ruleDestinations = vs.rules.flatMap((r) => ruleDestinations(r.id));
    }
    if (node.dangling) (d.notes ??= []).push(`unresolved: ${node.dangling}`);
    return d;
  }

  return {
    source: deps.source, readOnly: deps.readOnly, contexts: input.contexts.map(contextInfo), roots, details, refresh: deps.refresh,
    problemCounts: treeProblems(input, mesh, roots).counts,
  };
}

// ---------------- launcher ----------------

export interface TuiOptions {
  stdout?: NodeJS.WriteStream;
  stdin?: NodeJS.ReadStream;
}

/** Runs the TUI until the user quits. Returns the exit code. */
export async function runTui(globals: GlobalOptions, o: TuiOptions = {}): Promise<number> {
  const stdout = o.stdout ?? process.stdout;
  const stdin = o.stdin ?? process.stdin;
  if (process.env.NO_COLOR) process.env.FORCE_COLOR = '0';

  // Load and import the UI at the same time; the first frame waits for both.
  const libs = Promise.all([
    import('react'), import('ink'), import('../ui/App.js'), import('yaml'), import('../model/envoy/views.js'),
    import('../mesh/join.js'), import('../mesh/tree.js'), import('./tui-session.js'),
  ]);
  const [React, ink, ui, yaml, views, join, tree, sessions] = await libs;

  // The session owns the contexts: a snapshot is read now; live contexts load after the first frame (tui-session.ts).
  const session = await sessions.TuiSession.open(globals, { yaml, views, join, tree });
  let rerender: ((d: MeshData) => void) | undefined;
  let current = session.data();
  let plugins: UiPlugin[] = await loadPlugins(session.currentInput(), globals, session.currentMesh());
  let pluginSeq = 0;
  session.onUpdate((u) => {
    current = u.data;
    rerender?.(current);
    if (!u.meshChanged) return;
    const seq = ++pluginSeq;
    void loadPlugins(u.input, globals, u.mesh).then((p) => {
      if (seq !== pluginSeq) return;
      plugins = p;
      rerender?.(current);
    });
  });

  let restored = false;
  const restore = () => {
    if (restored) return;
    restored = true;
    try { if (stdin.isTTY) stdin.setRawMode(false); } catch { /* already closed */ }
    stdout.write(ALT_OFF);
  };
  const onCrash = (err: unknown) => {
    try { instance.unmount(); } catch { /* ignore */ }
    restore();
    process.stderr.write(`meshscope: internal error: ${message(err)}\n`);
    if (process.env.MESHSCOPE_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
    process.exit(1);
  };
  const onSignal = (sig: NodeJS.Signals) => {
    try { instance.unmount(); } catch { /* ignore */ }
    restore();
    process.exit(sig === 'SIGINT' ? 130 : 143);
  };
  process.on('exit', restore);
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);
  for (const s of ['SIGTERM', 'SIGHUP', 'SIGINT'] as const) process.on(s, onSignal);

  stdout.write(ALT_ON);
  const element = (d: MeshData) => React.createElement(ui.App, { data: d, plugins });
  const instance = ink.render(element(current), {
    stdout, stdin, maxFps: 120, incrementalRendering: process.env.MESHSCOPE_INCREMENTAL === "1", exitOnCtrlC: true, patchConsole: true,
  });
  rerender = (d) => instance.rerender(element(d));
  session.start();
  try {
    await instance.waitUntilExit();
    return 0;
  } catch (err) {
    restore();
    process.stderr.write(`meshscope: internal error: ${message(err)}\n`);
    return 1;
  } finally {
    session.stop();
    restore();
    process.off('uncaughtException', onCrash);
    process.off('unhandledRejection', onCrash);
    for (const s of ['SIGTERM', 'SIGHUP', 'SIGINT'] as const) process.off(s, onSignal);
  }
}

/** Later features' keys (`e` weights...). A feature that fails to load is left out, never fatal. */
async function loadPlugins(input: MeshInput, globals: GlobalOptions, mesh?: Mesh): Promise<UiPlugin[]> {
  const out: UiPlugin[] = [];
  try {
    const [{ weightsPlugin }, { createWeightsEditorEnv }] = await Promise.all([import('../ui/weights/plugin.js'), import('../edit/editor-env.js')]);
    out.push(weightsPlugin(createWeightsEditorEnv(input, globals)));
  } catch (err) {
    if (process.env.MESHSCOPE_DEBUG) process.stderr.write(`weights editor unavailable: ${message(err)}\n`);
  }
  try {
    out.push(...(await problemAndTracePlugins(mesh)));
  } catch (err) {
    if (process.env.MESHSCOPE_DEBUG) process.stderr.write(`problem list / trace unavailable: ${message(err)}\n`);
  }
  return out;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
