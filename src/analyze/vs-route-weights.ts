// Kiali's route checks and meshscope's weight sum: the same host+subset twice in one rule (MS0002), a weight on a
// single destination (MS0003), and weights that do not add up to 100 (MS0006, Info: Istio normalises them).
import type { RouteDestination, VirtualServiceSpec } from '../model/resources.js';
import { toFqdn } from '../mesh/hosts.js';
import type { Check, Finding } from './types.js';
import { report } from './report.js';

const REPEATED = 'virtualservice.RepeatedDestination';
const SINGLE = 'virtualservice.SingleDestinationWeight';
const SUM = 'virtualservice.WeightSum';

type Rules = { protocol: 'http' | 'tcp' | 'tls'; index: number; name?: string; route: RouteDestination[] }[];

function rulesOf(vs: VirtualServiceSpec): Rules {
  const out: Rules = [];
  for (const protocol of ['http', 'tcp', 'tls'] as const) {
    (vs[protocol] ?? []).forEach((r, index) => {
      if (r?.route && r.route.length > 0) out.push({ protocol, index, name: r.name, route: r.route });
    });
  }
  return out;
}

const ruleLabel = (r: Rules[number]): string => (r.name ? JSON.stringify(r.name) : `${r.protocol}[${r.index}]`);

export const vsRepeatedDestinationCheck: Check = {
  name: REPEATED,
  description: 'a rule lists the same host+subset (and port) more than once (Kiali KIA1105)',
  codes: [{ code: 'MS0002', level: 'Warning', summary: 'same host+subset twice in one rule' }],
  run(input) {
    const out: Finding[] = [];
    for (const ctx of input.contexts) {
      for (const vs of ctx.kind<VirtualServiceSpec>('VirtualService')) {
        for (const r of rulesOf(vs.spec)) {
          const seen = new Set<string>();
          r.route.forEach((rd, j) => {
            const d = rd?.destination;
            if (!d?.host) return;
            const key = `${toFqdn(d.host, vs.namespace)}+${d.subset ?? ''}:${d.port?.number ?? ''}`;
            if (seen.has(key)) {
              out.push(report(REPEATED, vs, 'DuplicateDestinationInRule', [ruleLabel(r), `${d.host}+${d.subset ?? ''}`], `spec.${r.protocol}[${r.index}].route[${j}].destination`));
            }
            seen.add(key);
          });
        }
      }
    }
    return out;
  },
};

export const vsSingleDestinationWeightCheck: Check = {
  name: SINGLE,
  description: 'a rule with one destination gives it a weight other than 100 (Kiali KIA1104)',
  codes: [{ code: 'MS0003', level: 'Warning', summary: 'weight on a single destination' }],
  run(input) {
    const out: Finding[] = [];
    for (const ctx of input.contexts) {
      for (const vs of ctx.kind<VirtualServiceSpec>('VirtualService')) {
        for (const r of rulesOf(vs.spec)) {
          const w = r.route[0]?.weight;
          if (r.route.length === 1 && w !== undefined && w !== 100) {
            out.push(report(SINGLE, vs, 'WeightOnSingleDestination', [ruleLabel(r), w], `spec.${r.protocol}[${r.index}].route[0].weight`));
          }
        }
      }
    }
    return out;
  },
};

export const vsWeightSumCheck: Check = {
  name: SUM,
  description: 'the weights of a rule with several destinations do not sum to 100',
  codes: [{ code: 'MS0006', level: 'Info', summary: 'weights do not sum to 100 (Istio normalises)' }],
  run(input) {
    const out: Finding[] = [];
    for (const ctx of input.contexts) {
      for (const vs of ctx.kind<VirtualServiceSpec>('VirtualService')) {
        for (const r of rulesOf(vs.spec)) {
          if (r.route.length < 2) continue;
          const ws = r.route.map((d) => d?.weight ?? 0);
          const sum = ws.reduce((a, b) => a + b, 0);
          if (sum === 100) continue;
          const eff = sum === 0 ? ws.map(() => Math.round(100 / ws.length)) : ws.map((w) => Math.round((w * 100) / sum));
          const hosts = r.route.map((d, i) => `${d?.destination?.subset ? `${d.destination.host}/${d.destination.subset}` : d?.destination?.host ?? '?'} ${eff[i]}%`).join(', ');
          out.push(report(SUM, vs, 'WeightsNotSumming', [ruleLabel(r), sum, `effective: ${hosts}`], `spec.${r.protocol}[${r.index}].route`));
        }
      }
    }
    return out;
  },
};
