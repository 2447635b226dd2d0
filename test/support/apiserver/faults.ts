// Fault rules of the test API server. A rule matches a request when every matcher it sets matches;
// the first matching rule's effects apply. Later hardening tests add rules at run time (server.faults.push(...)).

export interface RequestInfo {
  method: string;
  path: string;
  query: string;
  /** get, list, watch, patch, update, create (pods/portforward), delete */
  verb: string;
  group?: string;
  version?: string;
  /** plural, e.g. destinationrules */
  resource?: string;
  namespace?: string;
  name?: string;
  subresource?: string;
  /** For services/NAME/proxy/...: the path after proxy/. */
  proxyPath?: string;
}

export interface FaultRule {
  // ---- matchers ----
  verb?: string | string[];
  /** plural resource, or "pods/portforward", "services/proxy" */
  resource?: string;
  namespace?: string;
  name?: string;
  /** Matches the URL path: substring or RegExp. */
  path?: string | RegExp;
  /** Apply only this many times, then the rule is spent. */
  times?: number;
  // ---- effects ----
  /** Answer with a Kubernetes Status of this code (401, 403, 404, 429, 500, ...). */
  status?: number;
  message?: string;
  /** With status: answer this plain text instead of a Status (a backend behind a proxy subresource answering itself). */
  text?: string;
  /** Retry-After header (seconds), e.g. with 429. */
  retryAfterSeconds?: number;
  /** Extra latency before the request is handled. */
  latencyMs?: number;
  /** Never answer this request. */
  blackhole?: boolean;
  /** Destroy the connection (connection reset). */
  reset?: boolean;
  /** Send only this many bytes of the body, then drop the connection. */
  truncateBytes?: number;
  /** Watches: end the stream (drop the connection) after this long. */
  dropWatchAfterMs?: number;
  /** Port-forward: drop the WebSocket after relaying this many bytes to the client. */
  dieAfterBytes?: number;
  /** Hold the request until this settles (after latency), e.g. a barrier that lines up concurrent clients. */
  gate?: Promise<unknown>;
  /** Handle the request (a write lands), then destroy the connection before the answer: the outcome is unknown to the client. */
  resetAfterHandling?: boolean;
}

export function matchFault(rules: FaultRule[], info: RequestInfo): FaultRule | undefined {
  for (const r of rules) {
    if (r.times !== undefined && r.times <= 0) continue;
    if (r.verb !== undefined && !(Array.isArray(r.verb) ? r.verb : [r.verb]).includes(info.verb)) continue;
    if (r.resource !== undefined) {
      const res = info.subresource ? `${info.resource}/${info.subresource}` : info.resource;
      if (r.resource !== res && !(r.resource === info.resource && !info.subresource)) continue;
    }
    if (r.namespace !== undefined && r.namespace !== info.namespace) continue;
    if (r.name !== undefined && r.name !== info.name) continue;
    if (r.path !== undefined && !(typeof r.path === 'string' ? info.path.includes(r.path) : r.path.test(info.path))) continue;
    if (r.times !== undefined) r.times--;
    return r;
  }
  return undefined;
}
