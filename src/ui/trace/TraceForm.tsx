// The `t` overlay: a small form (host, port, path, method, headers), then the trace result, scrollable.
// State lives in reducer.ts; the trace itself runs in the onRun callback (no I/O and no mesh logic here).
import React, { useEffect, useRef, useState } from 'react';
import { Box, Text, useInput, useStdin, useStdout } from 'ink';
import type { Trace } from '../../trace/types.js';
import { isNonMatch, traceResultLines } from './result-lines.js';
import { sanitizeLine } from '../../core/sanitize.js';
import {
  FIELDS, FIELD_LABELS, formInput, formKey, initForm, runFinished, wrapLine, type TraceFormInput, type TraceFormState, type TraceFormValues,
} from './reducer.js';

export interface TraceFormProps {
  /** Where the request starts, shown in the title, e.g. "cluster-a · sidecar default/productpage-v1-…". */
  source: string;
  /** Pre-filled fields (e.g. a host taken from the selected node). */
  initial?: Partial<TraceFormValues>;
  /** Runs the trace (the caller calls traceRequest on its mesh). A string is an error shown under the form. */
  onRun(input: TraceFormInput): Promise<Trace | string> | Trace | string;
  /** Esc on the form, or q on the result. */
  onClose(): void;
  /** Result rows visible at once (default 20). */
  height?: number;
  /** Columns available for the overlay (default: the terminal's); result lines wrap inside it. */
  width?: number;
  /** Defaults to stdin raw-mode support (useInput throws without a TTY). */
  isActive?: boolean;
  noColor?: boolean;
}

const HINTS: Record<string, string> = {
  host: 'service, FQDN or external host',
  port: "default: the host's port (80 on gateways)",
  path: 'path and ?query',
  method: 'GET, POST…',
  headers: 'k=v, k2=v2',
};

function ResultLine({ line, noColor }: { line: string; noColor: boolean }) {
  const i = line.search(/[✓✗]/);
  if (isNonMatch(line)) return <Text wrap="truncate" dimColor>{line}</Text>;
  if (noColor || i < 0) return <Text wrap="truncate">{line}</Text>;
  const bad = line[i] === '✗';
  const disagreement = line.includes('DISAGREEMENT') || /^result: ✗ intent and Envoy disagree/.test(line);
  return (
    <Text wrap="truncate">
      {line.slice(0, i)}
      <Text color={bad ? 'red' : 'green'} bold={disagreement}>{line[i]}</Text>
      <Text color={disagreement ? 'yellow' : undefined} bold={disagreement}>{line.slice(i + 1)}</Text>
    </Text>
  );
}

export function TraceForm(props: TraceFormProps) {
  const { isRawModeSupported } = useStdin();
  const height = props.height ?? 20;
  const { stdout } = useStdout();
  const inner = (props.width ?? stdout?.columns ?? 80) - 4;
  const noColor = Boolean(props.noColor);
  const [state, setState] = useState<TraceFormState>(() => initForm(props.initial));
  const ref = useRef(state);
  ref.current = state;
  const alive = useRef(true);
  useEffect(() => () => { alive.current = false; }, []);

  const run = async (values: TraceFormValues) => {
    const input = formInput(values);
    let outcome: { lines: string[]; ok: boolean } | string;
    if (typeof input === 'string') outcome = input;
    else {
      try {
        const r = await props.onRun(input);
        outcome = typeof r === 'string' ? sanitizeLine(r) : { lines: traceResultLines(r).flatMap((l) => wrapLine(l, inner)), ok: r.ok };
      } catch (err) {
        outcome = sanitizeLine(err instanceof Error ? err.message : String(err));
      }
    }
    if (!alive.current) return;
    const next = runFinished(ref.current, outcome);
    ref.current = next;
    setState(next);
  };

  useInput((input, key) => {
    const { state: next, effect } = formKey(ref.current, input, key, height);
    ref.current = next;
    setState(next);
    if (effect === 'close') props.onClose();
    else if (effect === 'run') void run(next.values);
  }, { isActive: props.isActive ?? Boolean(isRawModeSupported) });

  const title = `trace from ${sanitizeLine(props.source)}`;
  if (state.mode === 'result' && state.result) {
    const lines = state.result.lines;
    const shown = lines.slice(state.scroll, state.scroll + height);
    return (
      <Box flexDirection="column" borderStyle="round" paddingX={1}>
        <Text bold>
          {title} <Text dimColor>(lines {lines.length === 0 ? 0 : state.scroll + 1}-{state.scroll + shown.length} of {lines.length})</Text>
        </Text>
        {shown.map((l, i) => <ResultLine key={state.scroll + i} line={l} noColor={noColor} />)}
        <Text dimColor>↑↓/PgUp/PgDn scroll · e or Esc: edit the request · Enter: run again · q: close</Text>
      </Box>
    );
  }
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1}>
      <Text bold>{title}</Text>
      {FIELDS.map((f, i) => {
        const focused = i === state.focus && state.mode === 'form';
        const value = sanitizeLine(state.values[f]);
        return (
          <Text key={f} wrap="truncate">
            <Text color={focused && !noColor ? 'cyan' : undefined} bold={focused}>{focused ? '›' : ' '} {FIELD_LABELS[f].padEnd(8)}</Text>
            {value}
            {focused ? <Text inverse> </Text> : null}
            {!value ? <Text dimColor> {HINTS[f]}</Text> : null}
          </Text>
        );
      })}
      {state.mode === 'running' ? <Text color={noColor ? undefined : 'yellow'}>tracing…</Text> : null}
      {state.error ? <Text color={noColor ? undefined : 'red'}>{sanitizeLine(state.error)}</Text> : null}
      <Text dimColor>Enter: trace · Tab/↑↓: field · Ctrl-U: clear field · Esc: close</Text>
    </Box>
  );
}
