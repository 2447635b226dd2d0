// Text pieces for the TUI: styled segments, width-aware truncation, badges, tree row text. Pure.
import type { Badges, NodeKind, TreeNode } from '../mesh/tree-types.js';
import type { ProblemCounts } from '../mesh/tree-findings.js';
import { sanitizeLine } from '../core/sanitize.js';
import { squeezeText, type Squeeze } from './shorten.js';
import { charWidth, textWidth } from './text-width.js';

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
  /** Shortened in the middle (down to `min` columns) before anything is cut off the end of the line. */
  squeeze?: Squeeze;
  min?: number;
  /** Left out when the line does not fit even with its squeezable segments at their minimum (a weight bar). */
  optional?: boolean;
  /** The fewest columns a squeezable segment keeps when nothing else helps (default 4). */
  floor?: number;
}

export type Line = Seg[];

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
  if (line.some((x) => x.squeeze)) line = squeezeLine(line, width);
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

/**
 * Shortens the squeezable segments, widest first, until the line fits `width`: down to each one's `min`; then again
 * without the optional segments, last one first; then down to each one's `floor` (4 unless set); then to one column.
 */
function squeezeLine(line: Line, width: number): Line {
  const full = line.map((x) => textWidth(x.text));
  const dropped = new Set<number>();
  let widths = full;
  let excess = 0;
  const shrink = (floor: (x: Seg) => number) => {
    while (excess > 0) {
      let at = -1;
      let slack = 0;
      for (let i = 0; i < line.length; i++) {
        const x = line[i]!;
        const room = x.squeeze ? widths[i]! - Math.min(full[i]!, floor(x)) : 0;
        if (room > slack) { at = i; slack = room; }
      }
      if (at < 0) break;
      widths[at]!--;
      excess--;
    }
  };
  const optional = line.map((x, i) => (x.optional ? i : -1)).filter((i) => i >= 0);
  for (;;) {
    widths = full.map((w, i) => (dropped.has(i) ? 0 : w));
    excess = widths.reduce((a, b) => a + b, 0) - width;
    if (excess <= 0 && dropped.size === 0) return line;
    shrink((x) => x.min ?? 8);
    if (excess <= 0 || dropped.size === optional.length) break;
    dropped.add(optional[optional.length - 1 - dropped.size]!);
  }
  shrink((x) => x.floor ?? 4);
  shrink(() => 1);
  const out: Line = [];
  line.forEach((x, i) => {
    if (dropped.has(i)) return;
    // Squeezed once: the cut that may still follow must not squeeze again.
    out.push(x.squeeze ? { ...x, squeeze: undefined, text: widths[i]! < full[i]! ? squeezeText(x.text, widths[i]!, x.squeeze) : x.text } : x);
  });
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
  if (b.weight !== undefined) out.push({ text: ` ${weightBar(b.weight)}`, color: 'cyan', optional: true }, { text: ` ${b.weight}%`, color: 'cyan' });
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
    const label = sanitizeLine(node.label);
    const proxy = node.kind === 'envoy-cluster' && node.detail ? /^on (\S+)$/.exec(node.detail)?.[1] : undefined;
    if (proxy) {
      // A cluster under a route destination names the proxy it runs on: the part that tells such rows apart.
      line.push({ text: label, squeeze: 'cluster', min: 8, floor: 0 }, { text: ' on ', dim: true, optional: true }, { text: sanitizeLine(proxy), dim: true, squeeze: 'pod', min: 12, floor: 6 });
    } else {
      // The detail is cut first, then the label loses its middle (a pod keeps its suffix, a cluster its subset).
      const squeeze: Squeeze | undefined = bold ? undefined : node.kind === 'envoy-cluster' ? 'cluster' : node.kind === 'Pod' ? 'pod' : 'middle';
      line.push({ text: label, bold, color: node.kind === 'context' ? 'yellow' : undefined, squeeze, min: textWidth(label), floor: 10 });
      if (node.detail) line.push({ text: ' ' + sanitizeLine(node.detail), dim: true, squeeze: 'end', min: 0, floor: 0 });
    }
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
