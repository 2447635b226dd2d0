// Analyzer findings on the joined tree: each finding goes on its object's node and on the rule, destination, subset
// or server node its YAML path points into (a drift finding also on the pod whose proxy runs the stale config);
// counts of distinct problems are rolled up to every ancestor. mesh/ does not import analyze/: a finding here is
// the few fields the tree needs, which analyze's Finding has.
import type { Mesh } from './join.js';
import type { DestinationRuleModel, GatewayModel, MeshObject, VirtualServiceModel } from './objects.js';
import { objectId } from './objects.js';
import type { Problem, TreeNode } from './tree-types.js';
import { nodesById, walkTree } from './tree-walk.js';

export type FindingLevel = 'Error' | 'Warning' | 'Info';

/** What the tree needs of a finding. */
export interface TreeFinding {
  code: string;
  level: FindingLevel;
  context: string;
  message: string;
  /** YAML path of the offending field. */
  path?: string;
  /** Proxy pod ("ns/pod") for per-proxy findings. */
  proxy?: string;
  /** The object, located as objectId(context, kind, namespace, name). */
  ref: { context: string; kind: string; namespace?: string; name: string };
}

/** Problem markers of one tree row: its own problems plus the distinct ones below it. */
export interface ProblemCounts { error: number; warning: number; info: number; drift: number }

/** Where a finding went: the node to jump to (its object, else the part its path points into) and the proxy's pod. */
export interface PlacedFinding<F extends TreeFinding> {
  finding: F;
  nodeId?: string;
  proxyNodeId?: string;
}

export interface TreeFindings<F extends TreeFinding> {
  /** One entry per finding, in the order given. */
  placed: PlacedFinding<F>[];
  /** Node id → the problem markers its row shows: its own problems plus distinct problems below it. */
  counts: Map<string, ProblemCounts>;
}

/** Codes of intent/Envoy drift: shown as ≠, and placed on the pod whose proxy runs the stale config too. */
const DRIFT_CODES = new Set(['MS0201']);

const SEVERITY: Record<FindingLevel, Problem['severity']> = { Error: 'error', Warning: 'warning', Info: 'info' };

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
 * Puts each finding on its nodes (never mutating the join's problem arrays) and returns where each went and the
 * per-row counts. A node that already carries the same code (from the join) keeps one problem, at the finding's level.
 */
export function attachFindings<F extends TreeFinding>(roots: TreeNode[], mesh: Mesh, findings: F[]): TreeFindings<F> {
  const byId = nodesById(roots);
  /** Problem → identity for the roll-up: the same code on the same object is one problem wherever it shows. */
  const keys = new WeakMap<Problem, string>();
  const placed: PlacedFinding<F>[] = [];
  for (const f of findings) {
    const objId = objectId(f.ref.context, f.ref.kind, f.ref.namespace, f.ref.name);
    const key = `${f.code}|${objId}`;
    const objNode = byId.get(objId);
    const partId = partNodeId(mesh, objId, f.path);
    // A drift finding also marks the pod whose proxy runs the stale config, so it shows where the stale config is.
    const podId = DRIFT_CODES.has(f.code) && f.proxy ? objectId(f.context, 'Pod', f.proxy.split('/')[0]!, f.proxy.split('/')[1] ?? '') : undefined;
    const podNode = podId ? byId.get(podId) : undefined;
    for (const n of [objNode, partId ? byId.get(partId) : undefined, podNode]) if (n) placeFinding(n, f, key, keys);
    placed.push({ finding: f, nodeId: objNode ? objId : partId && byId.has(partId) ? partId : undefined, proxyNodeId: podNode ? podId : undefined });
  }
  return { placed, counts: rollUp(roots, keys) };
}

/** The join's own problems rolled up, without findings (when the checks could not run). */
export function problemCountsOf(roots: TreeNode[]): Map<string, ProblemCounts> {
  return rollUp(roots, new WeakMap());
}

function placeFinding(n: TreeNode, f: TreeFinding, key: string, keys: WeakMap<Problem, string>): void {
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
