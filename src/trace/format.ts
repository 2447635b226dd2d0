// Text and JSON renderings of a Trace. Text: one step per line, indented per hop, ✓/✗ marks, sanitized.
import { sanitizeLine } from '../core/sanitize.js';
import type { Trace, TraceRequest, TraceStep } from './types.js';

export function describeRequest(r: TraceRequest): string {
  const from = r.from.kind === 'gateway' ? `gateway ${r.from.namespace}/${r.from.name}` : `pod ${r.from.namespace}/${r.from.name}`;
  const headers = Object.entries(r.headers ?? {}).map(([k, v]) => `${k}=${v}`).join(' ');
  const path = !r.path ? '/' : r.path.startsWith('/') ? r.path : `/${r.path}`;
  return `${(r.method ?? 'GET').toUpperCase()} ${r.sni ? 'tls' : 'http'}://${r.host}${r.port ? `:${r.port}` : ''}${path} from ${from} in ${r.context}${headers ? `, headers ${headers}` : ''}${r.sni ? `, SNI ${r.sni}` : ''}`;
}

export function stepLine(s: TraceStep): string {
  const mark = s.matched ? '✓' : '✗';
  const kind = s.kind === 'disagreement' ? 'DISAGREEMENT' : s.kind;
  return sanitizeLine(`${mark} ${kind.padEnd(15)} ${s.name}${s.reason ? `: ${s.reason}` : ''}`);
}

/** The whole trace as lines (no trailing newline). */
export function traceLines(t: Trace): string[] {
  const out: string[] = [sanitizeLine(`trace ${describeRequest(t.request)}`)];
  for (const seg of t.segments) {
    const pad = '    '.repeat(seg.depth);
    out.push(sanitizeLine(`${pad}${seg.via ? '↳ ' : ''}[${seg.context}] ${seg.title}${seg.via ? ` via ${seg.via}` : ''}`));
    let side = '';
    for (const s of seg.steps) {
      if (s.side !== side) {
        side = s.side;
        out.push(sanitizeLine(`${pad}  ${side === 'intent' ? 'intent (CRDs)' : (seg.proxy ? `envoy (${seg.proxy} config_dump)` : 'envoy (no config dump)')}`));
      }
      out.push(`${pad}    ${stepLine(s)}`);
    }
  }
  if (t.disagreements.length > 0) {
    out.push(`result: ✗ intent and Envoy disagree (${t.disagreements.length})`);
    for (const d of t.disagreements) out.push(sanitizeLine(`  ✗ [${d.context}${d.proxy ? ` ${d.proxy}` : ''}] ${d.name}: ${d.reason}`));
  } else if (!t.ok) {
    const firstFail = t.steps.find((s) => !s.matched && !['rule', 'route', 'virtual-service', 'gateway-server', 'note'].includes(s.kind));
    out.push(sanitizeLine(`result: ✗ the request fails${firstFail ? ` at ${firstFail.side} ${firstFail.kind} ${firstFail.name} [${firstFail.context}]` : ''}`));
  } else {
    const unchecked = t.segments.filter((s) => !s.proxy).map((s) => `${s.context} ${s.title}`);
    out.push(sanitizeLine(unchecked.length > 0
      ? `result: ✓ intent routes the request; Envoy not checked for ${unchecked.join(', ')} (no config dump)`
      : 'result: ✓ intent and Envoy agree'));
  }
  return out;
}

export function renderTraceText(t: Trace): string {
  return `${traceLines(t).join('\n')}\n`;
}

/** JSON document: exact data, not sanitized. */
export function traceJson(t: Trace): unknown {
  return {
    request: t.request,
    ok: t.ok,
    segments: t.segments.map((s) => ({ index: s.index, depth: s.depth, context: s.context, parent: s.parent, title: s.title, via: s.via, proxy: s.proxy })),
    steps: t.steps,
    disagreements: t.disagreements,
  };
}
