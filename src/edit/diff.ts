// Unified diff (before → after) as structured lines, rendered as coloured text for the CLI or as rows for Ink.
import { structuredPatch } from 'diff';
import { sanitizeLine } from '../core/sanitize.js';

export type DiffLineKind = 'header' | 'hunk' | 'context' | 'add' | 'remove';

export interface DiffLine {
  kind: DiffLineKind;
  text: string;
}

/** Unified diff lines of two texts; empty when they are equal. Every line is sanitized for display. */
export function unifiedDiff(before: string, after: string, name: string, context = 3): DiffLine[] {
  if (before === after) return [];
  const patch = structuredPatch(name, name, before, after, 'before', 'after', { context });
  const out: DiffLine[] = [
    { kind: 'header', text: `--- ${sanitizeLine(name)} (before)` },
    { kind: 'header', text: `+++ ${sanitizeLine(name)} (after)` },
  ];
  for (const h of patch.hunks) {
    out.push({ kind: 'hunk', text: `@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@` });
    for (const l of h.lines) {
      if (l.startsWith('\\')) continue;
      const kind: DiffLineKind = l[0] === '+' ? 'add' : l[0] === '-' ? 'remove' : 'context';
      out.push({ kind, text: l[0] + sanitizeLine(l.slice(1)) });
    }
  }
  return out;
}

const COLORS: Record<DiffLineKind, [string, string]> = {
  header: ['\x1b[1m', '\x1b[22m'],
  hunk: ['\x1b[36m', '\x1b[39m'],
  context: ['', ''],
  add: ['\x1b[32m', '\x1b[39m'],
  remove: ['\x1b[31m', '\x1b[39m'],
};

/** Text for a terminal; colour only when asked (callers honour NO_COLOR and non-TTY output). */
export function renderDiff(lines: DiffLine[], color: boolean): string {
  return lines.map((l) => (color ? `${COLORS[l.kind][0]}${l.text}${COLORS[l.kind][1]}` : l.text)).join('\n') + (lines.length ? '\n' : '');
}

/** Counts of changed lines, e.g. to assert that only the weight lines changed. */
export function changedLines(lines: DiffLine[]): { added: string[]; removed: string[] } {
  return {
    added: lines.filter((l) => l.kind === 'add').map((l) => l.text.slice(1)),
    removed: lines.filter((l) => l.kind === 'remove').map((l) => l.text.slice(1)),
  };
}
