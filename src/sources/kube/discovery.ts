// Which networking.istio.io version a context serves: v1, else v1beta1, else v1alpha3 (undefined: Istio not installed).
import type { KubeClient } from './client.js';
import { ISTIO_VERSIONS, SECURITY_VERSIONS } from './kinds.js';

interface APIGroupList { groups?: { name: string; versions?: { version: string }[] }[] }

export async function discoverIstioVersion(client: KubeClient): Promise<string | undefined> {
  const res = await client.request<APIGroupList>('GET', '/apis', { what: { verb: 'get', resource: 'API discovery (/apis)' } });
  const group = res.body.groups?.find((g) => g.name === 'networking.istio.io');
  const served = new Set((group?.versions ?? []).map((v) => v.version));
  return ISTIO_VERSIONS.find((v) => served.has(v));
}

/** The preferred security.istio.io version the context serves, from the same discovery document (undefined: not served). */
export async function discoverSecurityVersion(client: KubeClient): Promise<string | undefined> {
  const res = await client.request<APIGroupList>('GET', '/apis', { what: { verb: 'get', resource: 'API discovery (/apis)' } });
  const group = res.body.groups?.find((g) => g.name === 'security.istio.io');
  const served = new Set((group?.versions ?? []).map((v) => v.version));
  return SECURITY_VERSIONS.find((v) => served.has(v));
}
