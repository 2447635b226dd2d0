// Pure state of the trace form: fields, focus, validation, running, and the scrollable result. No I/O, no Ink.

export type FieldName = 'host' | 'port' | 'path' | 'method' | 'headers';
export const FIELDS: FieldName[] = ['host', 'port', 'path', 'method', 'headers'];
export const FIELD_LABELS: Record<FieldName, string> = { host: 'host', port: 'port', path: 'path', method: 'method', headers: 'headers' };

/** What the user typed. headers: `k=v, k2=v2` (comma or semicolon separated). */
export interface TraceFormValues { host: string; port: string; path: string; method: string; headers: string }

/** The validated request handed to onRun. */
export interface TraceFormInput { host: string; port?: number; path: string; method: string; headers: Record<string, string> }

export type FormMode = 'form' | 'running' | 'result';

export interface TraceFormState {
  values: TraceFormValues;
  focus: number;
  mode: FormMode;
  /** Validation or run error, shown under the form. */
  error?: string;
  /** Result lines (already sanitized) and whether the trace passed. */
  result?: { lines: string[]; ok: boolean };
  scroll: number;
}

export interface FormKeyInfo {
  upArrow?: boolean; downArrow?: boolean; leftArrow?: boolean; rightArrow?: boolean;
  return?: boolean; escape?: boolean; tab?: boolean; shift?: boolean; ctrl?: boolean; meta?: boolean;
  backspace?: boolean; delete?: boolean; pageUp?: boolean; pageDown?: boolean;
}

/** What the component must do after a key. */
export type FormEffect = 'none' | 'run' | 'close';

export function initForm(initial: Partial<TraceFormValues> = {}): TraceFormState {
  return {
    values: { host: '', port: '', path: '/', method: 'GET', headers: '', ...initial },
    focus: initial.host ? 1 : 0,
    mode: 'form',
    scroll: 0,
  };
}

/** Validates the fields into a request, or says what is wrong. */
export function formInput(v: TraceFormValues): TraceFormInput | string {
  const host = v.host.trim();
  if (!host) return 'host is required';
  if (/\s/.test(host)) return `host "${host}" contains spaces`;
  let port: number | undefined;
  if (v.port.trim()) {
    if (!/^\d+$/.test(v.port.trim()) || Number(v.port) < 1 || Number(v.port) > 65535) return `port must be 1-65535, not "${v.port.trim()}"`;
    port = Number(v.port.trim());
  }
  const method = (v.method.trim() || 'GET').toUpperCase();
  if (!/^[A-Z]+$/.test(method)) return `method "${v.method.trim()}" is not an HTTP method`;
  const headers: Record<string, string> = {};
  for (const part of v.headers.split(/[,;]/)) {
    if (!part.trim()) continue;
    const m = /^\s*([^=:\s][^=:]*?)\s*[=:]\s*(.*?)\s*$/.exec(part);
    if (!m) return `header "${part.trim()}" is not NAME=VALUE`;
    headers[m[1]!] = m[2]!;
  }
  const path = v.path.trim() || '/';
  const input: TraceFormInput = { host, path: path.startsWith('/') ? path : `/${path}`, method, headers };
  if (port !== undefined) input.port = port;
  return input;
}

const field = (s: TraceFormState): FieldName => FIELDS[s.focus]!;

function edit(s: TraceFormState, f: (text: string) => string): TraceFormState {
  const name = field(s);
  return { ...s, values: { ...s.values, [name]: f(s.values[name]) }, error: undefined };
}

/** One key. `height` is the number of result rows visible (for paging). */
export function formKey(s: TraceFormState, input: string, key: FormKeyInfo, height = 20): { state: TraceFormState; effect: FormEffect } {
  const none = (state: TraceFormState) => ({ state, effect: 'none' as const });
  if (s.mode === 'running') {
    if (key.escape) return { state: s, effect: 'close' };
    return none(s);
  }
  if (s.mode === 'result') {
    const max = Math.max(0, (s.result?.lines.length ?? 0) - height);
    const to = (n: number) => none({ ...s, scroll: Math.max(0, Math.min(max, n)) });
    if (key.escape || input === 'e' || input === '/') return none({ ...s, mode: 'form', scroll: 0 });
    if (input === 'q') return { state: s, effect: 'close' };
    if (key.downArrow || input === 'j') return to(s.scroll + 1);
    if (key.upArrow || input === 'k') return to(s.scroll - 1);
    if (key.pageDown || input === ' ') return to(s.scroll + height);
    if (key.pageUp) return to(s.scroll - height);
    if (input === 'g') return to(0);
    if (input === 'G') return to(max);
    if (key.return) return { state: { ...s, mode: 'running', error: undefined }, effect: 'run' };
    return none(s);
  }
  if (key.escape) return { state: s, effect: 'close' };
  if (key.return) {
    const r = formInput(s.values);
    if (typeof r === 'string') return none({ ...s, error: r });
    return { state: { ...s, mode: 'running', error: undefined }, effect: 'run' };
  }
  if ((key.tab && key.shift) || key.upArrow) return none({ ...s, focus: (s.focus + FIELDS.length - 1) % FIELDS.length });
  if (key.tab || key.downArrow) return none({ ...s, focus: (s.focus + 1) % FIELDS.length });
  if (key.backspace || key.delete) return none(edit(s, (t) => t.slice(0, -1)));
  if (key.ctrl && input === 'u') return none(edit(s, () => ''));
  if (key.ctrl || key.meta || key.leftArrow || key.rightArrow || !input) return none(s);
  // Printable text (pasted text arrives as one input); control characters never reach a field.
  const text = input.replace(/[\x00-\x1f\x7f-\x9f]/g, '');
  if (!text) return none(s);
  return none(edit(s, (t) => t + text));
}

/** The run finished: show the result lines (or the error and stay on the form). */
export function runFinished(s: TraceFormState, outcome: { lines: string[]; ok: boolean } | string): TraceFormState {
  if (typeof outcome === 'string') return { ...s, mode: 'form', error: outcome };
  return { ...s, mode: 'result', result: outcome, scroll: 0, error: undefined };
}

/** Wraps a result line to `width` columns; continuation rows are indented under the text. */
export function wrapLine(line: string, width: number): string[] {
  const w = Math.max(20, width);
  const chars = [...line];
  if (chars.length <= w) return [line];
  const lead = /^\s*(?:[✓✗↳] )?\S*\s*/.exec(line)?.[0].length ?? 0;
  const indent = ' '.repeat(Math.min(lead, Math.floor(w / 2)));
  const rows: string[] = [];
  let rest = chars;
  let first = true;
  while (rest.length > 0) {
    const room = first ? w : w - indent.length;
    let cut = rest.length <= room ? rest.length : rest.lastIndexOf(' ', room);
    if (cut <= 0 || rest.length <= room) cut = Math.min(room, rest.length);
    rows.push((first ? '' : indent) + rest.slice(0, cut).join('').trimEnd());
    rest = rest.slice(cut);
    while (rest[0] === ' ') rest = rest.slice(1);
    first = false;
  }
  return rows;
}
