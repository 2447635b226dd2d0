// The selection marker: `›` in the row's first column when it is blank, else in front of the row.
import type { Line } from './format.js';

export const SELECTION_MARKER = '›';

export function withSelectionMarker(line: Line): Line {
  const first = line[0];
  if (first && first.text.startsWith(' ')) return [{ ...first, text: SELECTION_MARKER + first.text.slice(1) }, ...line.slice(1)];
  return [{ text: SELECTION_MARKER }, ...line];
}
