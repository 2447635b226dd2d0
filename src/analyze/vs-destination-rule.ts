// virtualservice.DestinationRuleAnalyzer: a destination (or mirror) naming a subset needs a DestinationRule for
// that host defining the subset (IST0101 "host+subset in destinationrule").
import type { DestinationRuleSpec, VirtualServiceSpec } from '../model/resources.js';
import { hostSubsetOf, isExportedTo, isWildcard, toFqdn } from '../mesh/hosts.js';
import type { Check, Finding } from './types.js';
import type { AnalyzedObject } from './input.js';
import { mirrorDestinations, routeDestinations } from './destinations.js';
import { report } from './report.js';

const NAME = 'virtualservice.DestinationRuleAnalyzer';

export const vsDestinationRuleCheck: Check = {
  name: NAME,
  description: 'a VirtualService routes to a subset no DestinationRule for that host defines',
  codes: [{ code: 'IST0101', level: 'Error', summary: 'referenced host+subset (or mirror+subset) not found in any DestinationRule' }],
  run(input) {
    const out: Finding[] = [];
    for (const ctx of input.contexts) {
      if (ctx.kind('VirtualService').length === 0) continue;
      const drs = indexRules(ctx.kind<DestinationRuleSpec>('DestinationRule'));
      for (const vs of ctx.kind<VirtualServiceSpec>('VirtualService')) {
        for (const [list, what] of [[routeDestinations(vs.spec), 'host+subset in destinationrule'], [mirrorDestinations(vs.spec), 'mirror+subset in destinationrule']] as const) {
          for (const d of list) {
            const subset = d.destination.subset;
            if (!subset) continue;
            if (subsetDefined(drs, vs.namespace, d.destination.host ?? '', subset)) continue;
            out.push(report(NAME, vs, 'ReferencedResourceNotFound', [what, `${d.destination.host ?? ''}+${subset}`], `${d.path}.subset`));
          }
        }
      }
    }
    return out;
  },
};

export interface RuleIndex { byHost: Map<string, AnalyzedObject<DestinationRuleSpec>[]>; wildcards: { host: string; dr: AnalyzedObject<DestinationRuleSpec> }[] }

export function indexRules(drs: AnalyzedObject<DestinationRuleSpec>[]): RuleIndex {
  const idx: RuleIndex = { byHost: new Map(), wildcards: [] };
  for (const dr of drs) {
    const host = toFqdn(dr.spec.host ?? '', dr.namespace);
    if (isWildcard(host)) idx.wildcards.push({ host, dr });
    else {
      const l = idx.byHost.get(host);
      if (l) l.push(dr);
      else idx.byHost.set(host, [dr]);
    }
  }
  return idx;
}

/** Some DestinationRule visible from `clientNs` whose host covers `host` defines `subset`. */
export function subsetDefined(idx: RuleIndex, clientNs: string, host: string, subset: string): boolean {
  const fqdn = toFqdn(host, clientNs);
  const defines = (dr: AnalyzedObject<DestinationRuleSpec>): boolean =>
    isExportedTo(dr.spec.exportTo, dr.namespace, clientNs) && (dr.spec.subsets ?? []).some((s) => s?.name === subset);
  for (const dr of idx.byHost.get(fqdn) ?? []) if (defines(dr)) return true;
  for (const w of idx.wildcards) if (hostSubsetOf(fqdn, w.host) && defines(w.dr)) return true;
  return false;
}
