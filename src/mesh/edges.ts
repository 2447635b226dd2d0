// The bulk of the graph's edges follow from the model's own references (a destination's pods, a Service's pods...).
// They are materialised on first use of the edge list, so a join that nobody walks by edge does not pay for them.
import type { ContextIndex } from './indexes.js';
import type { MeshEdge, MeshService } from './objects.js';

export function deriveEdges(contexts: ContextIndex[], services: Map<string, MeshService>, add: (e: MeshEdge) => void): void {
  for (const ctx of contexts) {
    for (const gw of ctx.gateways) {
      for (const p of gw.pods) add({ kind: 'gateway-pod', from: gw.id, to: p.id });
      for (const s of gw.services) add({ kind: 'gateway-service', from: gw.id, to: s.id, note: s.ports.map((p) => `${p.name ?? ''}:${p.port}`).join(',') });
    }
    for (const s of ctx.services) for (const p of s.pods) add({ kind: 'service-pod', from: s.id, to: p.id });
    for (const se of ctx.serviceEntries) for (const e of se.endpoints) add({ kind: 'serviceentry-endpoint', from: se.id, to: e.pod?.id, note: e.address });
    for (const vs of ctx.virtualServices) {
      for (const b of vs.gateways) if (b.gateway && !b.dangling) add({ kind: 'vs-gateway', from: vs.id, to: b.gateway.id, note: b.hosts.join(',') });
      for (const rule of vs.rules) {
        add({ kind: 'vs-rule', from: vs.id, to: rule.id });
        for (const d of rule.destinations) {
          add({ kind: 'rule-destination', from: rule.id, to: d.id, weight: d.mirror ? d.mirrorPercent : d.weight });
          for (const t of d.targets) add({ kind: 'destination-host', from: d.id, to: t.id, note: d.resolution.via });
          if (d.destinationRule) for (const r of d.destinationRule.rules) add({ kind: 'destination-rule', from: d.id, to: r.value.id, note: d.destinationRule.scope });
          if (d.subsetDef) add({ kind: 'destination-subset', from: d.id, to: d.subsetDef.id });
          for (const p of d.pods) add({ kind: 'destination-pod', from: d.id, to: p.id });
          for (const e of d.endpoints) add({ kind: 'destination-endpoint', from: d.id, to: e.pod?.id, note: e.address });
        }
      }
    }
  }
  for (const s of services.values()) {
    if (s.members.length < 2 || s.members.every((m) => m.context === s.members[0]!.context)) continue;
    for (const m of s.members) add({ kind: 'service-member', from: `mesh:${s.host}`, to: m.id, note: m.context });
  }
}
