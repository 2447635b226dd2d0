// Pure side of an edit: the object to edit (EditTarget), the planned change with its diff (PreparedEdit), the
// per-context outcome types, and the callbacks the TUI's weight editor is given (the I/O is in sources/edit/).
import type { KubeObject, VirtualServiceSpec } from '../model/resources.js';
import type { ObjectRefKey } from '../mesh/tree-types.js';
import type { FieldEdit, FileRead, RuleValues, RuleView } from './types.js';
import { planEdits } from './planner.js';
import { isRouteKind, planRouteWeights } from './gateway-api-weights.js';
import { destinationLabel } from '../mesh/destination-label.js';
import { editYamlText, objectYaml, type DocLocation } from './yaml-edit.js';
import { unifiedDiff, type DiffLine } from './diff.js';

export type VirtualService = KubeObject<VirtualServiceSpec>;

/** One object to edit, with the text its diff is computed on. */
export interface EditTarget {
  context: string;
  source: 'live' | 'snapshot';
  /** The object as loaded: its resourceVersion is the live precondition. */
  object: VirtualService;
  /** The snapshot file, or the object's YAML for a live object. */
  text: string;
  /** Name shown in the diff header: the file path, or context/namespace/name. */
  textName: string;
  loc: DocLocation;
  /** Snapshot only: the file as read (its hash is the write's precondition). */
  file?: FileRead;
}

export class TargetError extends Error {}

/** A live object: the diff is of its YAML (managedFields dropped). */
export function liveTarget(context: string, object: VirtualService): EditTarget {
  return { context, source: 'live', object, text: objectYaml(object), textName: `${context}/${object.metadata.namespace ?? 'default'}/${object.metadata.name}`, loc: { docIndex: 0 } };
}

/** A planned change of one rule in one target, with its diff. */
export interface PreparedEdit {
  target: EditTarget;
  rule: RuleView;
  values: RuleValues;
  edits: FieldEdit[];
  after: string;
  diff: DiffLine[];
  action: 'set' | 'undo';
  undoOf?: string;
}

/** Pure: validates the values and computes the new text and its diff. Throws PlanError / YamlEditError. */
export function prepareEdit(target: EditTarget, rule: RuleView, values: RuleValues, opts: { action?: 'set' | 'undo'; undoOf?: string; restore?: boolean; force?: boolean } = {}): PreparedEdit {
  // Gateway API routes: proportions (planRouteWeights); an undo restores what was there, all-zero included.
  const edits = isRouteKind(target.object.kind)
    ? planRouteWeights(target.object, rule, values.weights, { force: opts.force || opts.restore })
    : planEdits(rule, values, { restore: opts.restore });
  const after = editYamlText(target.text, target.loc, edits);
  return { target, rule, values, edits, after, diff: unifiedDiff(target.text, after, target.textName), action: opts.action ?? 'set', undoOf: opts.undoOf };
}

export type FailureReason = 'read-only' | 'stale' | 'conflict' | 'invalid' | 'rejected' | 'forbidden' | 'not-found' | 'unknown' | 'error' | 'aborted';

export type ContextResult =
  | { context: string; ok: true; dryRun: boolean; noop: boolean; resourceVersionAfter?: string; file?: string; message: string }
  | { context: string; ok: false; stage: 'policy' | 'dry-run' | 'write'; reason: FailureReason; message: string; current?: RuleView };

export type Progress = (context: string, stage: 'dry-run' | 'write' | 'done') => void;

/** The same weights for a copy of the VirtualService in another context (destinations matched by host/subset/port). */
export function valuesForCopy(from: RuleView, values: RuleValues, copy: RuleView): RuleValues | string {
  const key = (d: { host: string; subset?: string; port?: number | string }) => `${d.host}|${d.subset ?? ''}|${d.port ?? ''}`;
  if (copy.destinations.length !== from.destinations.length) return `rule ${copy.label} has ${copy.destinations.length} destinations, not ${from.destinations.length}`;
  const byKey = new Map(from.destinations.map((d, i) => [key(d), values.weights[i]]));
  const weights: number[] = [];
  for (const d of copy.destinations) {
    const w = byKey.get(key(d));
    if (w === undefined) return `destination ${destinationLabel(d)} of rule ${copy.label} is not in the edited rule`;
    weights.push(w);
  }
  const mirrors = copy.mirrors.map((m, i) => (from.mirrors[i] && destinationLabel(from.mirrors[i]) === destinationLabel(m) ? values.mirrors[i] : m.effective));
  return { weights, mirrors };
}

/** What the TUI's weight editor may do beyond planning: every call does I/O, so app/ provides it (app/weights-env.ts). */
export interface WeightsEditorEnv {
  /** The VirtualService behind a tree node, with its copies in the other loaded contexts; or why it cannot be edited. */
  open(ref: ObjectRefKey): { target: EditTarget; copies: EditTarget[]; copyProblems: string[] } | string;
  /** Why writing to this context is refused (--read-only, config), or undefined. */
  readOnly(context: string): string | undefined;
  /** Dry run every edit, then write each; per-context results. */
  apply(preps: PreparedEdit[], progress?: Progress): Promise<ContextResult[]>;
  /** The last applied edit (of this source) reversed, ready to confirm; or why there is nothing to undo. */
  prepareUndo(): Promise<PreparedEdit[] | string>;
}
