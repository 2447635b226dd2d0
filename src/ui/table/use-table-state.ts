// A proxy-config table as a tool: its row filter (`/`), the drill-down trail (Enter: listener → routes → clusters →
// endpoints, Esc goes back) and a row's raw JSON (`J`). A pure reducer; app-state.ts binds it to the details pane.
import type { ProxyTab, ProxyTable } from '../types.js';

/** Rows shown after a drill: those whose key is one of `keys`; `label` says where they came from. */
export interface TablePin { keys: string[]; label: string }

export interface TableState {
  filter: string;
  /** `/` was pressed: keys edit the filter until Enter (keep) or Esc (clear). */
  typing: boolean;
  pin?: TablePin;
  /** The table row whose raw JSON replaces the table. */
  raw?: number;
  /** Where each drill started, for Esc. */
  trail: TableStop[];
}

export interface TableStop { tab: ProxyTab; filter: string; pin?: TablePin; cursor: number; top: number }

export const EMPTY_TABLE: TableState = { filter: '', typing: false, trail: [] };

export type TableAction =
  | { type: 'startFilter' }
  | { type: 'char'; input: string }
  | { type: 'backspace' }
  | { type: 'endFilter'; keep: boolean }
  | { type: 'drill'; from: TableStop; pin: TablePin }
  | { type: 'back' }
  | { type: 'raw'; row: number | undefined };

export function tableReducer(s: TableState, a: TableAction): TableState {
  switch (a.type) {
    case 'startFilter': return { ...s, typing: true, raw: undefined };
    case 'char': return { ...s, filter: s.filter + a.input };
    case 'backspace': return s.filter === '' ? { ...s, typing: false } : { ...s, filter: [...s.filter].slice(0, -1).join('') };
    case 'endFilter': return { ...s, typing: false, filter: a.keep ? s.filter : '' };
    case 'drill': return { filter: '', typing: false, pin: a.pin, trail: [...s.trail.slice(-49), a.from] };
    case 'back': {
      if (s.raw !== undefined) return { ...s, raw: undefined };
      const last = s.trail[s.trail.length - 1];
      if (last) return { filter: last.filter, typing: false, pin: last.pin, trail: s.trail.slice(0, -1) };
      return s.filter || s.pin ? { ...s, filter: '', pin: undefined } : s;
    }
    case 'raw': return { ...s, raw: a.row, typing: false };
  }
}

/** Esc has something to undo in the table (raw JSON, a drill, a filter) before it goes back in history. */
export function tableHasBack(s: TableState): boolean {
  return s.raw !== undefined || s.trail.length > 0 || s.filter !== '' || s.pin !== undefined;
}

const hayCache = new WeakMap<ProxyTable, string[]>();
/** Each row's cells, lower-cased and joined: what the filter scans. */
function hay(t: ProxyTable): string[] {
  let h = hayCache.get(t);
  if (!h) hayCache.set(t, (h = t.rows.map((r) => r.join('  ').toLowerCase())));
  return h;
}

const rowsCache = new WeakMap<ProxyTable, { filter: string; pin?: TablePin; rows: Int32Array }>();

/** Indexes of the rows the filter and the pin keep, in table order. A filter that grows narrows the last result. */
export function visibleRows(t: ProxyTable, s: Pick<TableState, 'filter' | 'pin'>): Int32Array {
  const filter = s.filter.toLowerCase();
  const last = rowsCache.get(t);
  if (last && last.filter === filter && last.pin === s.pin) return last.rows;
  const from = last && last.pin === s.pin && filter.startsWith(last.filter) ? last.rows : undefined;
  const keys = s.pin ? new Set(s.pin.keys) : undefined;
  const h = filter ? hay(t) : undefined;
  const n = from ? from.length : t.rows.length;
  const out = new Int32Array(n);
  let m = 0;
  for (let k = 0; k < n; k++) {
    const i = from ? from[k]! : k;
    if (keys && !keys.has(t.keys?.[i] ?? '')) continue;
    if (h && !h[i]!.includes(filter)) continue;
    out[m++] = i;
  }
  const rows = m === n && from ? from : out.slice(0, m);
  rowsCache.set(t, { filter, pin: s.pin, rows });
  return rows;
}
