// The one-line answer a trace opens with: where the request ends up (or where it fails) and whether Envoy agrees,
// naming the proxy where intent and Envoy part. Pure; the text is sanitized.
import { sanitizeLine } from '../core/sanitize.js';
import type { Trace, TraceStep } from './types.js';

const NOT_FAILURES = new Set(['rule', 'route', 'virtual-service', 'gateway-server', 'note', 'virtual-host', 'filter-chain']);

/**
 * Intent destinations of the segments the request ends in, with their context: those with no hop onwards to a segment
 * that routes again (a destination ztunnel only delivers, so a waypoint's destinations stay final).
 */
function finalDestinations(t: Trace): string[] {
  const routes = new Set(t.steps.filter((s) => s.side === 'intent' && s.kind === 'destination').map((s) => s.segment));
  const parents = new Set(t.segments.filter((s) => routes.has(s.index)).map((s) => s.parent).filter((p): p is number => p !== undefined));
  const out: string[] = [];
  for (const s of t.steps) {
    if (s.side !== 'intent' || s.kind !== 'destination' || !s.matched || parents.has(s.segment)) continue;
    const share = /^(\d+(?:\.\d+)?%)/.exec(s.reason)?.[1];
    const label = `${s.name.replace(/ port \d+$/, '')}${share && share !== '100%' ? ` ${share}` : ''}${s.depth > 0 || t.segments.length > 1 ? ` [${s.context}]` : ''}`;
    if (!out.includes(label)) out.push(label);
  }
  return out;
}

function where(s: TraceStep): string {
  return `${s.side} ${s.kind} ${s.name}${s.proxy ? ` on ${s.proxy}` : ''} [${s.context}]`;
}

export function traceVerdict(t: Trace): string {
  const first = t.disagreements[0];
  const fail = t.steps.find((s) => !s.matched && !NOT_FAILURES.has(s.kind) && s.kind !== 'disagreement');
  let goes: string;
  if (fail) goes = `✗ the request fails at ${where(fail)}: ${fail.reason}`;
  else {
    const dests = finalDestinations(t);
    goes = dests.length ? `✓ goes to ${dests.join(', ')}` : '✓ routed';
  }
  let envoy: string;
  if (first) envoy = `Envoy disagrees on ${first.proxy ?? 'the proxy'} [${first.context}]: ${first.name}: ${first.reason}`;
  else {
    const unchecked = t.segments.filter((s) => !s.proxy).map((s) => s.context);
    envoy = unchecked.length ? `Envoy not checked in ${[...new Set(unchecked)].join(', ')} (no config dump)` : 'Envoy agrees';
  }
  return sanitizeLine(`verdict: ${goes}; ${envoy}`);
}
