// The `!` overlay: every finding, most severe first; Enter jumps to the offending object. State in reducer.ts.
import React, { useRef, useState } from 'react';
import { Box, Text, useInput, useStdin, useStdout } from 'ink';
import { sanitizeLine } from '../../core/sanitize.js';
import { fit } from '../format.js';
import { textWidth } from '../text-width.js';
import { initProblemList, problemListKey, type ProblemItem, type ProblemLevel, type ProblemListState } from './reducer.js';

export interface ProblemListProps {
  items: readonly ProblemItem[];
  onJump(item: ProblemItem): void;
  /** `t`: trace a request through the finding's object. */
  onTrace?(item: ProblemItem): void;
  onClose(): void;
  /** Columns available (default: the terminal's). */
  width?: number;
  /** List rows visible at once (default: what fits the terminal). */
  height?: number;
  /** Defaults to stdin raw-mode support (useInput throws without a TTY). */
  isActive?: boolean;
  noColor?: boolean;
}

const LEVEL_COLOR: Record<ProblemLevel, 'red' | 'yellow' | 'gray'> = { Error: 'red', Warning: 'yellow', Info: 'gray' };

/** "3 errors, 1 warning" */
export function summary(items: readonly ProblemItem[]): string {
  const n = (level: ProblemLevel, word: string) => {
    const c = items.filter((i) => i.level === level).length;
    return c ? `${c} ${word}${c === 1 ? '' : 's'}` : '';
  };
  return [n('Error', 'error'), n('Warning', 'warning'), n('Info', 'info')].filter(Boolean).join(', ');
}

/** One list row, already cut to `width`: level, code, context, origin, message. */
export function problemRow(p: ProblemItem, widths: { context: number; origin: number }, width: number): string {
  const cols = [
    p.level.padEnd(7),
    `[${sanitizeLine(p.code)}]`.padEnd(9),
    fit(sanitizeLine(p.context), widths.context).padEnd(widths.context),
    fit(sanitizeLine(p.origin), widths.origin).padEnd(widths.origin),
    sanitizeLine(p.message),
  ];
  return fit(cols.join(' '), width);
}

export function columnWidths(items: readonly ProblemItem[], width: number): { context: number; origin: number } {
  const max = (f: (p: ProblemItem) => string, cap: number) => Math.min(cap, Math.max(1, ...items.map((p) => textWidth(sanitizeLine(f(p))))));
  return { context: max((p) => p.context, Math.max(8, Math.floor(width / 8))), origin: max((p) => p.origin, Math.max(12, Math.floor(width / 3))) };
}

/** The selected problem in full: where it is, then its message wrapped to `width` (at most `rows` lines). */
export function detailLines(p: ProblemItem | undefined, width: number, rows = 3): string[] {
  if (!p) return [];
  const where = [
    p.path ? `path ${sanitizeLine(p.path)}` : '',
    p.file ? `${sanitizeLine(p.file)}${p.line ? `:${p.line}` : ''}` : '',
    p.proxy ? `proxy ${sanitizeLine(p.proxy)}` : '',
    p.nodeId ? '' : 'no tree node for this object',
  ].filter(Boolean).join(' · ');
  const out: string[] = [];
  if (where) out.push(fit(where, width));
  const words = sanitizeLine(p.message).split(' ');
  let line = '';
  for (const w of words) {
    if (line && textWidth(line) + 1 + textWidth(w) > width) {
      out.push(line);
      line = '';
    }
    line = line ? `${line} ${w}` : w;
  }
  if (line) out.push(line);
  return out.slice(0, rows + (where ? 1 : 0)).map((l) => fit(l, width));
}

export function ProblemList(props: ProblemListProps) {
  const { isRawModeSupported } = useStdin();
  const { stdout } = useStdout();
  const width = Math.max(20, (props.width ?? stdout?.columns ?? 80) - 4);
  const height = Math.max(3, props.height ?? (stdout?.rows ?? 24) - 15);
  const noColor = Boolean(props.noColor);
  const [state, setState] = useState<ProblemListState>(() => initProblemList(props.items));
  const ref = useRef(state);
  ref.current = state;

  useInput((input, key) => {
    const { state: next, effect } = problemListKey(ref.current, input, key, height);
    ref.current = next;
    setState(next);
    if (effect.type === 'close') props.onClose();
    else if (effect.type === 'jump') props.onJump(effect.item);
    else if (effect.type === 'trace') props.onTrace?.(effect.item);
  }, { isActive: props.isActive ?? Boolean(isRawModeSupported) });

  const items = state.items;
  const widths = columnWidths(items, width);
  const shown = items.slice(state.top, state.top + height);
  const more = items.length > height ? ` ${state.top + 1}-${state.top + shown.length} of ${items.length}` : '';
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1}>
      <Text bold wrap="truncate">
        Problems ({items.length}){items.length ? `: ${summary(items)}` : ''}<Text dimColor>{more}</Text>
      </Text>
      {items.length === 0 ? <Text dimColor>no problems: every check passed on the loaded contexts</Text> : null}
      {shown.map((p, i) => {
        const at = state.top + i;
        const selected = at === state.sel;
        const row = problemRow(p, widths, width - 2);
        const level = row.slice(0, 7);
        return (
          <Text key={at} wrap="truncate" inverse={selected}>
            {selected ? '› ' : '  '}
            <Text color={noColor ? undefined : LEVEL_COLOR[p.level]} bold={p.level === 'Error'}>{level}</Text>
            {row.slice(7)}
          </Text>
        );
      })}
      {items.length > 0 ? <Text> </Text> : null}
      {detailLines(items[state.sel], width).map((l, i) => (
        <Text key={`d${i}`} wrap="truncate" dimColor={i === 0}>{l}</Text>
      ))}
      <Text dimColor wrap="truncate">↑↓/j k: move · Enter: go to the object and its field · t: trace through it · Esc: close</Text>
    </Box>
  );
}
