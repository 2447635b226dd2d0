// The weight editor overlay: destinations with current → new weight and a bar, a live diff on every keystroke,
// confirm → dry run → write → result with the new resourceVersion, and undo. All I/O comes in through callbacks.
import React, { useMemo, useRef, useState } from 'react';
import { Box, Text, useInput, useStdin } from 'ink';
import { destLabel, getRule, listRules, resolveRule } from '../../edit/planner.js';
import { prepareEdit, valuesForCopy, type ContextResult, type EditTarget, type PreparedEdit, type Progress } from '../../edit/prepare.js';
import { bar, changeSummary, resultLine } from '../../edit/report.js';
import type { RuleRef, RuleView } from '../../edit/types.js';
import { sanitizeLine } from '../../core/sanitize.js';
import { editorKey, initEditor, valuesOf, type EditorEffect, type EditorState } from './reducer.js';
import { DiffView } from './DiffView.js';

export interface WeightEditorProps {
  /** The object to edit, with the text its diff is made of (src/edit: targetOf / snapshotTarget / liveTarget). */
  target: EditTarget;
  /** The rule: a RuleRef, a name or index string ("http/1"); default: the first rule with a choice to make. */
  rule?: RuleRef | string;
  /** Row to focus first (destination index); default: the smallest non-zero weight, usually the canary. */
  focus?: number;
  /** The same VirtualService in other loaded contexts: offered (pre-selected) in the confirmation. */
  copies?: EditTarget[];
  /** Why editing is disabled (read-only flag or config); shown, and `a`/`u` refuse. */
  readOnly?: string;
  /** Dry run then write every edit; returns results per context. */
  onApply(preps: PreparedEdit[], progress: Progress): Promise<ContextResult[]>;
  /** The last applied edit reversed (or why not). Without it `u` says undo is unavailable. */
  onPrepareUndo?(): Promise<PreparedEdit[] | string>;
  /** Closed without applying. */
  onCancel(): void;
  /** Closed after an apply or undo ran (refresh the tree, flash the results). Defaults to onCancel. */
  onDone?(results: ContextResult[]): void;
  maxDiffLines?: number;
  /** Defaults to stdin raw-mode support (useInput throws without a TTY). */
  isActive?: boolean;
  noColor?: boolean;
}

function pickRule(target: EditTarget, rule?: RuleRef | string): RuleView | string {
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

interface CopyPlan { target: EditTarget; prep?: PreparedEdit; problem?: string }

function planCopies(state: EditorState, copies: EditTarget[]): CopyPlan[] {
  return copies.map((target) => {
    try {
      const rule = state.rule.name ? resolveRule(target.object, state.rule.name) : getRule(target.object, state.rule.ref);
      const values = valuesForCopy(state.rule, valuesOf(state), rule);
      if (typeof values === 'string') return { target, problem: values };
      return { target, prep: prepareEdit(target, rule, values) };
    } catch (err) {
      return { target, problem: (err as Error).message };
    }
  });
}

const where = (t: EditTarget) => `context ${sanitizeLine(t.context)}, namespace ${sanitizeLine(t.object.metadata.namespace ?? 'default')}, VirtualService ${sanitizeLine(t.object.metadata.name)}`;

export function WeightEditor(props: WeightEditorProps) {
  const { target, copies = [], readOnly, maxDiffLines = 14, noColor } = props;
  const { isRawModeSupported } = useStdin();
  const rule = useMemo(() => pickRule(target, props.rule), [target, props.rule]);
  const [state, setState] = useState<EditorState | undefined>(() => (typeof rule === 'string' ? undefined : initEditor(rule, copies.length, props.focus)));
  const ref = useRef(state);
  ref.current = state;
  const update = (fn: (s: EditorState) => EditorState) => setState((s) => { const n = s ? fn(s) : s; ref.current = n; return n; });

  const prepared = useMemo((): PreparedEdit | string | undefined => {
    if (!state) return undefined;
    try {
      return prepareEdit(target, state.rule, valuesOf(state));
    } catch (err) {
      return (err as Error).message;
    }
  }, [target, state?.rule, state?.weights, state?.mirrors]);

  const run = async (effect: EditorEffect, s: EditorState) => {
    const progress: Progress = (ctx, stage) => {
      if (stage !== 'done') update((x) => ({ ...x, progress: [...x.progress, `${sanitizeLine(ctx)}: ${stage === 'dry-run' ? 'server-side dry run' : 'writing'}…`] }));
    };
    if (effect === 'close') {
      if (s.results) (props.onDone ?? props.onCancel)(s.results);
      else props.onCancel();
    } else if (effect === 'apply' || effect === 'apply-undo') {
      let preps: PreparedEdit[];
      if (effect === 'apply-undo') preps = s.undo ?? [];
      else {
        if (typeof prepared !== 'object') return update((x) => ({ ...x, mode: 'edit', message: typeof prepared === 'string' ? prepared : 'nothing to apply' }));
        preps = [prepared, ...planCopies(s, copies).filter((c, i) => s.copySelected[i] && c.prep).map((c) => c.prep as PreparedEdit)];
      }
      try {
        const results = await props.onApply(preps, progress);
        update((x) => ({ ...x, mode: 'result', results, undo: undefined }));
      } catch (err) {
        update((x) => ({ ...x, mode: 'result', results: [{ context: target.context, ok: false, stage: 'write', reason: 'error', message: (err as Error).message }] }));
      }
    } else if (effect === 'prepare-undo') {
      if (!props.onPrepareUndo) return update((x) => ({ ...x, mode: 'edit', message: 'undo is not available here' }));
      try {
        const r = await props.onPrepareUndo();
        if (typeof r === 'string') update((x) => ({ ...x, mode: 'edit', message: r }));
        else update((x) => ({ ...x, mode: 'undo-confirm', undo: r }));
      } catch (err) {
        update((x) => ({ ...x, mode: 'edit', message: (err as Error).message }));
      }
    }
  };

  useInput((input, key) => {
    const s = ref.current;
    if (!s) { props.onCancel(); return; }
    const [next, effect] = editorKey(s, input, key, readOnly);
    ref.current = next;
    setState(next);
    if (effect !== 'none') void run(effect, next);
  }, { isActive: props.isActive ?? Boolean(isRawModeSupported) });

  if (!state || typeof rule === 'string') {
    return <Box flexDirection="column" borderStyle="round" paddingX={1}><Text color={noColor ? undefined : 'red'}>cannot edit weights: {sanitizeLine(typeof rule === 'string' ? rule : 'no rule')}</Text><Text dimColor>any key: close</Text></Box>;
  }
  const o = target.object;
  const title = `Edit weights  ${sanitizeLine(target.context)}  ${sanitizeLine(o.metadata.namespace ?? 'default')}/${sanitizeLine(o.metadata.name)}  ${sanitizeLine(state.rule.label)}`;
  const nDest = state.rule.destinations.length;
  const diffLines = typeof prepared === 'object' ? prepared.diff : [];
  const problem = typeof prepared === 'string' ? prepared : undefined;
  const copyPlans = state.mode === 'confirm' ? planCopies(state, copies) : [];

  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1}>
      <Text bold>{title}</Text>
      <Text dimColor wrap="truncate-end">{target.source === 'snapshot' ? `file ${sanitizeLine(target.textName)}` : `resourceVersion ${sanitizeLine(o.metadata.resourceVersion ?? '?')}`}  match: {sanitizeLine(state.rule.match)}</Text>
      {readOnly ? <Text color={noColor ? undefined : 'yellow'} bold>READ-ONLY: {sanitizeLine(readOnly)} (editing disabled)</Text> : null}
      {state.rule.destinations.map((d, i) => (
        <Text key={`d${i}`} inverse={state.mode === 'edit' && state.focus === i} wrap="truncate-end">
          {state.focus === i ? '▸ ' : '  '}
          {sanitizeLine(d.host).padEnd(22)} {sanitizeLine(d.subset ?? '-').padEnd(12)} {(d.port === undefined ? '' : sanitizeLine(String(d.port))).padEnd(5)}
          {String(d.effective).padStart(4)} → {String(state.weights[i]).padEnd(3)} {bar(state.weights[i], 20)}{state.locked[i] ? ' locked' : ''}
        </Text>
      ))}
      {state.rule.mirrors.map((m, j) => (
        <Text key={`m${j}`} inverse={state.mode === 'edit' && state.focus === nDest + j} wrap="truncate-end">
          {state.focus === nDest + j ? '▸ ' : '  '}mirror {sanitizeLine(destLabel(m)).padEnd(27)} {String(m.effective).padStart(4)}% → {state.mirrors[j]}%
        </Text>
      ))}
      {state.typing ? <Text dimColor>typing: {state.typing.buffer}</Text> : null}
      {problem ? <Text color={noColor ? undefined : 'red'}>{sanitizeLine(problem)}</Text> : null}
      {state.message ? <Text color={noColor ? undefined : 'yellow'}>{sanitizeLine(state.message)}</Text> : null}
      {state.mode === 'edit' ? (
        <>
          <Text dimColor>↑/↓ row  ←/→ ±1  [ ] ±10  digits type  = even  0 drain  l lock  r reset  {readOnly ? '' : 'a apply  u undo  '}esc close</Text>
          <DiffView lines={diffLines} maxLines={maxDiffLines} noColor={noColor} />
        </>
      ) : null}
      {state.mode === 'confirm' ? (
        <>
          <Text bold color={noColor ? undefined : 'yellow'}>Apply to {where(target)}?</Text>
          <Text>  {typeof prepared === 'object' ? changeSummary(prepared) : ''}</Text>
          {copyPlans.map((c, i) => (
            <Text key={`c${i}`}>  {c.prep ? `[${state.copySelected[i] ? 'x' : ' '}] ${i + 1} also ${sanitizeLine(c.target.context)}: ${changeSummary(c.prep)}` : `[-] ${sanitizeLine(c.target.context)}: cannot copy: ${sanitizeLine(c.problem ?? '')}`}</Text>
          ))}
          <DiffView lines={diffLines} maxLines={maxDiffLines} noColor={noColor} />
          <Text>y apply ({target.source === 'live' ? 'server-side dry run first, then write' : 'file checked unchanged, then written atomically'}){copies.length ? '  1-9 toggle a context' : ''}  n back</Text>
        </>
      ) : null}
      {state.mode === 'undo-loading' ? <Text>preparing undo…</Text> : null}
      {state.mode === 'undo-confirm' && state.undo ? (
        <>
          {state.undo.map((p, i) => (
            <Box key={`u${i}`} flexDirection="column">
              <Text bold color={noColor ? undefined : 'yellow'}>Undo in {where(p.target)} ({sanitizeLine(p.rule.label)}): {changeSummary(p)}?</Text>
              <DiffView lines={p.diff} maxLines={maxDiffLines} noColor={noColor} />
            </Box>
          ))}
          <Text>y undo (dry run first, then write)  n back</Text>
        </>
      ) : null}
      {state.mode === 'busy' ? (
        <>
          <Text>applying…</Text>
          {state.progress.map((p, i) => <Text key={`p${i}`} dimColor>{p}</Text>)}
        </>
      ) : null}
      {state.mode === 'result' && state.results ? (
        <>
          {state.results.map((r, i) => (
            <Text key={`r${i}`} color={noColor ? undefined : r.ok ? 'green' : 'red'} wrap="wrap">{r.ok ? '✓' : '✗'} {resultLine(r)}</Text>
          ))}
          <Text dimColor>any key: close{props.onPrepareUndo ? '  u undo' : ''}</Text>
        </>
      ) : null}
    </Box>
  );
}
