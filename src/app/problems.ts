// The analyzers' findings on the joined tree, wired for the TUI adapter (data-adapter.ts) and `meshscope tree`: runs
// the checks, places the findings (mesh/tree-findings.ts) and lists them for the problem list.
import type { MeshInput } from '../model/context.js';
import type { Mesh } from '../mesh/join.js';
import type { TreeNode } from '../mesh/tree-types.js';
import { attachFindings, problemCountsOf, type ProblemCounts } from '../mesh/tree-findings.js';
import type { Finding, Level } from '../analyze/types.js';
import { buildAnalysisInput } from '../analyze/input.js';
import { runChecks } from '../analyze/registry.js';
import type { ProblemItem } from '../ui/problems/reducer.js';
import type { UiPlugin } from '../ui/types.js';

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

const LEVEL_ORDER: Record<Level, number> = { Error: 0, Warning: 1, Info: 2 };

/** Findings placed on the tree, as the problem list shows them. */
function problemsOnTree(roots: TreeNode[], mesh: Mesh, findings: Finding[]): TreeProblems {
  const { placed, counts } = attachFindings(roots, mesh, findings);
  const items: ProblemItem[] = placed.map(({ finding: f, nodeId, proxyNodeId }) => ({
    level: f.level, code: f.code, context: f.context, origin: f.origin, message: f.message, path: f.path, proxy: f.proxy,
    file: f.file, line: f.line, nodeId, proxyNodeId,
  }));
  items.sort((a, b) => LEVEL_ORDER[a.level] - LEVEL_ORDER[b.level]);
  return { items, counts };
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
    tp = problemsOnTree(roots, mesh, analyzeLoaded(input, mesh));
  } catch (err) {
    const message = `the checks failed, problem markers show the join's own findings only: ${err instanceof Error ? err.message : String(err)}`;
    tp = { items: [{ level: 'Error', code: 'checks', context: '-', origin: 'meshscope', message }], counts: problemCountsOf(roots) };
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
