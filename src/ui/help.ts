// The `?` overlay: every key by section, laid out in as many columns as the width allows (one below 100 columns),
// descriptions word-wrapped under their own column, so nothing is cut mid-word. Pure.
import { COMMAND_HELP } from './commands.js';
import { fitLine, type Line, type Seg } from './format.js';
import { textWidth } from './text-width.js';
import { keyDefs, type KeyScope } from './keys.js';
import type { UiPlugin } from './types.js';

interface Entry { key: Seg[]; help: string }
interface Section { title: string; entries: Entry[]; /** Key column width (keys wider than it get a line of their own). */ keyWidth: number }

/** Keys up to this wide share a column; wider ones (":vs :dr :gw …") sit on their own line above the text. */
const MAX_KEY = 18;
const keyText = (e: Entry) => e.key.map((s) => s.text).join('');
const keyColumn = (entries: Entry[]) => Math.max(0, ...entries.map((e) => textWidth(keyText(e))).filter((w) => w <= MAX_KEY));

/** Below this width the help is one column; each further column needs about this much room. */
export const HELP_TWO_COLUMNS = 100;
const MIN_COLUMN = 48;
const GAP = 2;

function sections(plugins: UiPlugin[]): Section[] {
  const defs = keyDefs(plugins);
  const keys = (scope: KeyScope): Entry[] => defs.filter((d) => d.scope === scope).map((d) => ({ key: [{ text: d.keys, bold: true, color: 'cyan' }], help: d.help }));
  const badges: Entry[] = [
    { key: [{ text: '█████ 90%', color: 'cyan' }], help: 'route weight' },
    { key: [{ text: '3/3', color: 'green' }], help: 'healthy / total endpoints' },
    { key: [{ text: '✗', color: 'red' }, { text: ' ' }, { text: '⚠', color: 'yellow' }], help: 'error / warning' },
    { key: [{ text: '≠', color: 'magenta' }], help: 'intent / Envoy drift' },
    { key: [{ text: '↗', color: 'blue' }], help: 'link into another object or context (Enter follows)' },
  ];
  const commands = [...joined(keys('command')), ...COMMAND_HELP.map(([c, h]): Entry => ({ key: [{ text: c, bold: true, color: 'cyan' }], help: h }))];
  const plain: [string, Entry[]][] = [
    ['Everywhere', keys('global')], ['Tree', keys('tree')], ['Details pane', keys('details')],
  ];
  const search = joined(keys('search'));
  // The key sections share one key column, so their texts line up.
  const shared = keyColumn(plain.flatMap(([, e]) => e));
  return [
    ...plain.map(([title, entries]): Section => ({ title, entries, keyWidth: shared })),
    { title: 'Search (/)', entries: search, keyWidth: keyColumn(search) },
    { title: 'Command bar (:)', entries: commands, keyWidth: keyColumn(commands) },
    { title: 'Badges', entries: badges, keyWidth: keyColumn(badges) },
  ];
}

/** The few keys of a prompt (search, command bar) as one entry: "Enter ↑/↓ Esc  jump to …, choose …, cancel". */
function joined(entries: Entry[]): Entry[] {
  if (entries.length === 0) return [];
  const key: Seg[] = [];
  entries.forEach((e, i) => key.push(...(i > 0 ? [{ text: ' ' }] : []), ...e.key));
  return [{ key, help: entries.map((e) => e.help).join(', ') }];
}

/** Word-wraps `text` to `width` columns; a word longer than the width is split. */
export function wrapText(text: string, width: number): string[] {
  const w = Math.max(1, width);
  const out: string[] = [];
  let cur = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    let rest = word;
    while (textWidth(rest) > w) {
      if (cur) { out.push(cur); cur = ''; }
      const chars = [...rest];
      out.push(chars.slice(0, w).join(''));
      rest = chars.slice(w).join('');
    }
    if (!rest) continue;
    if (!cur) cur = rest;
    else if (textWidth(cur) + 1 + textWidth(rest) <= w) cur += ' ' + rest;
    else { out.push(cur); cur = rest; }
  }
  if (cur || out.length === 0) out.push(cur);
  return out;
}

function sectionLines(sec: Section, width: number): Line[] {
  const keyW = Math.min(sec.keyWidth, Math.max(6, Math.floor(width * 0.4)));
  const pad = ' '.repeat(2 + keyW + 2);
  const lines: Line[] = [[{ text: sec.title, bold: true, underline: true }]];
  for (const e of sec.entries) {
    const kw = textWidth(keyText(e));
    const wrapped = wrapText(e.help, width - pad.length);
    if (kw > keyW) lines.push(fitLine([{ text: '  ' }, ...e.key], width));
    else lines.push([{ text: '  ' }, ...e.key, { text: ' '.repeat(keyW - kw + 2) }, { text: wrapped.shift()! }]);
    for (const w of wrapped) lines.push([{ text: pad }, { text: w }]);
  }
  return lines;
}

/**
 * Puts the sections into `columns` columns (each keeps the sections' order, none is split) so that the tallest
 * column is as short as possible; ties go to the assignment that fills the first columns first.
 */
function balance(blocks: Line[][], columns: number, gaps: boolean): Line[][] {
  const n = blocks.length;
  let best: number[] | undefined;
  let bestH = Infinity;
  const assign = new Array<number>(n).fill(0);
  const heights = new Array<number>(columns).fill(0);
  const walk = (i: number) => {
    if (i === n) {
      const h = Math.max(...heights);
      if (h < bestH) { bestH = h; best = [...assign]; }
      return;
    }
    for (let c = 0; c < columns; c++) {
      const add = blocks[i]!.length + (gaps && heights[c]! > 0 ? 1 : 0);
      if (heights[c]! + add >= bestH) continue;
      heights[c]! += add;
      assign[i] = c;
      walk(i + 1);
      heights[c]! -= add;
    }
  };
  walk(0);
  const cols: Line[][] = Array.from({ length: columns }, () => []);
  blocks.forEach((b, i) => {
    const col = cols[best![i]!]!;
    if (col.length > 0 && gaps) col.push([{ text: '' }]);
    col.push(...b);
  });
  return cols.filter((c) => c.length > 0);
}

export interface HelpView {
  lines: Line[];
  /** The largest useful scroll offset (0 when everything fits). */
  maxTop: number;
}

/** The help overlay, `height` lines tall and at most `width` columns wide, scrolled to `top`. */
export function helpView(plugins: UiPlugin[], width: number, height: number, top: number): HelpView {
  const columns = width < HELP_TWO_COLUMNS ? 1 : Math.max(2, Math.min(3, Math.floor((width + GAP) / (MIN_COLUMN + GAP + 12))));
  const colW = Math.floor((width - GAP * (columns - 1)) / columns);
  const blocks = sections(plugins).map((s) => sectionLines(s, colW));
  const room = Math.max(1, height - 1);
  // A blank line between sections, unless leaving them out is what makes the help fit without scrolling.
  let cols = balance(blocks, columns, true);
  if (Math.max(...cols.map((c) => c.length)) > room) cols = balance(blocks, columns, false);
  const rows = Math.max(...cols.map((c) => c.length));
  const body: Line[] = [];
  for (let r = 0; r < rows; r++) {
    const line: Line = [];
    cols.forEach((c, i) => {
      const cell = c[r] ?? [{ text: '' }];
      if (i > 0) line.push({ text: ' '.repeat(GAP) });
      line.push(...fitLine(cell, colW, i < cols.length - 1));
    });
    body.push(line);
  }
  const maxTop = Math.max(0, body.length - room);
  const start = Math.max(0, Math.min(top, maxTop));
  const where = maxTop > 0 ? `  lines ${start + 1}-${Math.min(body.length, start + room)} of ${body.length}, j/k PgUp/PgDn scroll` : '';
  const title: Line = fitLine([{ text: ' Keys ', bold: true, inverse: true }, { text: '  any other key closes' + where, dim: true }], width);
  const lines = [title, ...body.slice(start, start + room)];
  while (lines.length < height) lines.push([{ text: '' }]);
  return { lines: lines.slice(0, height), maxTop };
}
