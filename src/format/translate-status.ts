// `meshscope translate --status`: the status istiod would write on each route (per parent: Accepted, ResolvedRefs)
// beside the status the object holds (the cluster's, when live), with the differences marked.
import type { Translation } from '../mesh/gateway-api/translate.js';
import type { Condition, RouteParentStatus } from '../mesh/gateway-api/model.js';
import { routeStatus } from '../mesh/gateway-api/route-status.js';
import { CONTROLLER } from '../mesh/gateway-api/model.js';
import { sanitizeLine } from '../core/sanitize.js';

export interface RouteStatusRow {
  kind: string;
  namespace: string;
  name: string;
  parent: string;
  computed: Condition[];
  /** The conditions istiod's controller wrote on the object, if any. */
  actual?: Condition[];
  differs: boolean;
}

function parentText(ref: Record<string, unknown>, ns: string): string {
  const kind = String(ref.kind ?? 'Gateway');
  return `${kind} ${String(ref.namespace ?? ns)}/${String(ref.name)}${ref.sectionName ? ` ${String(ref.sectionName)}` : ''}${ref.port ? `:${String(ref.port)}` : ''}`;
}

const sameRef = (a: Record<string, unknown>, b: Record<string, unknown>) =>
  ['group', 'kind', 'name', 'namespace', 'sectionName', 'port'].every((k) => (a[k] ?? undefined) === (b[k] ?? undefined));

const condKey = (c: Condition) => `${c.type}=${c.status} ${c.reason}`;

export function routeStatusRows(t: Translation): RouteStatusRow[] {
  const rows: RouteStatusRow[] = [];
  for (const oc of t.routes) {
    const ns = oc.obj.metadata.namespace ?? 'default';
    const held = ((oc.obj.status?.parents ?? []) as RouteParentStatus[]).filter((p) => p.controllerName === CONTROLLER);
    for (const p of routeStatus(oc).filter((x) => x.controllerName === CONTROLLER)) {
      const actual = held.find((h) => sameRef(h.parentRef ?? {}, p.parentRef))?.conditions;
      const differs = actual !== undefined && p.conditions.some((c) => !actual.some((a) => condKey(a) === condKey(c)));
      rows.push({ kind: oc.obj.kind, namespace: ns, name: oc.obj.metadata.name, parent: parentText(p.parentRef, ns), computed: p.conditions, actual, differs });
    }
  }
  return rows;
}

const condText = (c: Condition) => `${c.type}=${c.status}${c.status === 'True' ? '' : ` (${c.reason}: ${c.message})`}`;

export function formatRouteStatus(rows: RouteStatusRow[]): string {
  const out: string[] = [];
  for (const r of rows) {
    out.push(`${r.kind} ${r.namespace}/${r.name}  parent ${r.parent}${r.differs ? '  ≠ the status the object holds' : ''}`);
    out.push(`  computed: ${r.computed.map(condText).join(', ')}`);
    out.push(`  object:   ${r.actual ? r.actual.map(condText).join(', ') : '(no status from istio.io/gateway-controller)'}`);
  }
  return out.length ? `${out.map(sanitizeLine).join('\n')}\n` : '';
}
