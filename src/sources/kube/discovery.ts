// Which version of each kind a context serves, from its discovery documents: one GET /apis, then GET /apis/G/V for
// the groups meshscope needs (only the versions it has to look at). A kind is listed at its group's preferred version
// when that version serves it and meshscope understands it, else at the newest served version meshscope understands.
// A kind whose CRD is not installed is no error: it is reported as absent. Answers are kept per context and server
// for the session (forgetDiscovery drops one).
import type { KubeClient } from './client.js';
import { KubeRequestError } from './errors.js';
import { GROUP_NAMES, KIND_SPECS, kindLabel, type KindSpec, type LiveKind } from './kinds.js';

interface APIGroup { name: string; versions?: { version: string }[]; preferredVersion?: { version: string } }
interface APIGroupList { groups?: APIGroup[] }
interface APIResourceList { resources?: { name: string; kind?: string }[] }

/** A kind whose served version could not be read (discovery of that group version failed). */
export interface KindFailure { spec: KindSpec; version: string; reason: string }

export interface Discovery {
  /** The kinds to list, each at its chosen version, in KIND_SPECS order. */
  kinds: LiveKind[];
  /** Kinds served at the chosen version but not listed yet (KindSpec.list false). */
  discovered: LiveKind[];
  /** What is not installed, for the summary and the TUI header: "Gateway API not installed", "TCPRoute not served (gateway.networking.k8s.io)". */
  absent: string[];
  failures: KindFailure[];
}

const cache = new Map<string, Promise<Discovery>>();

/** The context's discovery, asked once per context and server for the session. */
export function discoverKinds(client: KubeClient, specs: KindSpec[] = KIND_SPECS): Promise<Discovery> {
  const key = `${client.context}\0${client.server}`;
  let d = cache.get(key);
  if (!d) {
    d = readDiscovery(client, specs);
    cache.set(key, d);
    d.catch(() => cache.delete(key)); // a failed discovery is asked again next time
  }
  return d;
}

/** Drops what was remembered for a context (all contexts without a name). */
export function forgetDiscovery(context?: string): void {
  for (const k of [...cache.keys()]) if (context === undefined || k.startsWith(`${context}\0`)) cache.delete(k);
}

/** Every version of `group` that serves `spec`, in the order to try: preferred first, then newest understood. */
export function candidateVersions(spec: KindSpec, group: APIGroup): string[] {
  const served = new Set((group.versions ?? []).map((v) => v.version));
  const preferred = group.preferredVersion?.version;
  const out = preferred && served.has(preferred) && spec.versions.includes(preferred) ? [preferred] : [];
  for (const v of spec.versions) if (served.has(v) && !out.includes(v)) out.push(v);
  return out;
}

async function readDiscovery(client: KubeClient, specs: KindSpec[]): Promise<Discovery> {
  const list = await client.request<APIGroupList>('GET', '/apis', { what: { verb: 'get', resource: 'API discovery (/apis)' } });
  const groups = new Map((list.body?.groups ?? []).map((g) => [g.name, g] as const));
  const resources = new Map<string, Promise<Set<string>>>();
  const resourcesOf = (group: string, version: string) => {
    const key = `${group}/${version}`;
    let p = resources.get(key);
    if (!p) {
      p = client.request<APIResourceList>('GET', `/apis/${group}/${version}`, { what: { verb: 'get', resource: `API discovery (/apis/${key})` } })
        .then((r) => new Set((r.body?.resources ?? []).map((x) => x.name)));
      resources.set(key, p);
    }
    return p;
  };

  const chosen = await Promise.all(specs.map(async (spec): Promise<{ spec: KindSpec; version?: string; failure?: KindFailure; reason?: string }> => {
    if (!spec.group) return { spec, version: spec.versions[0] };
    const group = groups.get(spec.group);
    if (!group) return { spec, reason: 'group' };
    for (const v of candidateVersions(spec, group)) {
      let served: Set<string>;
      try {
        served = await resourcesOf(spec.group, v);
      } catch (err) {
        const reason = err instanceof KubeRequestError ? err.reason : String(err);
        return { spec, failure: { spec, version: v, reason } };
      }
      if (served.has(spec.plural)) return { spec, version: v };
    }
    return { spec, reason: 'kind' };
  }));

  const out: Discovery = { kinds: [], discovered: [], absent: [], failures: [] };
  const absentGroups = new Set<string>();
  for (const c of chosen) {
    const { versions: _v, list, quiet, ...base } = c.spec;
    if (c.version) (list ? out.kinds : out.discovered).push({ ...base, version: c.version });
    else if (c.failure) out.failures.push(c.failure);
    else if (quiet) continue;
    else if (c.reason === 'group') absentGroups.add(c.spec.group);
    else out.absent.push(`${c.spec.kind} not served (${c.spec.group})`);
  }
  const groupNotes = [...absentGroups].map((g) => GROUP_NAMES[g]?.absent ?? `${g} not served`);
  out.absent.unshift(...groupNotes);
  return out;
}

/** The one-line load issue of a failed kind: "EnvoyFilter (networking.istio.io/v1alpha3): forbidden". */
export function kindFailureMessage(k: { kind: string; group: string }, version: string, reason: string): string {
  return `${kindLabel(k, version)}: ${reason}`;
}
