// Text for weights: rules with destinations and bars, per-context results. Every cluster/file string is sanitized.
import { sanitizeLine } from '../core/sanitize.js';
import type { RuleView } from './types.js';
import type { ContextResult, EditTarget, PreparedEdit } from './prepare.js';
import { destinationLabel } from '../mesh/destination-label.js';

export function bar(weight: number, width = 20): string {
  const w = Number.isFinite(weight) ? Math.max(0, Math.min(100, weight)) : 0;
  const full = Math.round((w / 100) * width);
  return '█'.repeat(full) + '░'.repeat(width - full);
}

/** Lines of one rule: its label and match, each destination with weight and bar, mirrors, and a total. */
export function ruleLines(rule: RuleView, indent = '  '): string[] {
  const lines = [`${indent}${sanitizeLine(rule.label)}  match: ${sanitizeLine(rule.match)}`];
  const width = Math.max(12, ...rule.destinations.map((d) => sanitizeLine(destinationLabel(d)).length));
  for (const d of rule.destinations) {
    const name = sanitizeLine(destinationLabel(d)).padEnd(width);
    const raw = d.raw === undefined ? ' (unset)' : Number.isNaN(d.raw) ? ' (not a number)' : '';
    lines.push(`${indent}  ${name}  ${String(d.effective).padStart(3)}  ${bar(d.effective)}${raw}`);
  }
  for (const m of rule.mirrors) {
    lines.push(`${indent}  mirror ${sanitizeLine(destinationLabel(m))}  ${m.effective}%${m.raw === undefined ? ' (unset: 100%)' : ''}`);
  }
  if (rule.destinations.length > 1 && rule.total !== 100) lines.push(`${indent}  total ${rule.total} (not 100)`);
  return lines;
}

export function targetTitle(t: EditTarget): string {
  const o = t.object;
  const where = t.source === 'snapshot' ? `file ${sanitizeLine(t.textName)}` : `resourceVersion ${sanitizeLine(o.metadata.resourceVersion ?? '?')}`;
  return `${sanitizeLine(t.context)}  ${sanitizeLine(o.metadata.namespace ?? 'default')}/${sanitizeLine(o.metadata.name)}  (${where})`;
}

/** "demoapp v1 90→0, demoapp v2 10→50" */
export function changeSummary(p: PreparedEdit): string {
  const parts: string[] = [];
  p.rule.destinations.forEach((d, i) => {
    if (d.effective !== p.values.weights[i]) parts.push(`${sanitizeLine(destinationLabel(d))} ${d.effective}→${p.values.weights[i]}`);
  });
  p.rule.mirrors.forEach((m, i) => {
    if (m.effective !== p.values.mirrors[i]) parts.push(`mirror ${sanitizeLine(destinationLabel(m))} ${m.effective}%→${p.values.mirrors[i]}%`);
  });
  return parts.length ? parts.join(', ') : 'no change';
}

export function resultLine(r: ContextResult): string {
  if (r.ok) return `${sanitizeLine(r.context)}: ${r.noop ? 'no change' : sanitizeLine(r.message)}`;
  const what = r.stage === 'policy' || r.reason === 'stale' ? 'refused' : r.reason === 'aborted' ? 'not written' : `${r.stage} failed`;
  return `${sanitizeLine(r.context)}: ${what}: ${sanitizeLine(r.message)}`;
}

/** Result lines, with the new version's weights after a conflict. */
export function resultLines(results: ContextResult[]): string[] {
  const out: string[] = [];
  for (const r of results) {
    out.push(resultLine(r));
    if (!r.ok && r.current) {
      out.push('  the object now has:');
      out.push(...ruleLines(r.current, '    '));
    }
  }
  return out;
}
