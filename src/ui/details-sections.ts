// Renders NodeDetails.sections: a bold title, then one line per item, coloured by its mark; items with a target are
// jump entries (Enter in the details pane goes there).
import { sanitizeLine } from '../core/sanitize.js';
import type { Color, DLine, Line } from './format.js';
import type { DetailsSection } from './types.js';

const COLOR: Record<string, Color> = { '✓': 'green', '✗': 'red', '⚠': 'yellow', '≠': 'magenta', '⊘': 'red', i: 'gray', '·': 'gray' };

export function sectionLines(sections: DetailsSection[] | undefined): DLine[] {
  const out: DLine[] = [];
  for (const s of sections ?? []) {
    out.push({ line: [{ text: '' }] }, { line: [{ text: sanitizeLine(s.title), bold: true, underline: true }] });
    for (const it of s.items) {
      const line: Line = [];
      if (it.mark) line.push({ text: `${it.mark} `, color: COLOR[it.mark], bold: it.mark === '✗' || it.mark === '≠' });
      line.push({ text: sanitizeLine(it.text), color: it.targetId ? undefined : it.mark ? undefined : 'gray' });
      if (it.targetId) line.push({ text: ' ↗', color: 'blue', keep: true });
      out.push({ line, target: it.targetId });
    }
  }
  return out;
}
