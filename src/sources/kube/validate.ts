// The same type checks as snapshot files (sources/shape.ts), for objects as they are listed or watched: a live
// object with a field of the wrong type (a CRD without a schema, a conversion webhook gone wrong) is skipped and
// reported as a located load issue naming the context, the object and the field, instead of crashing the join.
import type { ContextSnapshot, LoadIssue } from '../../model/context.js';
import type { KubeObject } from '../../model/resources.js';
import { shapeProblem } from '../shape.js';

const SKIPPED = '; object skipped';

function objectName(obj: KubeObject): string {
  const m = (obj.metadata ?? {}) as { name?: unknown; namespace?: unknown };
  const ns = typeof m.namespace === 'string' && m.namespace ? `${m.namespace}/` : '';
  return `${String(obj.kind)} ${ns}${typeof m.name === 'string' ? m.name : JSON.stringify(m.name ?? null)}`;
}

/** Undefined when meshscope can use the object; else the issue that says which field is wrong. */
export function liveShapeIssue(context: string, obj: KubeObject): LoadIssue | undefined {
  const wrong = obj && typeof obj === 'object' ? shapeProblem(obj as unknown as Record<string, unknown>) : 'not an object';
  if (!wrong) return undefined;
  return { context, severity: 'error', object: objectName(obj), message: `${wrong}${SKIPPED}` };
}

/**
 * For watch events: true when the object may enter the snapshot. A rejected object's issue is recorded once; an
 * accepted one clears an earlier rejection of the same object.
 */
export function admitLive(snap: ContextSnapshot, obj: KubeObject): boolean {
  const issue = liveShapeIssue(snap.name, obj);
  const name = objectName(obj);
  const isSkip = (i: LoadIssue) => i.object === name && i.message.endsWith(SKIPPED);
  if (!issue) {
    if (snap.issues.some(isSkip)) snap.issues = snap.issues.filter((i) => !isSkip(i));
    return true;
  }
  snap.issues = [...snap.issues.filter((i) => !isSkip(i)), issue];
  return false;
}
