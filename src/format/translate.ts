// Prints generated Istio config as istiod's translation tests do: YAML with sorted keys, each object ended by
// `---`, or JSON (a kind: List).
import { stringify } from 'yaml';
import type { GeneratedConfig } from '../mesh/gateway-api/model.js';

export function toIstioObject(c: GeneratedConfig): Record<string, unknown> {
  return {
    apiVersion: 'networking.istio.io/v1', kind: c.kind,
    metadata: { annotations: c.annotations, ...(c.creationTimestamp ? { creationTimestamp: c.creationTimestamp } : {}), name: c.name, namespace: c.namespace },
    spec: c.spec,
  };
}

export function formatYaml(configs: GeneratedConfig[]): string {
  return configs.map((c) => {
    const text = stringify(toIstioObject(c), { sortMapEntries: true, lineWidth: 0, singleQuote: true, indentSeq: false });
    // Go's YAML writes the empty string as "" and quotes timestamps.
    return `${text.replace(/(: |- )''$/gm, '$1""').replace(/^( {2}creationTimestamp: )'?([^'\n]+)'?$/m, '$1"$2"')}---\n`;
  }).join('');
}

export function formatJson(configs: GeneratedConfig[]): string {
  return `${JSON.stringify({ apiVersion: 'v1', kind: 'List', items: configs.map(toIstioObject) }, null, 2)}\n`;
}
