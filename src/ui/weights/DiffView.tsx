// A unified diff, coloured: removals red, additions green, hunk headers cyan. Lines arrive sanitized (src/edit/diff.ts).
import React from 'react';
import { Box, Text } from 'ink';
import type { DiffLine } from '../../edit/diff.js';

export interface DiffViewProps {
  lines: DiffLine[];
  /** At most this many lines (hunks first; file headers are dropped when space is short). */
  maxLines?: number;
  noColor?: boolean;
}

const COLOR: Record<DiffLine['kind'], string | undefined> = { header: undefined, hunk: 'cyan', context: undefined, add: 'green', remove: 'red' };

export function DiffView({ lines, maxLines = 18, noColor }: DiffViewProps) {
  if (lines.length === 0) return <Text dimColor>(no change)</Text>;
  const body = lines.length > maxLines ? lines.filter((l) => l.kind !== 'header') : lines;
  const shown = body.slice(0, maxLines);
  const more = body.length - shown.length;
  return (
    <Box flexDirection="column">
      {shown.map((l, i) => (
        <Text key={i} color={noColor ? undefined : COLOR[l.kind]} bold={l.kind === 'header'} wrap="truncate-end">{l.text || ' '}</Text>
      ))}
      {more > 0 ? <Text dimColor>… {more} more diff lines</Text> : null}
    </Box>
  );
}
