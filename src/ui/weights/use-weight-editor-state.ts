// Pure state of the weight editor: focus, weights, locks, typed digits, modes. No I/O, no Ink.
import { drain, evenSplit, nudge, setWeight } from '../../edit/planner.js';
import type { RuleView, RuleValues } from '../../edit/types.js';
import type { ContextResult, PreparedEdit } from '../../edit/prepare.js';

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
  /** One-line message (why a key did nothing, undo problems). */
  message?: string;
}

export interface KeyInfo {
  leftArrow?: boolean; rightArrow?: boolean; upArrow?: boolean; downArrow?: boolean;
  return?: boolean; escape?: boolean; ctrl?: boolean; tab?: boolean;
}

/** What the component must do after a key: nothing, or one of the I/O steps (handed to callbacks). */
export type EditorEffect = 'none' | 'apply' | 'prepare-undo' | 'apply-undo' | 'close';

/** Focus starts on the given destination, else on the smallest non-zero weight (usually the canary). */
export function initialFocus(rule: RuleView, focus?: number): number {
  if (focus !== undefined && focus >= 0 && focus < rule.destinations.length + rule.mirrors.length) return focus;
  if (rule.destinations.length < 2) return rule.destinations.length === 0 && rule.mirrors.length > 0 ? 0 : 0;
  let best = 0;
  let bestW = Infinity;
  rule.destinations.forEach((d, i) => { if (d.effective > 0 && d.effective <= bestW) { best = i; bestW = d.effective; } });
  return best;
}

export function initEditor(rule: RuleView, copies: number, focus?: number): EditorState {
  return {
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
export function editKey(s: EditorState, input: string, key: KeyInfo, readOnly?: string): [EditorState, EditorEffect] {
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
  if (input === 'r') return [{ ...initEditor(st.rule, st.copySelected.length, st.focus), copySelected: st.copySelected }, 'none'];
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
export function confirmKey(s: EditorState, input: string, key: KeyInfo): [EditorState, EditorEffect] {
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
export function resultKey(s: EditorState, input: string): [EditorState, EditorEffect] {
  if (input === 'u') return [{ ...s, mode: 'undo-loading', message: undefined }, 'prepare-undo'];
  return [s, 'close'];
}

export function editorKey(s: EditorState, input: string, key: KeyInfo, readOnly?: string): [EditorState, EditorEffect] {
  switch (s.mode) {
    case 'edit': return editKey(s, input, key, readOnly);
    case 'confirm':
    case 'undo-confirm': return confirmKey(s, input, key);
    case 'result': return resultKey(s, input);
    default: return [s, 'none'];
  }
}
