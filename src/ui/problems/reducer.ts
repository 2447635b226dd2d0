// Pure state of the `!` problem list: the findings sorted by severity, a selection, a scroll window. No Ink.

export type ProblemLevel = 'Error' | 'Warning' | 'Info';

/** One finding as the list shows it (the adapter maps analyzer findings to this). */
export interface ProblemItem {
  level: ProblemLevel;
  code: string;
  context: string;
  /** "Kind ns/name", as istioctl prints it. */
  origin: string;
  message: string;
  /** YAML path of the offending field, highlighted in the details pane after the jump. */
  path?: string;
  /** Proxy pod ("ns/pod") for per-proxy findings. */
  proxy?: string;
  file?: string;
  line?: number;
  /** Tree node to jump to (the offending object); absent when the object has no node. */
  nodeId?: string;
  /** For a drift finding: the pod node of the proxy that runs the stale config (Enter goes there). */
  proxyNodeId?: string;
}

export interface ProblemListState {
  items: ProblemItem[];
  sel: number;
  top: number;
}

export interface ListKeyInfo {
  upArrow?: boolean; downArrow?: boolean; pageUp?: boolean; pageDown?: boolean; home?: boolean; end?: boolean;
  return?: boolean; escape?: boolean; ctrl?: boolean;
}

export type ListEffect = { type: 'none' } | { type: 'close' } | { type: 'jump'; item: ProblemItem } | { type: 'trace'; item: ProblemItem };

const ORDER: Record<ProblemLevel, number> = { Error: 0, Warning: 1, Info: 2 };

/** Most severe first; the order within a level is kept (the analyzers sort by context and origin). */
export function sortBySeverity(items: readonly ProblemItem[]): ProblemItem[] {
  return items.map((it, i) => ({ it, i })).sort((a, b) => ORDER[a.it.level] - ORDER[b.it.level] || a.i - b.i).map((x) => x.it);
}

export function initProblemList(items: readonly ProblemItem[]): ProblemListState {
  return { items: sortBySeverity(items), sel: 0, top: 0 };
}

function select(s: ProblemListState, to: number, height: number): ProblemListState {
  const n = s.items.length;
  const sel = Math.max(0, Math.min(n - 1, to));
  let top = s.top;
  if (sel < top) top = sel;
  if (sel >= top + height) top = sel - height + 1;
  top = Math.max(0, Math.min(top, Math.max(0, n - height)));
  return { ...s, sel: Math.max(0, sel), top };
}

/** One key; `height` is the number of list rows visible. */
export function problemListKey(s: ProblemListState, input: string, key: ListKeyInfo, height: number): { state: ProblemListState; effect: ListEffect } {
  const h = Math.max(1, height);
  const none = (state: ProblemListState) => ({ state, effect: { type: 'none' } as ListEffect });
  if (key.escape || input === 'q' || input === '!' || (key.ctrl && input === 'c')) return { state: s, effect: { type: 'close' } };
  if (key.return) {
    const item = s.items[s.sel];
    return item ? { state: s, effect: { type: 'jump', item } } : none(s);
  }
  if (input === 't') {
    const item = s.items[s.sel];
    return item ? { state: s, effect: { type: 'trace', item } } : none(s);
  }
  if (key.upArrow || input === 'k') return none(select(s, s.sel - 1, h));
  if (key.downArrow || input === 'j') return none(select(s, s.sel + 1, h));
  if (key.pageUp || (key.ctrl && input === 'b')) return none(select(s, s.sel - h, h));
  if (key.pageDown || (key.ctrl && input === 'f')) return none(select(s, s.sel + h, h));
  if (key.home || input === 'g') return none(select(s, 0, h));
  if (key.end || input === 'G') return none(select(s, s.items.length - 1, h));
  return none(s);
}
