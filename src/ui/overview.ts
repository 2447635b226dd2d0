// The landing overview (the details of a context node, selected at launch): per context its status, findings by
// severity, the top problems one line each, the stale proxies; contexts that failed or loaded partly, with why.
// Every problem line jumps to its object (a drift finding to the proxy that runs the stale config). Pure.
import type { ProblemItem } from './problems/reducer.js';
import type { ContextInfo, DetailsSection } from './types.js';

export const DRIFT_CODES = new Set(['MS0201']);
/** Requests refused by authorization (403s that look like routing): listed on their own, whatever their level. */
const REFUSAL_CODES = new Set(['MS0508']);
const MARK = { Error: '✗', Warning: '⚠', Info: 'i' } as const;

export interface OverviewOptions {
  /** Problems shown per context (the rest are counted; `!` lists them all). */
  top?: number;
  /** Tree node of a proxy ("ns/pod" in a context), for the stale-proxy lines. */
  proxyNode?(context: string, proxy: string): string | undefined;
}

function counts(items: ProblemItem[]): string {
  const n = (l: ProblemItem['level']) => items.filter((i) => i.level === l && !DRIFT_CODES.has(i.code)).length;
  const drift = items.filter((i) => DRIFT_CODES.has(i.code)).length;
  const parts = [[n('Error'), 'error'], [n('Warning'), 'warning'], [n('Info'), 'info'], [drift, 'drift']] as const;
  const out = parts.filter(([c]) => c > 0).map(([c, w]) => `${c} ${w}${c === 1 || w === 'drift' ? '' : 's'}`);
  return out.length ? out.join(', ') : 'no findings';
}

/** A one-line problem: code, object, message (the message cut at its first sentence end when long). */
function problemText(p: ProblemItem): string {
  const msg = p.message.length > 160 ? `${p.message.slice(0, 157)}…` : p.message;
  return `[${p.code}] ${p.origin}: ${msg}`;
}

export function overviewSections(contexts: readonly ContextInfo[], items: readonly ProblemItem[], opts: OverviewOptions = {}): DetailsSection[] {
  const top = opts.top ?? 5;
  const head: DetailsSection = { title: `Overview: ${contexts.length} context${contexts.length === 1 ? '' : 's'}, ${counts([...items])}`, items: [] };
  const failed = contexts.filter((c) => c.status === 'error' || c.status === 'partial');
  for (const c of failed) head.items.push({ mark: c.status === 'error' ? '✗' : '⚠', text: `context ${c.name} ${c.status === 'error' ? 'failed' : 'loaded partly'}: ${c.reason ?? 'no reason given'}` });
  const loading = contexts.filter((c) => c.status === 'loading');
  if (loading.length) head.items.push({ mark: '·', text: `loading: ${loading.map((c) => c.name).join(', ')}` });
  if (items.length) head.items.push({ mark: '·', text: 'Enter on a line goes there; ! lists every finding' });
  const out = [head];
  for (const c of contexts) {
    const mine = items.filter((i) => i.context === c.name);
    const section: DetailsSection = { title: `${c.name}: ${c.status}, ${counts(mine)}`, items: [] };
    const stale = new Map<string, ProblemItem>();
    for (const p of mine) if (DRIFT_CODES.has(p.code) && p.proxy && !stale.has(p.proxy)) stale.set(p.proxy, p);
    for (const [proxy, p] of stale) {
      section.items.push({ mark: '≠', text: `stale proxy ${proxy} (${p.code}: differs from ${p.origin})`, targetId: opts.proxyNode?.(c.name, proxy) ?? p.nodeId });
    }
    const refusals = mine.filter((x) => REFUSAL_CODES.has(x.code));
    for (const p of refusals) {
      section.items.push({ mark: '⊘', text: `403 by ${p.origin} on ${p.proxy ?? 'a proxy'} (${p.code}: requests refused)`, targetId: p.nodeId });
    }
    const rest = mine.filter((p) => !DRIFT_CODES.has(p.code) && !REFUSAL_CODES.has(p.code));
    // Refusals take their place among the top lines, so the overview keeps its height.
    const shown = Math.max(1, top - refusals.length);
    for (const p of rest.slice(0, shown)) section.items.push({ mark: MARK[p.level], text: problemText(p), targetId: p.nodeId });
    if (rest.length > shown) section.items.push({ mark: '·', text: `…and ${rest.length - shown} more (!)` });
    if (c.status === 'ok' && mine.length === 0) section.items.push({ mark: '·', text: 'nothing wrong found' });
    out.push(section);
  }
  return out;
}
