// `meshscope tree`: the joined mesh as an indented tree (text) or as nodes + edges (json).
import type { Command } from 'commander';
import { globalsOf } from './global.js';
import { UsageError } from '../core/errors.js';
import { formatLoadIssue } from '../model/context.js';
import { sanitizeLine, terminalSafeJson } from '../core/sanitize.js';

export function register(program: Command): void {
  program
    .command('tree')
    .description('print the joined mesh: contexts, namespaces, gateways, virtual services, rules, destinations, pods, Envoy')
    .option('--kind <kind>', 'only nodes of this kind (vs, dr, gw, se, svc, pod, rule, destination, cluster, dangling...) and the path to them')
    .option('-o, --output <format>', 'text or json', 'text')
    .action(async function (this: Command) {
      const o = this.opts() as { kind?: string; output: string };
      if (o.output !== 'text' && o.output !== 'json') throw new UsageError(`unknown output format "${o.output}": use -o text or -o json`);
      const { normalizeKind, filterByKind, filterByNamespace, renderTreeText } = await import('../mesh/tree-format.js');
      const kind = o.kind === undefined ? undefined : normalizeKind(o.kind);
      if (o.kind !== undefined && !kind) throw new UsageError(`unknown kind "${o.kind}" for --kind (try vs, dr, gw, se, svc, pod, rule, destination, cluster, dangling)`);
      const { loadMesh } = await import('../sources/load.js');
      const { joinMesh } = await import('../mesh/join.js');
      const { buildMeshTree } = await import('../mesh/tree.js');
      // Load every namespace so references across namespaces still resolve; -n narrows what is printed.
      const globals = globalsOf(this);
      const input = await loadMesh({ ...globals, namespace: undefined });
      for (const c of input.contexts) for (const i of c.issues) process.stderr.write(`${sanitizeLine(formatLoadIssue(i))}\n`);
      // No context loaded: exit 1 with the reasons. Some failed or partial: say so on stderr and show the rest.
      const { requireLoaded, loadWarnings } = await import('../sources/load-check.js');
      requireLoaded(input);
      for (const w of loadWarnings(input)) process.stderr.write(`${w}\n`);
      const mesh = joinMesh(input);
      let roots = buildMeshTree(mesh);
      // The analyzers' findings go on their nodes too, with the same codes and levels as `meshscope analyze`.
      (await import('../app/problems.js')).treeProblems(input, mesh, roots);
      if (globals.namespace) roots = filterByNamespace(roots, globals.namespace);
      if (kind) roots = filterByKind(roots, kind);
      if (o.output === 'json') {
        const doc = {
          contexts: input.contexts.map((c) => ({ name: c.name, status: c.status, reason: c.reason, issues: c.issues })),
          nodes: roots,
          edges: mesh.graph.edges,
          dangling: mesh.dangling().map((e) => ({ kind: e.kind, from: e.from, to: e.to, reason: e.dangling })),
        };
        process.stdout.write(`${terminalSafeJson(JSON.stringify(doc, null, 2))}\n`);
        return;
      }
      process.stdout.write(renderTreeText(roots));
    });
}
