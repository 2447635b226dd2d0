// The right pane's content for one node, as styled lines; lines with a target are jump entries. Pure.
import { sectionLines } from './details-sections.js';
import type { TreeNode } from '../mesh/tree-types.js';
import { sanitizeLine } from '../core/sanitize.js';
import { badgeSegs, kindTag, weightBar, type Line, type Seg } from './format.js';
import { PROXY_TABS, type NodeDetails, type ProxyStatusInfo, type ProxyTab, type ProxyTable } from './types.js';

export type { DLine } from './format.js';
import type { DLine } from './format.js';

export interface DetailsContent {
  /** Every line but the proxy-config table's rows (table/details-view.ts puts those in at `tableAt`). */
  lines: DLine[];
  /** Which proxy tabs exist (empty when the node has no proxy views). */
  tabs: ProxyTab[];
  /** Index in `lines` of the YAML line of NodeDetails.highlightPath (shown inverse, with a ◀). */
  highlightLine?: number;
  /** The current tab's table and the index in `lines` where its lines go (right after the tab bar). */
  table?: ProxyTable;
  tableAt?: number;
}

/**
 * Finds the line of a YAML path in a YAML text. Highlights come only from the problem list (`!`), whose plugin
 * registers src/ui/problems/yaml-path.ts here: the `yaml` package loads with that plugin, not before the first frame.
 */
export type YamlPathLocator = (text: string, path: string) => number | undefined;
let locateYamlPath: YamlPathLocator | undefined;
export function setYamlPathLocator(fn: YamlPathLocator): void {
  locateYamlPath = fn;
}

const heading = (text: string): DLine => ({ line: [{ text, bold: true, underline: true }] });
const blank: DLine = { line: [{ text: '' }] };

export function buildDetails(node: TreeNode, d: NodeDetails, tab: ProxyTab): DetailsContent {
  const lines: DLine[] = [];
  const title: Line = [];
  const tag = kindTag(node.kind);
  title.push({ text: (tag ? tag + ' ' : node.kind + ' ') , color: 'gray' });
  title.push({ text: sanitizeLine(node.label), bold: true });
  if (node.ref?.namespace) title.push({ text: ` -n ${sanitizeLine(node.ref.namespace)}`, dim: true });
  if (node.context) title.push({ text: ` @${sanitizeLine(node.context)}`, color: 'yellow' });
  title.push(...badgeSegs(node.badges));
  lines.push({ line: title });
  if (node.detail) lines.push({ line: [{ text: sanitizeLine(node.detail), dim: true }] });
  if (node.linkTo) lines.push({ line: [{ text: '↗ follow link (Enter)', color: 'blue', underline: true }], target: node.linkTo });
  if (node.dangling) lines.push({ line: [{ text: '✗ unresolved: ' + sanitizeLine(node.dangling), color: 'red' }] });
  for (const p of node.badges.problems ?? []) {
    const mark = p.drift ? '≠' : p.severity === 'error' ? '✗' : p.severity === 'warning' ? '⚠' : 'i';
    const color = p.drift ? 'magenta' : p.severity === 'error' ? 'red' : p.severity === 'warning' ? 'yellow' : 'gray';
    const code = p.code ? `[${sanitizeLine(p.code)}] ` : '';
    const path = p.path ? ` (${sanitizeLine(p.path)})` : '';
    lines.push({ line: [{ text: `${mark} ${code}${sanitizeLine(p.message)}${path}`, color }] });
  }
  for (const n of d.notes ?? []) lines.push({ line: [{ text: sanitizeLine(n), color: 'yellow' }] });
  lines.push(...sectionLines(d.sections));
  if (d.proxyLoad) lines.push(proxyLoadLine(d.proxyLoad));
  if (d.proxyStatus) lines.push(...proxyStatusLines(d.proxyStatus));

  const tabs = PROXY_TABS.filter((t) => d.proxy?.[t]);
  let table: ProxyTable | undefined;
  let tableAt: number | undefined;
  if (d.proxy && tabs.length > 0) {
    const current = tabs.includes(tab) ? tab : tabs[0]!;
    lines.push(blank);
    const bar: Line = [];
    tabs.forEach((t, i) => {
      bar.push(t === current ? { text: ` ${i + 1} ${t} `, inverse: true, bold: true } : { text: ` ${i + 1} ${t} `, dim: true });
    });
    lines.push({ line: bar });
    table = d.proxy[current]!;
    tableAt = lines.length;
    if (table.after && table.after.lines.length > 0) {
      lines.push(blank, heading(sanitizeLine(table.after.title)));
      for (const l of table.after.lines) lines.push({ line: [{ text: sanitizeLine(l) }] });
    }
  }

  if (d.ruleDestinations && d.ruleDestinations.length > 0) {
    lines.push(blank, heading('Destinations → Envoy clusters'));
    for (const dest of d.ruleDestinations) {
      const l: Line = [];
      const sub = dest.subset ? ` subset ${sanitizeLine(dest.subset)}` : '';
      const port = dest.port !== undefined ? `:${dest.port}` : '';
      if (dest.mirrorPercent !== undefined) l.push({ text: `⧉ mirror ${dest.mirrorPercent}% `, color: 'magenta' });
      else if (dest.weight !== undefined) l.push({ text: `${weightBar(dest.weight)} ${String(dest.weight).padStart(3)}% `, color: 'cyan' });
      l.push({ text: sanitizeLine(dest.host) + port, bold: true }, { text: sub });
      lines.push({ line: l, target: dest.targetId });
      if (dest.envoy.length === 0) lines.push({ line: [{ text: '    no Envoy cluster implements it on any loaded proxy', color: 'yellow' }] });
      for (const e of dest.envoy) {
        const el: Line = [{ text: '    ' + sanitizeLine(e.proxy) + ' ', color: 'gray' }, { text: sanitizeLine(e.cluster) }];
        if (e.weight !== undefined) {
          const drift = dest.weight !== undefined && dest.mirrorPercent === undefined && e.weight !== dest.weight;
          el.push({ text: ` ${e.weight}%`, color: drift ? 'magenta' : 'cyan', bold: drift, keep: true });
          if (drift) el.push({ text: ` ≠ intent ${dest.weight}%`, color: 'magenta', bold: true, keep: true });
        }
        if (e.total !== undefined) {
          const h = e.healthy ?? 0;
          el.push({ text: ` ${h}/${e.total}`, color: h === e.total && h > 0 ? 'green' : h === 0 ? 'red' : 'yellow', keep: true });
        }
        lines.push({ line: el, target: e.targetId });
      }
    }
  }

  if (d.related.length > 0) {
    lines.push(blank, heading('Related'));
    for (const r of d.related) lines.push({ line: [{ text: '↗ ' + sanitizeLine(r.label), color: 'blue' }], target: r.targetId });
  }

  let highlightLine: number | undefined;
  if (d.yaml) {
    lines.push(blank, heading('YAML'));
    const at = d.highlightPath ? locateYamlPath?.(d.yaml, d.highlightPath) : undefined;
    d.yaml.replace(/\n$/, '').split('\n').forEach((raw, i) => {
      if (i === at) {
        highlightLine = lines.length;
        lines.push({ line: [...yamlLine(raw).map((s) => ({ ...s, inverse: true })), { text: ' ◀', bold: true, keep: true }] });
      } else lines.push({ line: yamlLine(raw) });
    });
  }
  return { lines, tabs, highlightLine, table, tableAt };
}

const LOAD_COLOR = { idle: 'gray', loading: 'yellow', ok: 'green', error: 'red' } as const;

function proxyLoadLine(p: NonNullable<NodeDetails['proxyLoad']>): DLine {
  const mark = p.state === 'error' ? '✗ ' : p.state === 'loading' ? '⟳ ' : '';
  return { line: [{ text: mark + sanitizeLine(p.message), color: LOAD_COLOR[p.state], bold: p.state === 'error' }] };
}

const SYNC_COLOR: Record<string, 'green' | 'red' | 'gray' | 'yellow'> = { SYNCED: 'green', STALE: 'red', 'NOT SENT': 'gray' };

/** "proxy-status  CDS SYNCED  LDS SYNCED  EDS NOT SENT  RDS STALE", its note, and the diff when shown. */
export function proxyStatusLines(p: ProxyStatusInfo): DLine[] {
  const out: DLine[] = [];
  const head: Line = [{ text: 'proxy-status', bold: true }];
  for (const [type, state] of p.states ?? []) {
    head.push({ text: `  ${sanitizeLine(type)} ` }, { text: sanitizeLine(state), color: SYNC_COLOR[state] ?? 'yellow', bold: state === 'STALE' });
  }
  if (p.note) head.push({ text: `  ${sanitizeLine(p.note)}`, dim: !p.states });
  out.push({ line: head });
  if (p.diff) {
    out.push(heading('istiod → Envoy (d hides)'));
    for (const raw of p.diff) {
      const l = sanitizeLine(raw);
      const color = l.startsWith('+++') || l.startsWith('---') ? undefined : l.startsWith('+') ? 'green' : l.startsWith('-') ? 'red' : l.startsWith('@@') ? 'cyan' : /Don't Match$/.test(l) ? 'red' : undefined;
      out.push({ line: [{ text: l, color, bold: l.startsWith('---') || l.startsWith('+++') || / Match/.test(l) }] });
    }
    out.push(blank);
  }
  return out;
}

/** Highlights the key of a `key: value` or `- key: value` YAML line. */
export function yamlLine(raw: string): Line {
  const s = sanitizeLine(raw);
  const m = /^(\s*(?:- )*)([^\s:#'"][^:#]*?|"[^"]*"|'[^']*'):(\s|$)(.*)$/.exec(s);
  if (!m) {
    if (/^\s*#/.test(s)) return [{ text: s, dim: true }];
    return [{ text: s }];
  }
  const segs: Seg[] = [{ text: m[1]! }, { text: m[2]!, color: 'cyan', bold: true }, { text: ':' + m[3]! }];
  if (m[4]) segs.push({ text: m[4], color: /^-?\d+(\.\d+)?$/.test(m[4]) ? 'yellow' : undefined });
  return segs;
}
