// Text and JSON forms of observed traffic (mesh/traffic.ts) for `meshscope traffic`.
import type { RuleTraffic } from '../mesh/traffic.js';
import { sanitizeLine } from '../core/sanitize.js';

const pct = (v: number | undefined) => (v === undefined ? '-' : `${(v * 100).toFixed(1)}%`);
const rate = (v: number, unit: string) => `${v.toFixed(1)} ${unit}`;

export function unitShort(t: RuleTraffic): string {
  return t.unit === 'requests' ? 'rps' : 'cps';
}

export function ruleTitle(t: RuleTraffic): string {
  const r = t.rule;
  if (r.source) return `rules[${r.source.rule}]`;
  return `${r.protocol}[${r.index}]${r.name ? ` ${r.name}` : ''}`;
}

function pad(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd());
}

/** One block per rule: a table of destinations, then the proxies the numbers came from. */
export function trafficText(list: RuleTraffic[], perProxy = false): string {
  const out: string[] = [];
  for (const t of list) {
    const vs = t.rule.vs;
    const counted = t.proxies.filter((p) => !p.problem);
    const windows = [...new Set(counted.map((p) => `${Math.round(p.windowSeconds ?? 0)}s`))].join('/');
    out.push(sanitizeLine(`${vs.context}  ${t.rule.source ? `${vs.kind} ` : ''}${vs.namespace}/${vs.name}  ${ruleTitle(t)}  match: ${t.rule.match}`));
    if (t.proxies.length === 0) {
      out.push('  no loaded proxy routes this rule', '');
      continue;
    }
    out.push(`  ${t.unit} over ${windows || '-'} from ${counted.length} of ${t.proxies.length} proxies: ${rate(t.rate, unitShort(t))} in all`);
    const rows = [['DESTINATION', 'WEIGHT', 'OBSERVED', 'RATE', t.unit === 'requests' ? '5XX' : 'EJECTED']];
    for (const d of t.destinations) {
      rows.push([sanitizeLine(d.label), `${d.weight}%`, pct(d.share), rate(d.rate, unitShort(t)), t.unit === 'requests' ? pct(d.errorRate) : String(d.ejectionsActive)]);
      if (perProxy) {
        for (const p of d.perProxy) rows.push([sanitizeLine(`  ${p.proxy}`), '', pct(p.share), rate(p.rate, unitShort(t)), t.unit === 'requests' ? pct(p.count ? p.errors5xx / p.count : undefined) : String(p.ejectionsActive)]);
      }
    }
    out.push(...pad(rows).map((l) => `  ${l}`));
    const sources = counted.filter((p) => p.count > 0).map((p) => `${p.proxy} ${rate(p.count / (p.windowSeconds || 1), unitShort(t))}`);
    out.push(sanitizeLine(`  counted by: ${sources.length ? sources.join(', ') : 'none (no traffic in the window)'}`));
    const silent = t.proxies.filter((p) => p.noCounters).map((p) => p.proxy);
    if (silent.length) out.push(sanitizeLine(`  no counters (no traffic yet, or Istio's proxyStatsMatcher leaves these clusters out): ${silent.join(', ')}`));
    for (const p of t.proxies.filter((x) => x.problem)) out.push(sanitizeLine(`  not counted: ${p.proxy}: ${p.problem}`));
    out.push('');
  }
  return out.join('\n');
}

export function trafficJson(list: RuleTraffic[]): unknown {
  return list.map((t) => ({
    context: t.rule.vs.context, ...(t.rule.source ? { kind: t.rule.vs.kind } : {}), namespace: t.rule.vs.namespace, name: t.rule.vs.name,
    rule: t.rule.source ? { kind: 'rules', index: t.rule.source.rule, name: null, match: t.rule.match }
      : { kind: t.rule.protocol, index: t.rule.index, name: t.rule.name ?? null, match: t.rule.match },
    unit: t.unit, count: t.count, rate: t.rate,
    destinations: t.destinations.map((d) => ({
      destination: d.label, host: d.destination.host, subset: d.destination.subset ?? null, port: d.destination.port ?? null,
      weight: d.weight, count: d.count, rate: d.rate, share: d.share ?? null, errors5xx: d.errors5xx, errorRate: d.errorRate ?? null,
      ejectionsActive: d.ejectionsActive,
      proxies: d.perProxy.map((p) => ({ proxy: p.proxy, context: p.context, clusters: p.clusters, count: p.count, rate: p.rate, share: p.share ?? null, errors5xx: p.errors5xx, counted: p.seen })),
    })),
    proxies: t.proxies.map((p) => ({
      proxy: p.proxy, context: p.context, count: p.count, windowSeconds: p.windowSeconds ?? null,
      from: p.from !== undefined ? new Date(p.from).toISOString() : null, to: p.to !== undefined ? new Date(p.to).toISOString() : null,
      problem: p.problem ?? null, noCounters: Boolean(p.noCounters),
    })),
  }));
}
