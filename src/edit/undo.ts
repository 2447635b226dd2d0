// Undo: the last audit entry (or batch) reversed, prepared as a normal edit with a diff and the same preconditions.
import type { AuditEntry } from './types.js';
import type { FieldPath, RuleValues } from './types.js';
import { destinationSelector, getRule, weightsByDest } from './planner.js';
import { destinationLabel } from '../mesh/destination-label.js';
import { prepareEdit, type EditTarget, type PreparedEdit } from './prepare.js';
import { isRouteKind, routeRules } from './gateway-api-weights.js';

export class UndoError extends Error {}

function valueAt(obj: unknown, path: FieldPath): unknown {
  let cur = obj;
  for (const k of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[k];
  }
  return cur;
}

const samePath = (a: FieldPath, b: FieldPath) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * Prepares the reversal of `entry` on `target` (the object as it is now). Refuses when the object is not the one
 * that was edited (uid, rule name) or when its weights are no longer what the edit wrote.
 */
export function prepareUndo(entry: AuditEntry, target: EditTarget): PreparedEdit {
  const o = target.object;
  const what = `${entry.kind} ${entry.namespace}/${entry.name} in ${entry.context}`;
  if (o.metadata.name !== entry.name || (o.metadata.namespace ?? 'default') !== entry.namespace) throw new UndoError(`${what}: the object found is ${o.metadata.namespace}/${o.metadata.name}`);
  if (entry.uid && o.metadata.uid && entry.uid !== o.metadata.uid) throw new UndoError(`${what} was deleted and re-created since the edit (uid ${entry.uid} → ${o.metadata.uid}); nothing was written`);
  const rule = isRouteKind(o.kind) ? routeRules(o).find((r) => r.ref.index === entry.rule.index) : getRule(o, entry.rule);
  if (!rule) throw new UndoError(`${what}: rule ${entry.rule.label} has no backendRefs now; nothing was written`);
  if ((rule.name ?? undefined) !== (entry.rule.name ?? undefined)) throw new UndoError(`${what}: rule ${entry.rule.label} is now ${rule.label}; nothing was written`);
  const changed = entry.fields.filter((f) => valueAt(o, f.path) !== f.after);
  if (changed.length > 0) {
    const now = rule.destinations.map((d) => `${destinationLabel(d)}=${d.raw ?? '-'}`).join(' ');
    throw new UndoError(`${what} was changed since the edit (rule ${rule.label} now: ${now}); nothing was written`);
  }
  const labels = Object.keys(weightsByDest(rule, rule.destinations.map(() => 0)));
  const values: RuleValues = {
    weights: rule.destinations.map((d, i) => {
      const f = entry.fields.find((x) => samePath(x.path, d.path));
      if (!f) return d.effective;
      return f.before ?? entry.weightsBefore[labels[i]] ?? d.effective;
    }),
    mirrors: rule.mirrors.map((m) => {
      const f = entry.fields.find((x) => samePath(x.path, m.path));
      if (!f) return m.effective;
      return f.before ?? entry.mirrorBefore?.[destinationSelector(m)] ?? 100;
    }),
  };
  return prepareEdit(target, rule, values, { action: 'undo', undoOf: entry.id, restore: true });
}
