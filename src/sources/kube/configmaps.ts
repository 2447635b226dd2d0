// The CA bundle ConfigMaps Gateway API objects name, read one by one with GET: ConfigMaps are never listed (nor are
// Secrets ever read), so only the referenced ones are fetched. A 404 is recorded as checked (the translation reports
// the reference as missing); any other failure leaves the reference unknown, with a warning.
import type { ContextSnapshot } from '../../model/context.js';
import type { LoadedObject } from '../../model/resources.js';
import { caConfigMapRefs } from '../../model/gateway-api.js';
import type { KubeClient } from './client.js';
import { KubeRequestError, transportError } from './errors.js';
import { normalizeItem, objectPath, type LiveKind } from './kinds.js';

const CONFIGMAP: LiveKind = { kind: 'ConfigMap', plural: 'configmaps', group: '', version: 'v1', namespaced: true, istio: false };

/** GETs the referenced ConfigMaps (those in `namespace` only, with -n) into the snapshot; sets configMapsChecked. */
export async function readCaConfigMaps(client: KubeClient, snap: ContextSnapshot, namespace: string | undefined, timeoutMs: number): Promise<void> {
  const refs = caConfigMapRefs(snap.objects.map((o) => o.obj)).filter((r) => !namespace || r.startsWith(`${namespace}/`));
  if (refs.length === 0) return;
  const checked: string[] = [];
  const found: LoadedObject[] = [];
  await Promise.all(refs.map(async (ref) => {
    const i = ref.indexOf('/');
    const ns = ref.slice(0, i);
    const name = ref.slice(i + 1);
    try {
      const res = await client.request<Record<string, unknown>>('GET', objectPath(CONFIGMAP, ns, name), { what: { verb: 'get', resource: 'configmaps', namespace: ns, name } });
      found.push({ obj: normalizeItem(CONFIGMAP, 'v1', res.body), origin: { context: snap.name } });
      checked.push(ref);
    } catch (err) {
      if (err instanceof KubeRequestError && err.status === 404) {
        checked.push(ref);
        return;
      }
      snap.issues.push({
        context: snap.name, severity: 'warning', object: `ConfigMap ${ref}`,
        message: `CA bundle not read (its references are not checked): ${transportError(err, timeoutMs).reason}`,
      });
    }
  }));
  found.sort((a, b) => `${a.obj.metadata.namespace}/${a.obj.metadata.name}`.localeCompare(`${b.obj.metadata.namespace}/${b.obj.metadata.name}`));
  snap.objects.push(...found);
  snap.configMapsChecked = checked.sort();
}
