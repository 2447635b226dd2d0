// YAML as istioctl prints it: JSON converted by sigs.k8s.io/yaml (go-yaml v2 emitter). Keys sorted with go-yaml's
// natural order, 2-space indent, sequences not indented under their key, strings quoted only when YAML would
// read them as another type or plain style is not allowed.

const BEST_WIDTH = 80;

function isLetter(ch: string): boolean {
  return /\p{L}/u.test(ch);
}
function isDigit(ch: string): boolean {
  return ch >= '0' && ch <= '9';
}

/** go-yaml v2 keyList.Less for string keys. */
export function goYamlKeyLess(a: string, b: string): boolean {
  const ar = Array.from(a);
  const br = Array.from(b);
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) continue;
    const al = isLetter(ar[i]);
    const bl = isLetter(br[i]);
    if (al && bl) return ar[i] < br[i];
    if (al || bl) return bl;
    let an = 0;
    let bn = 0;
    if (ar[i] === '0' || br[i] === '0') {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]); j--) {
        if (ar[j] !== '0') {
          an = 1;
          bn = 1;
          break;
        }
      }
    }
    let ai = i;
    for (; ai < ar.length && isDigit(ar[ai]); ai++) an = an * 10 + (ar[ai].charCodeAt(0) - 48);
    let bi = i;
    for (; bi < br.length && isDigit(br[bi]); bi++) bn = bn * 10 + (br[bi].charCodeAt(0) - 48);
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return ar[i] < br[i];
  }
  return ar.length < br.length;
}

const RESOLVE_MAP = new Set([
  'y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON', 'n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF',
  'true', 'True', 'TRUE', 'false', 'False', 'FALSE', '', '~', 'null', 'Null', 'NULL',
  '.nan', '.NaN', '.NAN', '.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF', '-.inf', '-.Inf', '-.INF', '<<',
]);
const YAML_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const BASE60 = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;
const GO_INT = /^[-+]?(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/;
const TIMESTAMP = /^\d{4}-\d{1,2}-\d{1,2}(?:(?:[Tt]|[ \t]+)\d{1,2}:\d{1,2}:\d{1,2}(?:\.\d+)?(?:[ \t]*(?:Z|[-+]\d{1,2}(?::?\d{2})?))?)?$/;

/** Would go-yaml v2 read this plain scalar as something other than a string? */
function resolvesToNonString(s: string): boolean {
  if (RESOLVE_MAP.has(s)) return true;
  const c = s.charAt(0);
  if (c === '.') return YAML_FLOAT.test(s);
  if (!(c === '+' || c === '-' || isDigit(c))) return false;
  if (isDigit(c) && TIMESTAMP.test(s) && validTimestamp(s)) return true;
  const plain = s.replace(/_/g, '');
  if (GO_INT.test(plain)) return true;
  if (YAML_FLOAT.test(plain)) return true;
  return false;
}

function validTimestamp(s: string): boolean {
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})/.exec(s);
  if (!m) return false;
  const mo = Number(m[2]);
  const d = Number(m[3]);
  return mo >= 1 && mo <= 12 && d >= 1 && d <= 31;
}

interface Analysis { blockPlain: boolean; singleOk: boolean; blockOk: boolean; multiline: boolean }

function isPrintable(cp: number): boolean {
  return (
    cp === 0x0a || (cp >= 0x20 && cp <= 0x7e) || cp === 0x85 || (cp >= 0xa0 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd && cp !== 0xfeff) || (cp >= 0x10000 && cp <= 0x10ffff)
  );
}

function analyze(value: string): Analysis {
  if (value.length === 0) return { blockPlain: true, singleOk: true, blockOk: false, multiline: false };
  let blockIndicators = false;
  let special = false;
  let lineBreaks = false;
  let leadingSpace = false, leadingBreak = false, trailingSpace = false, trailingBreak = false;
  let breakSpace = false, spaceBreak = false, prevSpace = false, prevBreak = false;
  if (value.startsWith('---') || value.startsWith('...')) blockIndicators = true;
  const chars = Array.from(value);
  let precededByWs = true;
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i];
    const next = chars[i + 1];
    const followedByWs = next === undefined || next === ' ' || next === '\t' || next === '\n' || next === '\r';
    if (i === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(ch)) blockIndicators = true;
      if ((ch === '?' || ch === ':') && followedByWs) blockIndicators = true;
      if (ch === '-' && followedByWs) blockIndicators = true;
    } else {
      if (ch === ':' && followedByWs) blockIndicators = true;
      if (ch === '#' && precededByWs) blockIndicators = true;
    }
    const cp = ch.codePointAt(0) ?? 0;
    if (!isPrintable(cp)) special = true;
    const isBreak = ch === '\n' || ch === '\r' || cp === 0x85 || cp === 0x2028 || cp === 0x2029;
    if (isBreak) lineBreaks = true;
    if (ch === ' ') {
      if (i === 0) leadingSpace = true;
      if (i === chars.length - 1) trailingSpace = true;
      if (prevBreak) breakSpace = true;
      prevSpace = true;
      prevBreak = false;
    } else if (isBreak) {
      if (i === 0) leadingBreak = true;
      if (i === chars.length - 1) trailingBreak = true;
      if (prevSpace) spaceBreak = true;
      prevBreak = true;
      prevSpace = false;
    } else {
      prevSpace = prevBreak = false;
    }
    precededByWs = ch === ' ' || ch === '\t' || isBreak;
  }
  let blockPlain = true, singleOk = true, blockOk = true;
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) blockPlain = false;
  if (trailingSpace) blockOk = false;
  if (breakSpace) blockPlain = singleOk = false;
  if (spaceBreak || special) blockPlain = singleOk = blockOk = false;
  if (lineBreaks) blockPlain = false;
  if (blockIndicators) blockPlain = false;
  return { blockPlain, singleOk, blockOk, multiline: lineBreaks };
}

function doubleQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    switch (ch) {
      case '"': out += '\\"'; continue;
      case '\\': out += '\\\\'; continue;
      case '\0': out += '\\0'; continue;
      case '\x07': out += '\\a'; continue;
      case '\b': out += '\\b'; continue;
      case '\t': out += '\\t'; continue;
      case '\n': out += '\\n'; continue;
      case '\x0b': out += '\\v'; continue;
      case '\f': out += '\\f'; continue;
      case '\r': out += '\\r'; continue;
      case '\x1b': out += '\\e'; continue;
    }
    if (cp === 0xfeff || !isPrintable(cp) || cp === 0x85 || cp === 0x2028 || cp === 0x2029) {
      if (cp === 0x85) out += '\\N';
      else if (cp === 0xa0) out += '\\_';
      else if (cp === 0x2028) out += '\\L';
      else if (cp === 0x2029) out += '\\P';
      else if (cp <= 0xff) out += '\\x' + cp.toString(16).toUpperCase().padStart(2, '0');
      else if (cp <= 0xffff) out += '\\u' + cp.toString(16).toUpperCase().padStart(4, '0');
      else out += '\\U' + cp.toString(16).toUpperCase().padStart(8, '0');
    } else out += ch;
  }
  return out + '"';
}

/** Folds a plain or single-quoted scalar at spaces once the column passes 80, as go-yaml v2 does. */
function fold(text: string, startColumn: number, indent: number): string {
  if (startColumn + text.length <= BEST_WIDTH || !text.includes(' ')) return text;
  let out = '';
  let column = startColumn;
  let spaces = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === ' ') {
      if (!spaces && column > BEST_WIDTH && i !== 0 && i !== text.length - 1 && text[i + 1] !== ' ') {
        out += '\n' + ' '.repeat(indent);
        column = indent;
      } else {
        out += ch;
        column++;
      }
      spaces = true;
    } else {
      out += ch;
      column++;
      spaces = false;
    }
  }
  return out;
}

function scalarString(s: string, column: number, indent: number, isKey: boolean): string {
  const canPlain = !resolvesToNonString(s) && !BASE60.test(s);
  const a = analyze(s);
  if (!isKey && s.includes('\n') && a.blockOk) return literal(s, indent);
  if (canPlain && a.blockPlain && !(s.length === 0 && isKey)) return fold(s, column, indent);
  if (canPlain && a.singleOk && !a.multiline) return fold(`'${s.replace(/'/g, "''")}'`, column, indent);
  return doubleQuote(s);
}

function literal(s: string, indent: number): string {
  let chomp = '-';
  if (s.endsWith('\n')) chomp = s.endsWith('\n\n') || s === '\n' ? '+' : '';
  const indicator = s.startsWith(' ') || s.startsWith('\n') ? '2' : '';
  const body = (chomp === '-' ? s : s.replace(/\n$/, '')).split('\n');
  const pad = ' '.repeat(indent);
  return `|${indicator}${chomp}` + body.map((l) => (l === '' ? '\n' : `\n${pad}${l}`)).join('');
}

/** Go strconv.FormatFloat(f, 'g', -1, 64). */
export function goFloat(n: number): string {
  if (Number.isNaN(n)) return '.nan';
  if (n === Infinity) return '.inf';
  if (n === -Infinity) return '-.inf';
  if (n === 0) return Object.is(n, -0) ? '-0' : '0';
  const e = n.toExponential();
  const [mant, expStr] = e.split('e');
  const exp = Number(expStr);
  if (exp < -4 || exp >= 6) {
    const sign = exp < 0 ? '-' : '+';
    return `${mant}e${sign}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  return String(n);
}

function scalar(v: unknown, column: number, indent: number): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return Number.isInteger(v) && Math.abs(v) < 1e21 ? String(v) : goFloat(v);
  return scalarString(String(v), column, indent, false);
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isEmptyCollection(v: unknown): string | undefined {
  if (Array.isArray(v) && v.length === 0) return '[]';
  if (isObj(v) && Object.keys(v).length === 0) return '{}';
  return undefined;
}

function emit(v: unknown, indent: number, out: string[], column: number): void {
  const empty = isEmptyCollection(v);
  if (empty !== undefined) {
    out.push(empty + '\n');
    return;
  }
  if (Array.isArray(v)) {
    const pad = ' '.repeat(indent);
    v.forEach((item, i) => {
      out.push((i === 0 && column > 0 ? '' : pad) + '- ');
      emitInline(item, indent + 2, out);
    });
    return;
  }
  if (isObj(v)) {
    const pad = ' '.repeat(indent);
    const keys = Object.keys(v).sort((a, b) => (goYamlKeyLess(a, b) ? -1 : goYamlKeyLess(b, a) ? 1 : 0));
    keys.forEach((k, i) => {
      const key = scalarString(k, indent, indent, true);
      out.push((i === 0 && column > 0 ? '' : pad) + key + ':');
      const val = v[k];
      const emptyVal = isEmptyCollection(val);
      if (emptyVal !== undefined) out.push(' ' + emptyVal + '\n');
      else if (Array.isArray(val)) {
        out.push('\n');
        emit(val, indent, out, 0);
      } else if (isObj(val)) {
        out.push('\n');
        emit(val, indent + 2, out, 0);
      } else out.push(' ' + scalar(val, indent + key.length + 2, indent + 2) + '\n');
    });
    return;
  }
  out.push(scalar(v, column, indent) + '\n');
}

/** An item after "- ": collections start on the same line. */
function emitInline(v: unknown, indent: number, out: string[]): void {
  if (isEmptyCollection(v) === undefined && (Array.isArray(v) || isObj(v))) emit(v, indent, out, indent);
  else emit(v, indent, out, indent);
}

/** YAML text for a JSON value, as istioctl's -o yaml prints it. */
export function toGoYaml(v: unknown): string {
  const out: string[] = [];
  emit(v, 0, out, 0);
  return out.join('');
}
