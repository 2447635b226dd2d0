// Join bench: load the large generated snapshot, then join it and build the tree.
// Budget: join + tree ≤ 1.0 × load time; peak RSS ≤ 1.5 GB.
import type { Report } from './run.js';
import { ensureLargeSnapshot } from './gen-large-snapshot.js';
import { loadSnapshotFolder } from '../../src/sources/snapshot.js';
import { joinMesh } from '../../src/mesh/join.js';
import { buildMeshTree } from '../../src/mesh/tree.js';
import type { TreeNode } from '../../src/mesh/tree-types.js';

const RSS_BUDGET_MB = 1536;

/** Nodes reachable without materialising a lazy subtree (group nodes hold their objects already). */
function countBuilt(roots: TreeNode[]): number {
  let n = 0;
  const stack = [...roots];
  while (stack.length > 0) {
    const x = stack.pop()!;
    n++;
    if (x.kind === 'context' || x.kind === 'namespace' || x.kind === 'group') for (const c of x.children) stack.push(c);
  }
  return n;
}

function count(roots: TreeNode[]): number {
  let n = 0;
  const stack = [...roots];
  while (stack.length > 0) {
    const x = stack.pop()!;
    n++;
    for (const c of x.children) stack.push(c);
  }
  return n;
}

export async function run(report: Report): Promise<void> {
  const dir = ensureLargeSnapshot();
  const t0 = performance.now();
  const input = await loadSnapshotFolder(dir);
  const load = performance.now() - t0;
  const objects = input.contexts.reduce((s, c) => s + c.objects.length, 0);
  report({ name: `join: load ${input.contexts.length} contexts, ${objects} objects`, value: load, unit: 'ms' });

  const t1 = performance.now();
  const mesh = joinMesh(input);
  const tree = buildMeshTree(mesh);
  const joinTree = performance.now() - t1;
  const built = countBuilt(tree);
  report({ name: `join: join + tree (${built} nodes built; object subtrees on first access)`, value: joinTree, unit: 'ms', ratio: joinTree / load, reference: 'load' });

  // What `meshscope tree`, search over every node and the TUI's index pay on top: every lazy subtree materialised.
  const t2 = performance.now();
  const nodes = count(tree);
  const walk = performance.now() - t2;
  report({ name: `join: materialise and walk the whole tree (${nodes} nodes)`, value: walk, unit: 'ms', ratio: (joinTree + walk) / load, reference: 'load, join + tree + walk' });

  const peakMb = process.resourceUsage().maxRSS / 1024;
  report({ name: 'join: peak RSS (whole tree materialised)', value: peakMb, unit: 'MB', ratio: peakMb / RSS_BUDGET_MB, reference: '1.5 GB budget' });
}
