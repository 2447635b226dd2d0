// Unified diff as go-difflib (a port of Python's difflib) prints it, which istioctl uses for `proxy-status POD`:
// SequenceMatcher with autojunk (lines more frequent than 1% of a 200+ line text are not used as anchors),
// grouped opcodes with N lines of context, `@@ -a,b +c,d @@` ranges where a length of 1 prints as the line alone.

interface Match { a: number; b: number; size: number }
type Tag = 'equal' | 'replace' | 'delete' | 'insert';
interface OpCode { tag: Tag; i1: number; i2: number; j1: number; j2: number }

class SequenceMatcher {
  private readonly b2j = new Map<string, number[]>();

  constructor(private readonly a: string[], private readonly b: string[]) {
    b.forEach((line, j) => {
      const list = this.b2j.get(line);
      if (list) list.push(j);
      else this.b2j.set(line, [j]);
    });
    if (b.length >= 200) {
      const ntest = Math.floor(b.length / 100) + 1;
      for (const [line, idx] of [...this.b2j]) if (idx.length > ntest) this.b2j.delete(line);
    }
  }

  /** Longest matching block in a[alo:ahi] × b[blo:bhi] (no junk predicate: popular lines only lose their anchors). */
  private longest(alo: number, ahi: number, blo: number, bhi: number): Match {
    const { a, b } = this;
    let besti = alo, bestj = blo, bestsize = 0;
    let j2len = new Map<number, number>();
    for (let i = alo; i < ahi; i++) {
      const next = new Map<number, number>();
      for (const j of this.b2j.get(a[i]) ?? []) {
        if (j < blo) continue;
        if (j >= bhi) break;
        const k = (j2len.get(j - 1) ?? 0) + 1;
        next.set(j, k);
        if (k > bestsize) { besti = i - k + 1; bestj = j - k + 1; bestsize = k; }
      }
      j2len = next;
    }
    while (besti > alo && bestj > blo && a[besti - 1] === b[bestj - 1]) { besti--; bestj--; bestsize++; }
    while (besti + bestsize < ahi && bestj + bestsize < bhi && a[besti + bestsize] === b[bestj + bestsize]) bestsize++;
    return { a: besti, b: bestj, size: bestsize };
  }

  matchingBlocks(): Match[] {
    const blocks: Match[] = [];
    const queue: [number, number, number, number][] = [[0, this.a.length, 0, this.b.length]];
    while (queue.length > 0) {
      const [alo, ahi, blo, bhi] = queue.pop()!;
      const m = this.longest(alo, ahi, blo, bhi);
      if (m.size === 0) continue;
      blocks.push(m);
      if (alo < m.a && blo < m.b) queue.push([alo, m.a, blo, m.b]);
      if (m.a + m.size < ahi && m.b + m.size < bhi) queue.push([m.a + m.size, ahi, m.b + m.size, bhi]);
    }
    blocks.sort((x, y) => x.a - y.a || x.b - y.b);
    const out: Match[] = [];
    let cur: Match = { a: 0, b: 0, size: 0 };
    for (const m of blocks) {
      if (cur.a + cur.size === m.a && cur.b + cur.size === m.b) cur = { ...cur, size: cur.size + m.size };
      else { if (cur.size) out.push(cur); cur = m; }
    }
    if (cur.size) out.push(cur);
    out.push({ a: this.a.length, b: this.b.length, size: 0 });
    return out;
  }

  opcodes(): OpCode[] {
    let i = 0, j = 0;
    const out: OpCode[] = [];
    for (const m of this.matchingBlocks()) {
      const tag: Tag | '' = i < m.a && j < m.b ? 'replace' : i < m.a ? 'delete' : j < m.b ? 'insert' : '';
      if (tag) out.push({ tag, i1: i, i2: m.a, j1: j, j2: m.b });
      i = m.a + m.size;
      j = m.b + m.size;
      if (m.size) out.push({ tag: 'equal', i1: m.a, i2: i, j1: m.b, j2: j });
    }
    return out;
  }

  groupedOpcodes(n: number): OpCode[][] {
    const codes = this.opcodes();
    if (codes.length === 0) codes.push({ tag: 'equal', i1: 0, i2: 1, j1: 0, j2: 1 });
    const first = codes[0];
    if (first.tag === 'equal') codes[0] = { ...first, i1: Math.max(first.i1, first.i2 - n), j1: Math.max(first.j1, first.j2 - n) };
    const last = codes[codes.length - 1];
    if (last.tag === 'equal') codes[codes.length - 1] = { ...last, i2: Math.min(last.i2, last.i1 + n), j2: Math.min(last.j2, last.j1 + n) };
    const groups: OpCode[][] = [];
    let group: OpCode[] = [];
    for (const c of codes) {
      let { i1, j1 } = c;
      if (c.tag === 'equal' && c.i2 - c.i1 > 2 * n) {
        group.push({ tag: 'equal', i1, i2: Math.min(c.i2, i1 + n), j1, j2: Math.min(c.j2, j1 + n) });
        groups.push(group);
        group = [];
        i1 = Math.max(i1, c.i2 - n);
        j1 = Math.max(j1, c.j2 - n);
      }
      group.push({ tag: c.tag, i1, i2: c.i2, j1, j2: c.j2 });
    }
    if (group.length > 0 && !(group.length === 1 && group[0].tag === 'equal')) groups.push(group);
    return groups;
  }
}

/** go-difflib SplitLines: lines keep their "\n" and the last one gets one. */
export function splitLines(s: string): string[] {
  const lines = s.split(/(?<=\n)/);
  if (lines.length === 0 || s.endsWith('\n')) lines.push('');
  lines[lines.length - 1] += '\n';
  return lines;
}

function range(start: number, stop: number): string {
  let beginning = start + 1;
  const length = stop - start;
  if (length === 1) return `${beginning}`;
  if (length === 0) beginning -= 1;
  return `${beginning},${length}`;
}

/** difflib.GetUnifiedDiffString: "" when a and b are equal. */
export function unifiedDiff(a: string[], b: string[], fromFile: string, toFile: string, context: number): string {
  const out: string[] = [];
  for (const g of new SequenceMatcher(a, b).groupedOpcodes(context)) {
    if (out.length === 0) out.push(`--- ${fromFile}\n`, `+++ ${toFile}\n`);
    out.push(`@@ -${range(g[0].i1, g[g.length - 1].i2)} +${range(g[0].j1, g[g.length - 1].j2)} @@\n`);
    for (const c of g) {
      if (c.tag === 'equal') { for (const l of a.slice(c.i1, c.i2)) out.push(` ${l}`); continue; }
      if (c.tag === 'replace' || c.tag === 'delete') for (const l of a.slice(c.i1, c.i2)) out.push(`-${l}`);
      if (c.tag === 'replace' || c.tag === 'insert') for (const l of b.slice(c.j1, c.j2)) out.push(`+${l}`);
    }
  }
  return out.join('');
}
