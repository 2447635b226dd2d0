// The `:proxies` rows of a joined mesh: every proxy's dump versions compared per context, with its pod's node.
import type { Mesh } from '../../mesh/join.js';
import { objectId } from '../../mesh/objects.js';
import { dumpVersions, proxySync } from '../../mesh/proxy-sync.js';
import type { ProxySyncEntry } from './plugin.js';

export { proxiesPlugin } from './plugin.js';

export function proxySyncEntries(mesh: Mesh): ProxySyncEntry[] {
  const byName = new Map(mesh.proxies().map((p) => [`${p.context}|${p.namespace}/${p.podName}`, p]));
  const rows = proxySync(mesh.proxies().map((p) => dumpVersions(p.context, `${p.namespace}/${p.podName}`, p.dump.configDump)));
  return rows.map((row) => {
    const p = byName.get(`${row.context}|${row.proxy}`);
    return { row, nodeId: p ? objectId(p.context, 'Pod', p.namespace, p.podName) : undefined };
  });
}
