// serviceentry.ConflictingServiceEntryProtocolAnalyzer: ServiceEntries visible in the same namespace define one
// host and port with different protocols (IST0177); each conflicting ServiceEntry is reported once.
import type { ServiceEntrySpec } from '../model/resources.js';
import type { Check, Finding } from './types.js';
import type { AnalyzedObject } from './input.js';
import { report } from './report.js';

const NAME = 'serviceentry.ConflictingServiceEntryProtocolAnalyzer';
const ALL = '*';

interface Entry { se: AnalyzedObject<ServiceEntrySpec>; protocol: string; portIndex: number }

/** Namespaces a ServiceEntry is visible in ('*' for all). */
function scopes(exportTo: readonly string[] | undefined, ns: string): string[] {
  if (!exportTo || exportTo.length === 0 || exportTo.includes(ALL)) return [ALL];
  return [...new Set(exportTo.map((e) => (e === '.' ? ns : e)))];
}

export const serviceEntryProtocolCheck: Check = {
  name: NAME,
  description: 'several ServiceEntries define the same host and port with different protocols',
  codes: [{ code: 'IST0177', level: 'Warning', summary: 'ServiceEntries disagree on the protocol of a host and port' }],
  run(input) {
    const out: Finding[] = [];
    for (const ctx of input.contexts) {
      const index = new Map<string, Entry[]>();
      const keyOf = (scope: string, host: string, port: number) => JSON.stringify([scope, host, port]);
      for (const se of ctx.kind<ServiceEntrySpec>('ServiceEntry')) {
        for (const scope of scopes(se.spec.exportTo, se.namespace)) {
          for (const host of se.spec.hosts ?? []) {
            (se.spec.ports ?? []).forEach((p, portIndex) => {
              if (typeof p?.number !== 'number') return;
              const k = keyOf(scope, host, p.number);
              const e: Entry = { se, protocol: (p.protocol ?? '').toUpperCase(), portIndex };
              const l = index.get(k);
              if (l) l.push(e); else index.set(k, [e]);
            });
          }
        }
      }
      const reported = new Set<AnalyzedObject>();
      for (const [k, own] of index) {
        const [scope, host, port] = JSON.parse(k) as [string, string, number];
        const entries = scope === ALL ? own : [...own, ...(index.get(keyOf(ALL, host, port)) ?? [])];
        const protocols = [...new Set(entries.map((e) => e.protocol))].sort();
        if (protocols.length < 2) continue;
        const seNames = [...new Set(entries.map((e) => e.se.fullName))].sort().join(', ');
        for (const e of entries) {
          if (reported.has(e.se)) continue;
          reported.add(e.se);
          out.push(report(NAME, e.se, 'ConflictingServiceEntryProtocol', [seNames, host, port, protocols.join(', ')], `spec.ports[${e.portIndex}].protocol`));
        }
      }
    }
    return out;
  },
};
