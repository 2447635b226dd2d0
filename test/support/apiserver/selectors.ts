// labelSelector and fieldSelector of list requests, as kube-apiserver reads them: set-based and equality label
// requirements; metadata.name and metadata.namespace for every kind (Pods also status.phase and spec.nodeName).
// A selector it cannot read is a 400 BadRequest.
import type { KubeObject } from '../../../src/model/resources.js';
import type { ResourceType } from './crds.js';

type Test = (o: KubeObject) => boolean;

/** Splits on commas outside parentheses. */
function requirements(s: string): string[] {
  const out: string[] = [];
  let depth = 0, cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) { out.push(cur.trim()); cur = ''; } else cur += ch;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

const KEY = /^[A-Za-z0-9]([-A-Za-z0-9_./]*[A-Za-z0-9])?$/;

function labelRequirement(r: string): Test | undefined {
  const labels = (o: KubeObject) => (o.metadata.labels ?? {}) as Record<string, string>;
  let m = /^(\S+)\s+(in|notin)\s+\(([^()]*)\)$/.exec(r);
  if (m && KEY.test(m[1]!)) {
    const [, key, op, list] = m as unknown as [string, string, string, string];
    const values = list.split(',').map((v) => v.trim()).filter(Boolean);
    return op === 'in' ? (o) => values.includes(labels(o)[key] as string) : (o) => !values.includes(labels(o)[key] as string);
  }
  m = /^([^=!\s]+)\s*(==|=|!=)\s*([^=!\s]*)$/.exec(r);
  if (m && KEY.test(m[1]!)) {
    const [, key, op, value] = m as unknown as [string, string, string, string];
    return op === '!=' ? (o) => labels(o)[key] !== value : (o) => labels(o)[key] === value;
  }
  if (/^!/.test(r) && KEY.test(r.slice(1))) return (o) => !(r.slice(1) in labels(o));
  if (KEY.test(r)) return (o) => r in labels(o);
  return undefined;
}

function fieldValue(t: ResourceType, field: string): ((o: KubeObject) => string) | undefined {
  if (field === 'metadata.name') return (o) => o.metadata.name;
  if (field === 'metadata.namespace') return (o) => o.metadata.namespace ?? '';
  const pod = t.kind === 'Pod' && t.group === '';
  if (pod && field === 'status.phase') return (o) => String((o.status as { phase?: string } | undefined)?.phase ?? '');
  if (pod && field === 'spec.nodeName') return (o) => String((o.spec as { nodeName?: string } | undefined)?.nodeName ?? '');
  return undefined;
}

/** The filter of a list request's selectors, or the BadRequest message. */
export function selectorFilter(url: URL, t: ResourceType): Test | { badRequest: string } {
  const tests: Test[] = [];
  const ls = url.searchParams.get('labelSelector');
  for (const r of ls ? requirements(ls) : []) {
    const f = labelRequirement(r);
    if (!f) return { badRequest: `unable to parse requirement: ${r}` };
    tests.push(f);
  }
  const fs = url.searchParams.get('fieldSelector');
  for (const r of fs ? requirements(fs) : []) {
    const m = /^([^=!]+)(==|=|!=)(.*)$/.exec(r);
    if (!m) return { badRequest: `invalid selector: '${fs}'; can't understand '${r}'` };
    const [, field, op, value] = m as unknown as [string, string, string, string];
    const get = fieldValue(t, field);
    if (!get) return { badRequest: `field label not supported: ${field}` };
    tests.push(op === '!=' ? (o) => get(o) !== value : (o) => get(o) === value);
  }
  return (o) => tests.every((f) => f(o));
}
