// The weight editor as a pure reducer: state + event → state + effect descriptor. Keys move focus and values
// (editorKey), the edit and its copies are planned here, and the I/O steps (apply, prepare the undo, close) come out
// as effects that use-weight-editor.ts runs through its callbacks. No I/O, no Ink.
import { drain, evenSplit, getRule, listRules, nudge, resolveRule, setWeight } from '../../edit/planner.js';
import { prepareEdit, valuesForCopy, type ContextResult, type EditTarget, type PreparedEdit } from '../../edit/prepare.js';
import type { RuleRef, RuleView, RuleValues } from '../../edit/types.js';
import { sanitizeLine } from '../../core/sanitize.js';
import { copyRouteRule, isRouteKind, routeRules } from '../../edit/gateway-api-weights.js';

export type EditorMode = 'edit' | 'confirm' | 'busy' | 'result' | 'undo-loading' | 'undo-confirm';

export interface EditorState {
  rule: RuleView;
  weights: number[];
  mirrors: number[];
  locked: boolean[];
  /** Row in focus: destinations first, then mirror rows. */
  focus: number;
  /** Digits typed so far and the weights before typing began (rebalancing always starts from them). */
  typing?: { buffer: string; base: number[]; baseMirrors: number[] };
  mode: EditorMode;
  /** Which copies (in other contexts) the apply includes, by index. */
  copySelected: boolean[];
  /** Progress lines while applying, e.g. "cluster-a: dry run…". */
  progress: string[];
  results?: ContextResult[];
  undo?: PreparedEdit[];
  /** The undo whose results are shown (its rows show the undo's before → after, not the edit's). */
  undone?: PreparedEdit[];
  /** One-line message (why a key did nothing, undo problems). */
  message?: string;
  /** Gateway API weights: proportions, each row changed on its own (no rebalancing to 100). */
  proportional?: boolean;
  /** Gateway API: `f` allows every backendRef at 0 (istiod then answers 500 / refuses connections). */
  force?: boolean;
}

/** The undo the editor shows now (confirming, applying or its results), for the target's context; else undefined. */
export function shownUndo(s: EditorState, context: string): PreparedEdit | undefined {
  const list = s.mode === 'undo-confirm' || s.mode === 'busy' ? s.undo : s.mode === 'result' ? s.undone : undefined;
  return list?.find((p) => p.target.context === context) ?? list?.[0];
}

export interface KeyInfo {
  leftArrow?: boolean; rightArrow?: boolean; upArrow?: boolean; downArrow?: boolean;
  return?: boolean; escape?: boolean; ctrl?: boolean; tab?: boolean;
}

/** What a key asks for beyond the state: nothing, or one of the I/O steps (weightEditorStep turns it into an effect). */
export type KeyEffect = 'none' | 'apply' | 'prepare-undo' | 'apply-undo' | 'close';

/** Focus starts on the given destination, else on the smallest non-zero weight (usually the canary). */
export function initialFocus(rule: RuleView, focus?: number): number {
  if (focus !== undefined && focus >= 0 && focus < rule.destinations.length + rule.mirrors.length) return focus;
  if (rule.destinations.length < 2) return rule.destinations.length === 0 && rule.mirrors.length > 0 ? 0 : 0;
  let best = 0;
  let bestW = Infinity;
  rule.destinations.forEach((d, i) => { if (d.effective > 0 && d.effective <= bestW) { best = i; bestW = d.effective; } });
  return best;
}

export function initEditor(rule: RuleView, copies: number, focus?: number, proportional?: boolean): EditorState {
  return {
    ...(proportional ? { proportional: true } : {}),
    rule,
    weights: rule.destinations.map((d) => (Number.isFinite(d.effective) ? d.effective : 0)),
    mirrors: rule.mirrors.map((m) => (Number.isFinite(m.effective) ? m.effective : 100)),
    locked: rule.destinations.map(() => false),
    focus: initialFocus(rule, focus),
    mode: 'edit',
    copySelected: Array.from({ length: copies }, () => true),
    progress: [],
  };
}

export function valuesOf(s: EditorState): RuleValues {
  return { weights: s.weights, mirrors: s.mirrors };
}

export function isChanged(s: EditorState): boolean {
  return s.rule.destinations.some((d, i) => d.effective !== s.weights[i]) || s.rule.mirrors.some((m, i) => m.effective !== s.mirrors[i]);
}

const rows = (s: EditorState) => s.rule.destinations.length + s.rule.mirrors.length;
const onMirror = (s: EditorState) => s.focus >= s.rule.destinations.length;
const clampPct = (v: number) => Math.max(0, Math.min(100, v));
const MAX_PROPORTION = 1_000_000;

/** Gateway API: the focused backendRef's weight alone changes; the others keep theirs. */
function setProportion(s: EditorState, value: number, base = s.weights): EditorState {
  const weights = [...base];
  weights[s.focus] = Math.max(0, Math.min(MAX_PROPORTION, value));
  return { ...s, weights, message: undefined };
}

function proportionKey(s: EditorState, input: string, key: KeyInfo): EditorState | undefined {
  if (/^[0-9]$/.test(input) && (input !== '0' || s.typing)) {
    const t = s.typing ?? { buffer: '', base: s.weights, baseMirrors: s.mirrors };
    let buffer = t.buffer + input;
    if (Number(buffer) > MAX_PROPORTION) buffer = input;
    return { ...setProportion(s, Number(buffer), t.base), typing: { ...t, buffer } };
  }
  const st: EditorState = { ...s, typing: undefined };
  if (key.leftArrow || key.rightArrow || input === '[' || input === ']') {
    const delta = key.leftArrow ? -1 : key.rightArrow ? 1 : input === '[' ? -10 : 10;
    return setProportion(st, st.weights[st.focus]! + delta);
  }
  if (input === '0') return setProportion(st, 0);
  if (input === '=') return { ...st, weights: st.weights.map(() => 1), message: undefined };
  if (input === 'l') return { ...st, message: 'weights are proportions: the other backendRefs keep theirs, nothing to lock' };
  if (input === 'f') return { ...st, force: !st.force, message: undefined };
  return undefined;
}

function setFocused(s: EditorState, value: (cur: number) => number, base = s.weights, baseMirrors = s.mirrors): EditorState {
  if (onMirror(s)) {
    const i = s.focus - s.rule.destinations.length;
    const mirrors = [...baseMirrors];
    mirrors[i] = clampPct(value(baseMirrors[i]));
    return { ...s, mirrors, message: undefined };
  }
  return { ...s, weights: setWeight(base, s.locked, s.focus, value(base[s.focus])), message: undefined };
}

function typed(s: EditorState, digit: string): EditorState {
  const t = s.typing ?? { buffer: '', base: s.weights, baseMirrors: s.mirrors };
  let buffer = t.buffer + digit;
  if (Number(buffer) > 100) buffer = digit;
  const next = setFocused({ ...s, typing: undefined }, () => Number(buffer), t.base, t.baseMirrors);
  return { ...next, typing: { ...t, buffer } };
}

/** Edit-mode keys. `readOnly` (a reason) blocks `a` and `u` but not exploring values. */
export function editKey(s: EditorState, input: string, key: KeyInfo, readOnly?: string): [EditorState, KeyEffect] {
  if (s.proportional) {
    const p = proportionKey(s, input, key);
    if (p) return [p, 'none'];
  }
  const digit = /^[0-9]$/.test(input) ? input : undefined;
  if (digit !== undefined && (digit !== '0' || s.typing)) return [typed(s, digit), 'none'];
  const st: EditorState = { ...s, typing: undefined };
  if (key.escape || input === 'q') return [st, 'close'];
  if (key.upArrow || input === 'k') return [{ ...st, focus: (st.focus - 1 + rows(st)) % Math.max(1, rows(st)), message: undefined }, 'none'];
  if (key.downArrow || input === 'j' || key.tab) return [{ ...st, focus: (st.focus + 1) % Math.max(1, rows(st)), message: undefined }, 'none'];
  if (key.leftArrow || key.rightArrow || input === '[' || input === ']') {
    const delta = key.leftArrow ? -1 : key.rightArrow ? 1 : input === '[' ? -10 : 10;
    if (onMirror(st)) return [setFocused(st, (c) => c + delta), 'none'];
    return [{ ...st, weights: nudge(st.weights, st.locked, st.focus, delta), message: undefined }, 'none'];
  }
  if (input === '0') {
    if (onMirror(st)) return [setFocused(st, () => 0), 'none'];
    return [{ ...st, weights: drain(st.weights, st.locked, st.focus), message: undefined }, 'none'];
  }
  if (input === '=') return [{ ...st, weights: evenSplit(st.weights, st.locked), message: undefined }, 'none'];
  if (input === 'l') {
    if (onMirror(st)) return [{ ...st, message: 'mirror percentages are independent: nothing to lock' }, 'none'];
    const locked = [...st.locked];
    locked[st.focus] = !locked[st.focus];
    return [{ ...st, locked, message: undefined }, 'none'];
  }
  if (input === 'r') return [{ ...initEditor(st.rule, st.copySelected.length, st.focus, st.proportional), copySelected: st.copySelected }, 'none'];
  if (input === 'a') {
    if (readOnly) return [{ ...st, message: readOnly }, 'none'];
    if (!isChanged(st)) return [{ ...st, message: 'nothing changed yet' }, 'none'];
    return [{ ...st, mode: 'confirm', message: undefined }, 'none'];
  }
  if (input === 'u') {
    if (readOnly) return [{ ...st, message: readOnly }, 'none'];
    return [{ ...st, mode: 'undo-loading', message: undefined }, 'prepare-undo'];
  }
  return [st, 'none'];
}

/** Confirmation keys: y/Enter apply, n/Esc back; 1-9 toggle a copy in another context. */
export function confirmKey(s: EditorState, input: string, key: KeyInfo): [EditorState, KeyEffect] {
  if (input === 'y' || key.return) return [{ ...s, mode: 'busy', progress: [] }, s.mode === 'undo-confirm' ? 'apply-undo' : 'apply'];
  if (input === 'n' || key.escape || input === 'q') return [{ ...s, mode: 'edit', undo: undefined }, 'none'];
  if (s.mode === 'confirm' && /^[1-9]$/.test(input)) {
    const i = Number(input) - 1;
    if (i < s.copySelected.length) {
      const copySelected = [...s.copySelected];
      copySelected[i] = !copySelected[i];
      return [{ ...s, copySelected }, 'none'];
    }
  }
  return [s, 'none'];
}

/** Any key in the result view closes the editor (the tree refreshes); `u` prepares an undo instead. */
export function resultKey(s: EditorState, input: string): [EditorState, KeyEffect] {
  if (input === 'u') return [{ ...s, mode: 'undo-loading', message: undefined }, 'prepare-undo'];
  return [s, 'close'];
}

export function editorKey(s: EditorState, input: string, key: KeyInfo, readOnly?: string): [EditorState, KeyEffect] {
  switch (s.mode) {
    case 'edit': return editKey(s, input, key, readOnly);
    case 'confirm':
    case 'undo-confirm': return confirmKey(s, input, key);
    case 'result': return resultKey(s, input);
    default: return [s, 'none'];
  }
}

// ---- the whole editor: the rule, the planned edit and its copies, and the effects of each event ----

export interface WeightEditorSetup {
  /** The object to edit, with the text its diff is made of. */
  target: EditTarget;
  /** The rule: a RuleRef, a name or index string ("http/1"); default: the first rule with a choice to make. */
  rule?: RuleRef | string;
  /** Row to focus first (destination index); default: the smallest non-zero weight. */
  focus?: number;
  /** The same VirtualService in other loaded contexts, offered (pre-selected) in the confirmation. */
  copies?: EditTarget[];
  /** Why editing is disabled; `a` and `u` refuse with it. */
  readOnly?: string;
}

/** A copy of the edit in another context, or why it cannot be made. */
export interface CopyPlan { target: EditTarget; prep?: PreparedEdit; problem?: string }

export interface WeightEditorState {
  target: EditTarget;
  copies: EditTarget[];
  readOnly?: string;
  /** The editor, or why the rule cannot be edited (then any key closes). */
  editor: EditorState | string;
  /** The edit the current values make (its diff is shown on every key), or why they cannot be written. */
  prepared?: PreparedEdit | string;
  /** The copies in the confirmation, planned when it opens. */
  copyPlans: CopyPlan[];
}

export type WeightEditorEvent =
  | { type: 'key'; input: string; key: KeyInfo }
  | { type: 'progress'; context: string; stage: 'dry-run' | 'write' | 'done' }
  /** The apply (or undo) ran: per-context results, or the message of what threw. */
  | { type: 'applied'; results: ContextResult[] }
  | { type: 'apply-failed'; message: string }
  /** The undo is ready to confirm, or why there is none. */
  | { type: 'undo-prepared'; result: PreparedEdit[] | string };

/** What the binding must do: nothing, dry run and write `preps`, prepare the undo, or close (with results after a write). */
export type WeightEditorEffect =
  | { type: 'none' }
  | { type: 'apply'; preps: PreparedEdit[] }
  | { type: 'prepare-undo' }
  | { type: 'close'; results?: ContextResult[] };

const NONE: WeightEditorEffect = { type: 'none' };

/** The rule to edit, or why there is none. */
export function chooseRule(target: EditTarget, rule?: RuleRef | string): RuleView | string {
  if (isRouteKind(target.object.kind)) {
    const rules = routeRules(target.object);
    const ref = typeof rule === 'object' ? rule : undefined;
    if (ref) return rules.find((r) => r.ref.index === ref.index) ?? `${target.object.kind} ${target.object.metadata.name} has no rule ${ref.index} with backendRefs`;
    return rules.find((r) => r.destinations.length > 1) ?? rules[0] ?? `${target.object.kind} ${target.object.metadata.name} has no rule with backendRefs`;
  }
  try {
    if (rule && typeof rule === 'object') return getRule(target.object, rule);
    if (typeof rule === 'string') return resolveRule(target.object, rule);
  } catch (err) {
    return (err as Error).message;
  }
  // No rule named: the first one with a choice to make (several destinations or a mirror), else the first.
  const rules = listRules(target.object);
  return rules.find((r) => r.destinations.length > 1 || r.mirrors.length > 0) ?? rules[0] ?? 'the VirtualService has no http, tcp or tls rules';
}

function prepare(target: EditTarget, s: EditorState): PreparedEdit | string {
  try {
    return prepareEdit(target, s.rule, valuesOf(s), { force: s.force });
  } catch (err) {
    return (err as Error).message;
  }
}

/** The same values for each copy: the rule found by name (else by position), destinations matched by host/subset/port (routes: backendRef and port). */
export function planCopies(s: EditorState, copies: EditTarget[]): CopyPlan[] {
  return copies.map((target) => {
    try {
      const rule = isRouteKind(target.object.kind) ? copyRouteRule(target.object, s.rule)
        : s.rule.name ? resolveRule(target.object, s.rule.name) : getRule(target.object, s.rule.ref);
      const values = valuesForCopy(s.rule, valuesOf(s), rule);
      if (typeof values === 'string') return { target, problem: values };
      return { target, prep: prepareEdit(target, rule, values, { force: s.force }) };
    } catch (err) {
      return { target, problem: (err as Error).message };
    }
  });
}

export function initWeightEditor(setup: WeightEditorSetup): WeightEditorState {
  const copies = setup.copies ?? [];
  const rule = chooseRule(setup.target, setup.rule);
  const editor = typeof rule === 'string' ? rule : initEditor(rule, copies.length, setup.focus, isRouteKind(setup.target.object.kind));
  return {
    target: setup.target, copies, readOnly: setup.readOnly, editor,
    prepared: typeof editor === 'string' ? undefined : prepare(setup.target, editor), copyPlans: [],
  };
}

/** The editor after a change: the edit re-planned when the values changed, the copies when the confirmation opens. */
function withEditor(w: WeightEditorState, next: EditorState): WeightEditorState {
  const prev = w.editor as EditorState;
  const valuesChanged = next.rule !== prev.rule || next.weights !== prev.weights || next.mirrors !== prev.mirrors || next.force !== prev.force;
  const prepared = valuesChanged ? prepare(w.target, next) : w.prepared;
  const copyPlans = next.mode === 'confirm' ? (prev.mode === 'confirm' && !valuesChanged ? w.copyPlans : planCopies(next, w.copies)) : w.copyPlans;
  return { ...w, editor: next, prepared, copyPlans };
}

const back = (s: EditorState, message: string): EditorState => ({ ...s, mode: 'edit', message });

/** One event: the next state and what the binding must do. */
export function weightEditorStep(w: WeightEditorState, event: WeightEditorEvent): [WeightEditorState, WeightEditorEffect] {
  const s = w.editor;
  if (typeof s === 'string') return [w, event.type === 'key' ? { type: 'close' } : NONE];
  switch (event.type) {
    case 'key': {
      const [next, effect] = editorKey(s, event.input, event.key, w.readOnly);
      const nw = withEditor(w, next);
      if (effect === 'close') return [nw, { type: 'close', results: next.results }];
      if (effect === 'prepare-undo') return [nw, { type: 'prepare-undo' }];
      if (effect === 'apply-undo') return [nw, { type: 'apply', preps: next.undo ?? [] }];
      if (effect === 'apply') {
        const p = nw.prepared;
        if (typeof p !== 'object') return [withEditor(nw, back(next, typeof p === 'string' ? p : 'nothing to apply')), NONE];
        const copies = nw.copyPlans.filter((c, i) => next.copySelected[i] && c.prep).map((c) => c.prep as PreparedEdit);
        return [nw, { type: 'apply', preps: [p, ...copies] }];
      }
      return [nw, NONE];
    }
    case 'progress':
      if (event.stage === 'done') return [w, NONE];
      return [withEditor(w, { ...s, progress: [...s.progress, `${sanitizeLine(event.context)}: ${event.stage === 'dry-run' ? 'server-side dry run' : 'writing'}…`] }), NONE];
    case 'applied':
      return [withEditor(w, { ...s, mode: 'result', results: event.results, undo: undefined, undone: s.undo }), NONE];
    case 'apply-failed':
      return [withEditor(w, { ...s, mode: 'result', results: [{ context: w.target.context, ok: false, stage: 'write', reason: 'error', message: event.message }] }), NONE];
    case 'undo-prepared':
      if (typeof event.result === 'string') return [withEditor(w, back(s, event.result)), NONE];
      return [withEditor(w, { ...s, mode: 'undo-confirm', undo: event.result }), NONE];
  }
}
