// The analyzers' findings on the joined tree: each finding goes on its object's node and on the rule, destination,
// subset or server node its YAML path points into; counts of distinct problems are rolled up to every ancestor.
// Used by the TUI adapter (data-adapter.ts) and by `meshscope tree`.
import type { MeshInput } from '../model/context.js';
import type { Mesh } from '../mesh/join.js';
import type { DestinationRuleModel, GatewayModel, MeshObject, VirtualServiceModel } from '../mesh/objects.js';
import { objectId } from '../mesh/objects.js';
import type { Problem, TreeNode } from '../mesh/tree-types.js';
import type { Finding, Level } from '../analyze/types.js';
import { buildAnalysisInput } from '../analyze/input.js';
import { runChecks } from '../analyze/registry.js';
import { nodesById, walkTree } from '../mesh/tree-walk.js';
import type { ProblemItem } from '../ui/problems/reducer.js';
import type { ProblemCounts, UiPlugin } from '../ui/types.js';

const DRIFT_CODES = new Set(['MS0201']);

/** Runs every check once over the loaded mesh (the joined mesh feeds the drift, health and hop checks). */
export function analyzeLoaded(input: MeshInput, mesh: Mesh): Finding[] {
  return runChecks(buildAnalysisInput(input, { mesh }));
}

export interface TreeProblems {
  /** One entry per finding, sorted by severity (Error, Warning, Info), with the node to jump to. */
  items: ProblemItem[];
  /** Node id → the problem markers its row shows: its own problems plus distinct problems below it. */
  counts: Map<string, ProblemCounts>;
}

const SEVERITY: Record<Level, Problem['severity']> = { Error: 'error', Warning: 'warning', Info: 'info' };
const LEVEL_ORDER: Record<Level, number> = { Error: 0, Warning: 1, Info: 2 };

/** `prefix` is `path` or an ancestor of it (ends at a `.` or `[` boundary). */
function pathWithin(path: string, prefix: string): boolean {
  return path === prefix || (path.startsWith(prefix) && (path[prefix.length] === '.' || path[prefix.length] === '['));
}

/** The tree nodes below an object that stand for a part of its YAML: rules, destinations, DR subsets, gateway servers. */
function partNodes(obj: MeshObject): { path: string; id: string }[] {
  const out: { path: string; id: string }[] = [];
  if (obj.kind === 'VirtualService') {
    for (const r of (obj as VirtualServiceModel).rules ?? []) {
      out.push({ path: r.path, id: r.id });
      for (const d of r.destinations) out.push({ path: d.path, id: d.id });
    }
  } else if (obj.kind === 'DestinationRule') {
    const specSubsets: unknown[] = obj.loaded.obj.spec?.subsets ?? [];
    for (const s of (obj as DestinationRuleModel).subsets ?? []) {
      const i = specSubsets.indexOf(s.def);
      if (i >= 0) out.push({ path: `spec.subsets[${i}]`, id: s.id });
    }
  } else if (obj.kind === 'Gateway') {
    for (const s of (obj as GatewayModel).servers ?? []) out.push({ path: `spec.servers[${s.index}]`, id: `${obj.id}/server[${s.index}]` });
  }
  return out;
}

/** The deepest part node whose path contains the finding's path. */
function partNodeId(mesh: Mesh, objId: string, path: string | undefined): string | undefined {
  if (!path) return undefined;
  const obj = mesh.object(objId);
  if (!obj) return undefined;
  let best: { path: string; id: string } | undefined;
  for (const p of partNodes(obj)) if (pathWithin(path, p.path) && (!best || p.path.length > best.path.length)) best = p;
  return best?.id;
}

/**
 * Puts each finding on its nodes (never mutating the join's problem arrays) and returns the problem list and the
 * per-row counts. A node that already carries the same code (from the join) keeps one problem, at the finding's level.
 */
export function attachFindings(roots: TreeNode[], mesh: Mesh, findings: Finding[]): TreeProblems {
  const byId = nodesById(roots);
  /** Problem → identity for the roll-up: the same code on the same object is one problem wherever it shows. */
  const keys = new WeakMap<Problem, string>();
  const items: ProblemItem[] = [];
  for (const f of findings) {
    const objId = objectId(f.ref.context, f.ref.kind, f.ref.namespace, f.ref.name);
    const key = `${f.code}|${objId}`;
    const objNode = byId.get(objId);
    const partId = partNodeId(mesh, objId, f.path);
    // A drift finding also marks the pod whose proxy runs the stale config (issue 13: flagged where it is).
    const podId = DRIFT_CODES.has(f.code) && f.proxy ? objectId(f.context, 'Pod', f.proxy.split('/')[0]!, f.proxy.split('/')[1] ?? '') : undefined;
    const podNode = podId ? byId.get(podId) : undefined;
    for (const n of [objNode, partId ? byId.get(partId) : undefined, podNode]) if (n) placeFinding(n, f, key, keys);
    items.push({
      level: f.level, code: f.code, context: f.context, origin: f.origin, message: f.message, path: f.path, proxy: f.proxy,
      file: f.file, line: f.line, nodeId: objNode ? objId : partId && byId.has(partId) ? partId : undefined, proxyNodeId: podNode ? podId : undefined,
    });
  }
  items.sort((a, b) => LEVEL_ORDER[a.level] - LEVEL_ORDER[b.level]);
  return { items, counts: rollUp(roots, keys) };
}

function placeFinding(n: TreeNode, f: Finding, key: string, keys: WeakMap<Problem, string>): void {
  const list = n.badges.problems ?? [];
  const at = list.findIndex((p) => p.code === f.code);
  const severity = SEVERITY[f.level];
  let next: Problem[];
  if (at >= 0) {
    const old = list[at]!;
    if (keys.get(old) === key && old.severity === severity) return;
    const merged: Problem = { ...old, code: f.code, severity: rank(old.severity) > rank(severity) && keys.has(old) ? old.severity : severity };
    if (DRIFT_CODES.has(f.code)) merged.drift = true;
    if (!merged.path && f.path) merged.path = f.path;
    keys.set(merged, key);
    next = list.map((p, i) => (i === at ? merged : p));
  } else {
    const p: Problem = { severity, code: f.code, message: f.message, path: f.path };
    if (DRIFT_CODES.has(f.code)) p.drift = true;
    keys.set(p, key);
    next = [...list, p];
  }
  n.badges = { ...n.badges, problems: next };
}

function rank(s: Problem['severity']): number {
  return s === 'error' ? 3 : s === 'warning' ? 2 : 1;
}

type Kind = keyof ProblemCounts;
const kindOf = (p: Problem): Kind => (p.drift ? 'drift' : p.severity);

/**
 * Row markers: a node's own problems, plus every distinct coded problem below it (same code + same object = one,
 * at its worst level). Uncoded problems (an unhealthy endpoint, a dangling reference) count only on their own row.
 */
function rollUp(roots: TreeNode[], keys: WeakMap<Problem, string>): Map<string, ProblemCounts> {
  const counts = new Map<string, ProblemCounts>();
  const keyOf = (p: Problem, n: TreeNode): string | undefined => {
    const k = keys.get(p);
    if (k) return k;
    const code = p.code;
    if (!code) return undefined;
    return `${code}|${n.ref ? objectId(n.ref.context, n.ref.kind, n.ref.namespace, n.ref.name) : n.id}`;
  };
  const merge = (into: Map<string, Kind>, key: string, kind: Kind) => {
    const had = into.get(key);
    if (!had || worse(kind, had)) into.set(key, kind);
  };
  const below = new Map<TreeNode, Map<string, Kind>>();
  walkTree(roots, () => true, (n) => {
    let keyed: Map<string, Kind> | undefined;
    for (const c of n.children) {
      const m = below.get(c);
      if (!m) continue;
      keyed ??= new Map();
      for (const [k, v] of m) merge(keyed, k, v);
      below.delete(c);
    }
    const c: ProblemCounts = { error: 0, warning: 0, info: 0, drift: 0 };
    for (const p of n.badges.problems ?? []) {
      const k = keyOf(p, n);
      if (k) {
        keyed ??= new Map();
        merge(keyed, k, kindOf(p));
      } else c[kindOf(p)]++;
    }
    if (keyed) {
      for (const v of keyed.values()) c[v]++;
      below.set(n, keyed);
    }
    if (c.error || c.warning || c.info || c.drift) counts.set(n.id, c);
  });
  return counts;
}

/** drift outranks a warning (it is what the ≠ marker is for), an error outranks both. */
function worse(a: Kind, b: Kind): boolean {
  const r: Record<Kind, number> = { info: 0, warning: 1, drift: 2, error: 3 };
  return r[a] > r[b];
}

const byRoots = new WeakMap<TreeNode[], TreeProblems>();
const byMesh = new WeakMap<Mesh, TreeProblems>();

/**
 * Findings on the tree, in one call: what the TUI adapter and `meshscope tree` use. Runs the checks once per tree;
 * a check that throws leaves the tree as the join made it and shows up as one item in the problem list.
 */
export function treeProblems(input: MeshInput, mesh: Mesh, roots: TreeNode[]): TreeProblems {
  let tp = byRoots.get(roots);
  if (tp) return tp;
  try {
    tp = attachFindings(roots, mesh, analyzeLoaded(input, mesh));
  } catch (err) {
    const message = `the checks failed, problem markers show the join's own findings only: ${err instanceof Error ? err.message : String(err)}`;
    tp = { items: [{ level: 'Error', code: 'checks', context: '-', origin: 'meshscope', message }], counts: rollUp(roots, new WeakMap()) };
  }
  byRoots.set(roots, tp);
  byMesh.set(mesh, tp);
  return tp;
}

/** The problem list of a mesh whose tree treeProblems already decorated (else an empty list). */
export function problemItemsOf(mesh: Mesh | undefined): ProblemItem[] {
  return (mesh && byMesh.get(mesh)?.items) ?? [];
}

/** `!` (the problem list of `mesh`) and `t` (the trace form on `mesh`), loaded on demand. */
export async function problemAndTracePlugins(mesh: Mesh | undefined, opts: { noColor?: boolean } = {}): Promise<UiPlugin[]> {
  return (await problemAndTraceFactory(opts))(mesh);
}

/** Loads the `!` and `t` modules once; the returned function builds both plugins for one mesh, synchronously. */
export async function problemAndTraceFactory(opts: { noColor?: boolean } = {}): Promise<(mesh: Mesh | undefined) => UiPlugin[]> {
  const noColor = opts.noColor ?? Boolean(process.env.NO_COLOR);
  const [{ problemsPlugin }, { tracePlugin }, { traceOrMessage }, { traceStartFor }, { proxiesPlugin, proxySyncEntries }] = await Promise.all([
    import('../ui/problems/plugin.js'), import('../ui/trace/plugin.js'), import('../trace/trace.js'), import('../trace/start-for-node.js'),
    import('../ui/proxies/entries.js'),
  ]);
  return (mesh) => {
    const out = [problemsPlugin(problemItemsOf(mesh), { noColor })];
    if (mesh) out.push(proxiesPlugin(() => proxySyncEntries(mesh)));
    if (mesh) out.push(tracePlugin((start, input) => traceOrMessage(mesh, { ...start, ...input }), { noColor, resolve: (node) => traceStartFor(mesh, node) }));
    return out;
  };
}
