// Discovery documents as kube-apiserver v1.21 writes them (see ../shared/conformance/kube-apiserver/01-discovery):
// /api (APIVersions), /apis (APIGroupList), /apis/G (APIGroup), /api/v1 and /apis/G/V (APIResourceList).
import { BUILTIN_SUBRESOURCES, groupVersions, type ResourceType } from './crds.js';

/** The plain-text body of the mux's 404 (unknown group, unserved version, unknown resource of a CRD group). */
export const PAGE_NOT_FOUND = '404 page not found\n';

const gv = (group: string, version: string) => ({ groupVersion: group ? `${group}/${version}` : version, version });

export function apiVersions(serverAddress: string) {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

function groupEntry(types: ResourceType[], group: string) {
  const versions = groupVersions(types, group);
  return versions.length === 0 ? undefined : { name: group, versions: versions.map((v) => gv(group, v)), preferredVersion: gv(group, versions[0]) };
}

/** Built-in groups first (in table order), then the CRD groups. */
export function apiGroupList(types: ResourceType[]) {
  const names: string[] = [];
  for (const t of types) if (t.group && !names.includes(t.group)) names.push(t.group);
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: names.map((g) => groupEntry(types, g)!) };
}

export function apiGroup(types: ResourceType[], group: string) {
  const e = groupEntry(types, group);
  return e && { kind: 'APIGroup', apiVersion: 'v1', ...e };
}

/** undefined when the group-version is not served (the caller answers 404 page not found). */
export function apiResourceList(types: ResourceType[], group: string, version: string) {
  const served = types.filter((t) => t.group === group && t.versions.includes(version));
  if (served.length === 0) return undefined;
  const resources: Record<string, unknown>[] = [];
  for (const t of served) {
    resources.push({
      name: t.plural, singularName: t.singular, namespaced: t.namespaced, kind: t.kind, verbs: t.verbs,
      ...(t.shortNames?.length ? { shortNames: t.shortNames } : {}), ...(t.categories?.length ? { categories: t.categories } : {}),
    });
    if (t.status) resources.push({ name: `${t.plural}/status`, singularName: '', namespaced: t.namespaced, kind: t.kind, verbs: ['get', 'patch', 'update'] });
    for (const sub of t.builtin ? BUILTIN_SUBRESOURCES[t.plural] ?? [] : []) {
      resources.push({ name: sub.name, singularName: '', namespaced: t.namespaced, kind: sub.name.endsWith('/portforward') ? 'PodPortForwardOptions' : sub.name.endsWith('/proxy') ? `${t.kind}ProxyOptions` : t.kind, verbs: sub.verbs });
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: gv(group, version).groupVersion, resources };
}
