// The weight editor overlay: destinations with current → new weight and a bar, a live diff on every keystroke,
// confirm → dry run → write → result with the new resourceVersion, and undo. It renders the state of
// use-weight-editor.ts; all I/O comes in through callbacks.
import React from 'react';
import { Box, Text } from 'ink';
import type { EditTarget } from '../../edit/prepare.js';
import { bar, changeSummary, resultLine } from '../../edit/report.js';
import type { RuleRef } from '../../edit/types.js';
import { destinationLabel } from '../../mesh/destination-label.js';
import { sanitizeLine } from '../../core/sanitize.js';
import { useWeightEditor, type WeightEditorCallbacks } from './use-weight-editor.js';
import { shownUndo } from './use-weight-editor-state.js';
import { DiffView } from './DiffView.js';
import { shares } from '../../edit/gateway-api-weights.js';

export interface WeightEditorProps extends WeightEditorCallbacks {
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
  maxDiffLines?: number;
  /** Defaults to stdin raw-mode support (useInput throws without a TTY). */
  isActive?: boolean;
  noColor?: boolean;
}

const where = (t: EditTarget) => `context ${sanitizeLine(t.context)}, namespace ${sanitizeLine(t.object.metadata.namespace ?? 'default')}, ${sanitizeLine(t.object.kind)} ${sanitizeLine(t.object.metadata.name)}`;

export function WeightEditor(props: WeightEditorProps) {
  const { target, copies = [], maxDiffLines = 14, noColor } = props;
  const w = useWeightEditor({ target, rule: props.rule, focus: props.focus, copies, readOnly: props.readOnly }, props, props.isActive);
  const { editor: state, prepared, readOnly } = w;
  if (typeof state === 'string') {
    return <Box flexDirection="column" borderStyle="round" paddingX={1}><Text color={noColor ? undefined : 'red'}>cannot edit weights: {sanitizeLine(state)}</Text><Text dimColor>any key: close</Text></Box>;
  }
  const o = target.object;
  const title = `Edit weights  ${sanitizeLine(target.context)}  ${sanitizeLine(o.metadata.namespace ?? 'default')}/${sanitizeLine(o.metadata.name)}  ${sanitizeLine(state.rule.label)}`;
  const nDest = state.rule.destinations.length;
  const diffLines = typeof prepared === 'object' ? prepared.diff : [];
  const problem = typeof prepared === 'string' ? prepared : undefined;
  const copyPlans = state.mode === 'confirm' ? w.copyPlans : [];
  // While an undo is confirmed, applied or reported, the rows are the undo's: now → restored.
  const undo = shownUndo(state, target.context);
  const rows = undo
    ? { destinations: undo.rule.destinations, weights: undo.values.weights, mirrors: undo.rule.mirrors, mirrorValues: undo.values.mirrors }
    : { destinations: state.rule.destinations, weights: state.weights, mirrors: state.rule.mirrors, mirrorValues: state.mirrors };
  const width = Math.max(12, ...state.rule.destinations.map((d) => sanitizeLine(destinationLabel(d)).length));
  // Gateway API: weights are proportions; each row shows the weight as written and its share, before → after.
  const before = shares(rows.destinations.map((d) => (Number.isFinite(d.effective) ? d.effective : 0)));
  const after = shares(rows.weights.map((w) => w ?? 0));
  const allZero = state.proportional && rows.weights.every((w) => w === 0);

  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1}>
      <Text bold>{title}</Text>
      <Text dimColor wrap="truncate-end">{target.source === 'snapshot' ? `file ${sanitizeLine(target.textName)}` : `resourceVersion ${sanitizeLine(o.metadata.resourceVersion ?? '?')}`}  match: {sanitizeLine(state.rule.match)}</Text>
      {readOnly ? <Text color={noColor ? undefined : 'yellow'} bold>READ-ONLY: {sanitizeLine(readOnly)} (editing disabled)</Text> : null}
      {undo ? <Text dimColor>undo: what the rule runs now → what the undo restores</Text> : null}
      {state.proportional ? <Text dimColor>backendRef weights are proportions: each gets weight ÷ sum; an unset weight is 1</Text> : null}
      {state.proportional ? rows.destinations.map((d, i) => (
        <Text key={`d${i}`} inverse={state.mode === 'edit' && state.focus === i} wrap="truncate-end">
          {!undo && state.focus === i ? '▸ ' : '  '}
          {sanitizeLine(destinationLabel(d)).padEnd(width)}{' '}
          weight {d.raw === undefined ? '(unset) 1' : String(d.effective)} → {String(rows.weights[i]).padEnd(4)} {`${before[i]}% → ${after[i]}%`.padEnd(16)} {bar(after[i] ?? 0, 20)}
        </Text>
      )) : rows.destinations.map((d, i) => (
        <Text key={`d${i}`} inverse={state.mode === 'edit' && state.focus === i} wrap="truncate-end">
          {!undo && state.focus === i ? '▸ ' : '  '}
          {sanitizeLine(destinationLabel(d)).padEnd(width)}{' '}
          {String(d.effective).padStart(4)} → {String(rows.weights[i]).padEnd(3)} {bar(rows.weights[i] ?? 0, 20)}{!undo && state.locked[i] ? ' locked' : ''}
        </Text>
      ))}
      {rows.mirrors.map((m, j) => (
        <Text key={`m${j}`} inverse={state.mode === 'edit' && state.focus === nDest + j} wrap="truncate-end">
          {!undo && state.focus === nDest + j ? '▸ ' : '  '}mirror {sanitizeLine(destinationLabel(m)).padEnd(27)} {String(m.effective).padStart(4)}% → {rows.mirrorValues[j]}%
        </Text>
      ))}
      {state.typing ? <Text dimColor>typing: {state.typing.buffer}</Text> : null}
      {problem ? <Text color={noColor ? undefined : 'red'}>{sanitizeLine(allZero ? problem.replace(/; set it anyway with --all-zero$/, '') : problem)}</Text> : null}
      {allZero ? <Text color={noColor ? undefined : 'yellow'}>{state.force ? 'forced: every backendRef at 0 (f to undo the force)' : 'f forces it anyway'}</Text> : null}
      {state.message ? <Text color={noColor ? undefined : 'yellow'}>{sanitizeLine(state.message)}</Text> : null}
      {state.mode === 'edit' ? (
        <>
          {state.proportional
            ? <Text dimColor>↑/↓ row  ←/→ ±1  [ ] ±10  digits type  = all 1  0 zero  f force all-zero  r reset  {readOnly ? '' : 'a apply  u undo  '}esc close</Text>
            : <Text dimColor>↑/↓ row  ←/→ ±1  [ ] ±10  digits type  = even  0 drain  l lock  r reset  {readOnly ? '' : 'a apply  u undo  '}esc close</Text>}
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
