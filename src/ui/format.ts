// Text pieces for the TUI: styled segments, width-aware truncation, badges, tree row text. Pure.
import type { Badges, NodeKind, TreeNode } from '../mesh/tree-types.js';
import type { ProblemCounts } from '../mesh/tree-findings.js';
import { sanitizeLine } from '../core/sanitize.js';

export type Color = 'red' | 'green' | 'yellow' | 'blue' | 'cyan' | 'magenta' | 'gray' | 'white';

export interface Seg {
  text: string;
  color?: Color;
  bold?: boolean;
  dim?: boolean;
  inverse?: boolean;
  underline?: boolean;
  /** Kept whole when the line is cut (badges): the other segments are shortened first. */
  keep?: boolean;
}

export type Line = Seg[];

/** Display width of one code point (wide East Asian and emoji count 2, combining marks 0). */
export function charWidth(cp: number): number {
  if (cp < 0x300) return 1;
  if ((cp >= 0x300 && cp <= 0x36f) || (cp >= 0x200b && cp <= 0x200f) || (cp >= 0xfe00 && cp <= 0xfe0f)) return 0;
  if (
    (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) || (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x1f300 && cp <= 0x1faff) || (cp >= 0x20000 && cp <= 0x3fffd)
  ) return 2;
  return 1;
}

export function textWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += charWidth(ch.codePointAt(0)!);
  return w;
}

/** Cuts `s` to at most `width` columns, ending with … when cut. */
export function fit(s: string, width: number): string {
  if (width <= 0) return '';
  if (s.length <= width && !/[^\x20-\x7e]/.test(s)) return s;
  if (textWidth(s) <= width) return s;
  let out = '';
  let w = 0;
  for (const ch of s) {
    const cw = charWidth(ch.codePointAt(0)!);
    if (w + cw > width - 1) break;
    out += ch;
    w += cw;
  }
  return out + '…';
}

/** Truncates a styled line to `width` columns and pads it to exactly `width` when pad is set. */
export function fitLine(line: Line, width: number, pad = false): Line {
  const kept = line.filter((s) => s.keep);
  if (kept.length > 0) {
    const keepWidth = kept.reduce((n, s) => n + textWidth(s.text), 0);
    const total = line.reduce((n, s) => n + textWidth(s.text), 0);
    if (total > width && keepWidth <= Math.floor(width / 2)) {
      const head = fitLine(line.filter((s) => !s.keep), width - keepWidth);
      return fitLine([...head, ...kept], width, pad);
    }
  }
  const out: Line = [];
  let left = width;
  for (const seg of line) {
    if (left <= 0) break;
    const w = textWidth(seg.text);
    if (w <= left) {
      out.push(seg);
      left -= w;
    } else {
      out.push({ ...seg, text: fit(seg.text, left) });
      left = 0;
    }
  }
  if (pad && left > 0) out.push({ text: ' '.repeat(left) });
  return out;
}

/** Strips colours for NO_COLOR; keeps bold/inverse/underline, which are not colours. */
export function monochrome(line: Line): Line {
  return line.map((s) => (s.color || s.dim ? { ...s, color: undefined, dim: undefined } : s));
}

export function weightBar(weight: number, cells = 5): string {
  const w = Math.max(0, Math.min(100, weight));
  const full = Math.round((w / 100) * cells);
  return '█'.repeat(full) + '░'.repeat(cells - full);
}

/** `counts`: the row's problem markers when the provider rolled them up (own + below); else the node's own problems. */
export function badgeSegs(b: Badges, counts?: ProblemCounts): Line {
  return rawBadgeSegs(b, counts).map((s) => ({ ...s, keep: true }));
}

function rawBadgeSegs(b: Badges, counts?: ProblemCounts): Line {
  const out: Line = [];
  if (b.weight !== undefined) out.push({ text: ` ${weightBar(b.weight)} ${b.weight}%`, color: 'cyan' });
  if (b.mirrorPercent !== undefined) out.push({ text: ` ⧉ mirror ${b.mirrorPercent}%`, color: 'magenta' });
  if (b.total !== undefined) {
    const h = b.healthy ?? 0;
    out.push({ text: ` ${h}/${b.total}`, color: h === b.total && h > 0 ? 'green' : h === 0 ? 'red' : 'yellow' });
  }
  const ps = counts ? [] : b.problems ?? [];
  const drift = counts ? counts.drift : ps.filter((p) => p.drift).length;
  const errors = counts ? counts.error : ps.filter((p) => !p.drift && p.severity === 'error').length;
  const warnings = counts ? counts.warning : ps.filter((p) => !p.drift && p.severity === 'warning').length;
  if (errors) out.push({ text: ` ✗${errors}`, color: 'red', bold: true });
  if (warnings) out.push({ text: ` ⚠${warnings}`, color: 'yellow' });
  if (drift) out.push({ text: ` ≠${drift}`, color: 'magenta', bold: true });
  return out;
}

const KIND_TAG: Partial<Record<NodeKind, string>> = {
  Gateway: 'gw', VirtualService: 'vs', DestinationRule: 'dr', ServiceEntry: 'se', Service: 'svc', Sidecar: 'sidecar',
  WorkloadEntry: 'we', WorkloadGroup: 'wg', EnvoyFilter: 'ef', Pod: 'pod', Workload: 'wl', rule: 'rule',
  destination: '→', mirror: '⧉', subset: 'subset', endpoint: 'ep', proxy: 'envoy', 'envoy-listener': 'lis',
  'envoy-route': 'route', 'envoy-cluster': 'cluster', 'envoy-endpoint': 'ep', namespace: 'ns', context: 'ctx',
};

export function kindTag(kind: NodeKind): string {
  return KIND_TAG[kind] ?? '';
}

/** A tree row: indent, fold marker, kind tag, label, detail, badges. */
export function treeRow(node: TreeNode, depth: number, expanded: boolean, counts?: ProblemCounts): Line {
  const marker = node.children.length === 0 ? '  ' : expanded ? '▾ ' : '▸ ';
  const line: Line = [{ text: '  '.repeat(depth) + marker, dim: true }];
  const tag = kindTag(node.kind);
  if (node.kind === 'link') {
    line.push({ text: '↗ ' + sanitizeLine(node.label), color: 'blue', underline: true });
    if (node.detail) line.push({ text: ' ' + sanitizeLine(node.detail), color: 'blue', dim: true });
  } else if (node.kind === 'dangling') {
    line.push({ text: '✗ ' + sanitizeLine(node.label), color: 'red' });
    if (node.dangling) line.push({ text: ' ' + sanitizeLine(node.dangling), color: 'red', dim: true });
  } else {
    if (tag) line.push({ text: tag + ' ', color: 'gray' });
    const bold = node.kind === 'context' || node.kind === 'namespace' || node.kind === 'group';
    line.push({ text: sanitizeLine(node.label), bold, color: node.kind === 'context' ? 'yellow' : undefined });
    if (node.detail) line.push({ text: ' ' + sanitizeLine(node.detail), dim: true });
  }
  line.push(...badgeSegs(node.badges, counts));
  return line;
}

/** Drops the first `from` columns of a line (horizontal scroll). */
export function sliceLine(line: Line, from: number): Line {
  if (from <= 0) return line;
  const out: Line = [];
  let skip = from;
  for (const seg of line) {
    if (skip <= 0) { out.push(seg); continue; }
    const chars = [...seg.text];
    if (chars.length <= skip) { skip -= chars.length; continue; }
    out.push({ ...seg, text: chars.slice(skip).join('') });
    skip = 0;
  }
  return out;
}

/** One details line; lines with a target are jump entries (node id to jump to on Enter). */
export interface DLine {
  line: Line;
  target?: string;
}
