// istioctl proxy-status writers (XdsStatusWriter): the table (default and -v with one column per xDS type), and
// -o json|yaml, which print each istiod's syncz DiscoveryResponse (jsonpb, 4-space indent; YAML via sigs.k8s.io/yaml).
import {
  filterResponse, proxyStatusRows, shortType, statusCell, subscribedTypes, verboseTypes,
  type SyncResponse,
} from '../model/proxy-status.js';
import { sanitizeLine, terminalSafeJson } from '../core/sanitize.js';
import { tabwrite } from './tabwriter.js';
import { marshalJsonpb, type JsonpbSchema } from './jsonpb-writer.js';
import { toGoYaml } from './goyaml.js';

export interface ProxyStatusOptions {
  /** 0: SUBSCRIBED TYPES; 1 or more: one column per type with the age of its last update. */
  verbosity?: number;
  /** Only proxies whose node metadata NAMESPACE is this. */
  namespace?: string;
  /** The clock for ages (-v). */
  now?: Date;
}

/** The proxy-status table for the syncz responses of one or more istiods (keyed by istiod). */
export function proxyStatusTable(responses: Record<string, SyncResponse>, opts: ProxyStatusOptions = {}): string {
  const rows = proxyStatusRows(responses, opts.namespace);
  const cell = (s: string) => sanitizeLine(s);
  let text: string;
  if ((opts.verbosity ?? 0) > 0) {
    const urls = verboseTypes(rows);
    const now = opts.now ?? new Date();
    text = `${['NAME', 'CLUSTER', ...urls.map((u) => cell(shortType(u))), 'ISTIOD', 'VERSION'].join('\t')}\n`;
    for (const r of rows) {
      text += `${[r.proxy, r.cluster, ...urls.map((u) => statusCell(r.types.get(u), now)), r.istiod, r.version].map(cell).join('\t')}\n`;
    }
  } else {
    text = 'NAME\tCLUSTER\tISTIOD\tVERSION\tSUBSCRIBED TYPES\n';
    for (const r of rows) {
      const types = subscribedTypes(r);
      const subscribed = types.length === 0 ? '0' : `${types.length} (${types.join(',')})`;
      text += `${[r.proxy, r.cluster, r.istiod, r.version, subscribed].map(cell).join('\t')}\n`;
    }
  }
  return tabwrite(text, { padding: 5, tabwidth: 8 });
}

const ORDER: Record<string, string[]> = {
  response: ['versionInfo', 'resources', 'canary', 'typeUrl', 'nonce', 'controlPlane'],
  clientConfig: ['@type', 'node', 'xdsConfig', 'genericXdsConfigs', 'clientScope'],
  node: ['id', 'cluster', 'metadata', 'dynamicParameters', 'locality', 'userAgentName', 'userAgentVersion', 'userAgentBuildVersion', 'extensions', 'clientFeatures', 'listeningAddresses'],
  generic: ['typeUrl', 'name', 'versionInfo', 'xdsConfig', 'lastUpdated', 'configStatus', 'clientStatus', 'errorState', 'isStaticResource'],
};

function orderOf(o: Record<string, unknown>): string[] {
  const known = 'resources' in o || 'controlPlane' in o ? ORDER.response
    : 'genericXdsConfigs' in o || 'node' in o ? ORDER.clientConfig
      : 'configStatus' in o || ('typeUrl' in o && !('resources' in o)) ? ORDER.generic
        : 'id' in o && 'metadata' in o ? ORDER.node : undefined;
  if (!known) return Object.keys(o);
  return [...known.filter((k) => k in o), ...Object.keys(o).filter((k) => !known.includes(k))];
}

const SYNCZ_SCHEMA: JsonpbSchema = {
  kindOf: (key, parent) => (key === 'metadata' && 'id' in parent ? 'struct' : 'message'),
  order: orderOf,
};

function each(responses: Record<string, SyncResponse>, namespace: string | undefined, print: (r: SyncResponse) => string): string {
  return Object.keys(responses).sort().map((k) => print(filterResponse(responses[k], namespace))).join('');
}

/** `-o json`: each istiod's response as jsonpb (4-space indent), one after another. */
export function proxyStatusJson(responses: Record<string, SyncResponse>, opts: ProxyStatusOptions = {}): string {
  return each(responses, opts.namespace, (r) => `${terminalSafeJson(marshalJsonpb(r as Record<string, unknown>, '    ', SYNCZ_SCHEMA))}\n`);
}

/** `-o yaml`: each istiod's response as YAML (keys sorted), each followed by an empty line. */
export function proxyStatusYaml(responses: Record<string, SyncResponse>, opts: ProxyStatusOptions = {}): string {
  return each(responses, opts.namespace, (r) => `${toGoYaml(JSON.parse(JSON.stringify(r)))}\n`);
}
