// Where a route rule's traffic ends up, for its details page: the rule's request (its first match) traced from a
// client pod (src/trace/start-for-node.ts), across hops into other contexts, down to the endpoints. Pure.
import type { Mesh } from '../mesh/join.js';
import type { TreeNode } from '../mesh/tree-types.js';
import { traceStartFor } from './start-for-node.js';
import { traceOrMessage } from './trace.js';

export interface RuleEndpointLine { text: string; mark: '✓' | '✗' }

/** Per final destination: `[context] host.ns subset (ready/total …)`, then one line per endpoint (address pod). */
export function ruleEndpointLines(mesh: Mesh, node: TreeNode): { title: string; lines: RuleEndpointLine[] } | undefined {
  if (node.kind !== 'rule') return undefined;
  const start = traceStartFor(mesh, node);
  if (!start || typeof start === 'string' || !start.initial.host) return undefined;
  const headers: Record<string, string> = {};
  for (const pair of (start.initial.headers ?? '').split(',')) {
    const m = /^\s*([^=\s]+)=(.*)$/.exec(pair);
    if (m) headers[m[1]!] = m[2]!.trim();
  }
  const t = traceOrMessage(mesh, {
    context: start.context, from: start.from, host: start.initial.host, port: start.initial.port ? Number(start.initial.port) : undefined,
    path: start.initial.path, method: start.initial.method, headers,
  });
  if (typeof t === 'string') return undefined;
  const parents = new Set(t.segments.map((s) => s.parent).filter((p): p is number => p !== undefined));
  const lines: RuleEndpointLine[] = [];
  for (const seg of t.segments) {
    if (parents.has(seg.index)) continue;
    const steps = t.steps.filter((s) => s.segment === seg.index && s.side === 'intent');
    let dest = '';
    for (const s of steps) {
      if (s.kind === 'destination') dest = s.name.replace(/ port \d+$/, '').replace(/\.svc\.cluster\.local\b/, '').replace(' subset ', ' ');
      if (s.kind !== 'endpoints') continue;
      // "1/1 ready: 10.244.0.13:9080 reviews-v2-…, …": the count on the destination's line, one endpoint per line.
      const at = s.reason.indexOf(': ');
      const count = at >= 0 ? s.reason.slice(0, at) : s.reason;
      lines.push({ mark: s.matched ? '✓' : '✗', text: `[${s.context}] ${dest} (${count})` });
      const eps = at >= 0 ? s.reason.slice(at + 2).split(', ') : [];
      for (const ep of eps.slice(0, 5)) lines.push({ mark: s.matched ? '✓' : '✗', text: `  ${ep}` });
      if (eps.length > 5) lines.push({ mark: s.matched ? '✓' : '✗', text: `  …and ${eps.length - 5} more` });
    }
  }
  const from = start.from.kind === 'pod' ? `pod ${start.from.namespace}/${start.from.name}` : `gateway ${start.from.namespace}/${start.from.name}`;
  return { title: `Ends at (traced from ${from}${start.initial.headers ? `, ${start.initial.headers}` : ''})`, lines };
}
