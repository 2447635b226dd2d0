// Collects the steps of one trace segment.
import type { StepKind, TraceSide, TraceStep } from './types.js';

export class Recorder {
  readonly steps: TraceStep[] = [];

  constructor(readonly context: string, readonly depth: number, readonly segment: number, readonly proxy?: string) {}

  add(side: TraceSide, kind: StepKind, name: string, matched: boolean, reason: string, details?: Record<string, unknown>): TraceStep {
    const s: TraceStep = { side, kind, name, context: this.context, matched, reason, depth: this.depth, segment: this.segment };
    if (details && Object.keys(details).length > 0) s.details = details;
    if (side === 'envoy' && this.proxy) s.proxy = this.proxy;
    this.steps.push(s);
    return s;
  }

  /** Inserts a step right after `after` (used for disagreements, placed where intent and Envoy part). */
  insertAfter(after: TraceStep | undefined, step: TraceStep): void {
    const i = after ? this.steps.indexOf(after) : -1;
    if (i < 0) this.steps.push(step);
    else this.steps.splice(i + 1, 0, step);
  }
}

/** `a, b, c … (+N more)` */
export function listSome(items: string[], max = 6): string {
  if (items.length <= max) return items.join(', ');
  return `${items.slice(0, max).join(', ')} … (+${items.length - max} more)`;
}
