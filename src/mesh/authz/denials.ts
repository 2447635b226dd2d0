// Requests a proxy's RBAC filters refused, from its Envoy counters: `<prefix>rbac.denied` between the first and last
// stats sample, per stat prefix (the inbound HTTP connection manager's, or the network filter's "tcp."). Pure.
import type { ProxyDump } from '../../model/context.js';
import { rbacDeltas, sampleWindow } from '../../model/envoy/stats.js';
import { dumpSamples } from '../traffic.js';

export interface ProxyDenials {
  /** Requests (HTTP) or connections (TCP) refused, over every prefix. */
  denied: number;
  /** Allowed through the same filters. */
  allowed: number;
  seconds: number;
  /** The stat prefixes that refused some, e.g. "http.inbound_0.0.0.0_9080." or "tcp.". */
  prefixes: string[];
}

/** What the proxy's RBAC filters refused between its stats samples; undefined when nothing was refused or counted. */
export function proxyDenials(dump: ProxyDump): ProxyDenials | undefined {
  const { samples } = dumpSamples(dump);
  const w = samples ? sampleWindow(samples) : undefined;
  if (!w) return undefined;
  const deltas = rbacDeltas(w.first, w.last);
  const denied = deltas.reduce((n, d) => n + d.denied, 0);
  if (denied === 0) return undefined;
  return {
    denied, allowed: deltas.reduce((n, d) => n + d.allowed, 0), seconds: w.seconds,
    prefixes: deltas.filter((d) => d.denied > 0).map((d) => d.prefix),
  };
}
