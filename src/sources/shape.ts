// Type checks of the fields meshscope reads, for objects from files (an API server validates its own objects against
// the CRD schemas; a snapshot file may hold anything). A wrong type — `weight: "80"`, `hosts: {}`, `spec: 5` — makes
// the object a located load error instead of a crash further down. Absent and null fields are always fine.

import { GATEWAY_API_SPECS } from './shape-gateway-api.js';
import { isGatewayApiObject } from '../model/gateway-api.js';

import type { Shape } from './shape-types.js';

const strings: Shape = { list: 'string' };
const labels: Shape = { map: 'string' };
const portSelector: Shape = { obj: { number: 'int', name: 'string' } };
const destination: Shape = { obj: { host: 'string', subset: 'string', port: portSelector } };
const percent: Shape = { obj: { value: 'number' } };
const route: Shape = {
  obj: {
    name: 'string',
    match: { list: { obj: { port: 'int', sniHosts: strings, gateways: strings, sourceLabels: labels, uri: 'object', headers: 'object' } } },
    route: { list: { obj: { destination, weight: 'number' } } },
    mirror: destination,
    mirrors: { list: { obj: { destination, percentage: percent } } },
    mirrorPercentage: percent,
    mirrorPercent: 'number',
    redirect: 'object', directResponse: 'object', delegate: 'object', rewrite: 'object', fault: 'object', retries: 'object', headers: 'object',
  },
};
const workloadSelector: Shape = { obj: { labels } };
const servicePorts: Shape = { list: { obj: { number: 'int', name: 'string', protocol: 'string', targetPort: 'int' } } };

const SPECS: Record<string, Shape> = {
  VirtualService: { obj: { hosts: strings, gateways: strings, exportTo: strings, http: { list: route }, tcp: { list: route }, tls: { list: route } } },
  DestinationRule: {
    obj: {
      host: 'string', exportTo: strings, trafficPolicy: 'object', workloadSelector: { obj: { matchLabels: labels } },
      subsets: { list: { obj: { name: 'string', labels, trafficPolicy: 'object' } } },
    },
  },
  Gateway: { obj: { selector: labels, servers: { list: { obj: { hosts: strings, name: 'string', tls: 'object', port: { obj: { number: 'int', name: 'string', protocol: 'string', targetPort: 'int' } } } } } } },
  ServiceEntry: {
    obj: {
      hosts: strings, addresses: strings, exportTo: strings, resolution: 'string', location: 'string', workloadSelector, ports: servicePorts,
      endpoints: { list: { obj: { address: 'string', labels, ports: { map: 'int' }, network: 'string', locality: 'string', weight: 'int' } } },
    },
  },
  Sidecar: { obj: { workloadSelector, egress: { list: { obj: { hosts: strings } } }, ingress: 'list' } },
  WorkloadEntry: { obj: { address: 'string', labels, ports: { map: 'int' }, network: 'string', locality: 'string', weight: 'int' } },
  WorkloadGroup: { obj: { metadata: { obj: { labels } }, template: 'object' } },
  Service: {
    obj: {
      selector: labels, type: 'string', clusterIP: 'string', externalName: 'string', clusterIPs: strings,
      ports: { list: { obj: { port: 'int', name: 'string', protocol: 'string', appProtocol: 'string', targetPort: 'intOrString' } } },
    },
  },
  PeerAuthentication: { obj: { selector: { obj: { matchLabels: labels } }, mtls: { obj: { mode: 'string' } }, portLevelMtls: { map: { obj: { mode: 'string' } } } } },
  AuthorizationPolicy: {
    obj: {
      selector: { obj: { matchLabels: labels } }, targetRef: 'object', targetRefs: { list: 'object' }, action: 'string', provider: { obj: { name: 'string' } },
      rules: { list: { obj: { from: { list: { obj: { source: { map: strings } } } }, to: { list: { obj: { operation: { map: strings } } } }, when: { list: { obj: { key: 'string', values: strings, notValues: strings } } } } } },
    },
  },
  RequestAuthentication: { obj: { selector: { obj: { matchLabels: labels } }, targetRef: 'object', targetRefs: { list: 'object' }, jwtRules: { list: { obj: { issuer: 'string', audiences: strings, jwksUri: 'string', fromParams: strings } } } } },
  Pod: { obj: { nodeName: 'string', containers: { list: { obj: { name: 'string', image: 'string', args: strings, ports: 'list' } } } } },
};

const TOP_LEVEL: Record<string, Record<string, Shape>> = {
  Pod: { status: { obj: { podIP: 'string', phase: 'string', hostIP: 'string', containerStatuses: 'list', podIPs: 'list' } } },
  EndpointSlice: { endpoints: { list: { obj: { addresses: strings, targetRef: 'object', conditions: 'object' } } }, ports: 'list', addressType: 'string' },
};

const METADATA: Shape = { obj: { name: 'string', namespace: 'string', labels, annotations: labels, resourceVersion: 'string', uid: 'string', generation: 'int' } };

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 20 ? `${v.slice(0, 20)}…` : v)}`;
  return `${typeof v} ${String(v)}`;
}

function check(v: unknown, shape: Shape, path: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  const isMap = typeof v === 'object' && !Array.isArray(v);
  const bad = (want: string) => `${path} must be ${want}, not ${typeName(v)}`;
  if (typeof shape === 'string') {
    switch (shape) {
      case 'string': return typeof v === 'string' ? undefined : bad('a string');
      case 'number': return typeof v === 'number' && Number.isFinite(v) ? undefined : bad('a number');
      case 'int': return Number.isInteger(v) ? undefined : bad('a whole number');
      case 'intOrString': return Number.isInteger(v) || typeof v === 'string' ? undefined : bad('a number or a name');
      case 'bool': return typeof v === 'boolean' ? undefined : bad('true or false');
      case 'object': return isMap ? undefined : bad('a mapping');
      case 'list': return Array.isArray(v) ? undefined : bad('a list');
    }
  }
  if ('list' in shape) {
    if (!Array.isArray(v)) return bad('a list');
    for (let i = 0; i < v.length; i++) {
      if (v[i] === null || v[i] === undefined) return `${path}[${i}] is empty`;
      const e = check(v[i], shape.list, `${path}[${i}]`);
      if (e) return e;
    }
    return undefined;
  }
  if (!isMap) return bad('a mapping');
  const o = v as Record<string, unknown>;
  if ('map' in shape) {
    for (const [k, x] of Object.entries(o)) {
      const e = check(x, shape.map, `${path}.${k}`);
      if (e) return e;
    }
    return undefined;
  }
  for (const [k, s] of Object.entries(shape.obj)) {
    const e = check(o[k], s, `${path}.${k}`);
    if (e) return e;
  }
  return undefined;
}

/** The first field of a file-loaded object whose type meshscope cannot use (e.g. `spec.http[0].route[1].weight must be a number, not the string "80"`). */
export function shapeProblem(obj: Record<string, unknown>): string | undefined {
  const meta = check(obj.metadata, METADATA, 'metadata');
  if (meta) return meta;
  const kind = obj.kind as string;
  const spec = isGatewayApiObject({ apiVersion: obj.apiVersion as string, kind }) ? GATEWAY_API_SPECS[kind] : SPECS[kind];
  if (obj.spec !== undefined && obj.spec !== null && (typeof obj.spec !== 'object' || Array.isArray(obj.spec))) return `spec must be a mapping, not ${typeName(obj.spec)}`;
  if (spec) {
    const e = check(obj.spec, spec, 'spec');
    if (e) return e;
  }
  for (const [k, s] of Object.entries(TOP_LEVEL[kind] ?? {})) {
    const e = check(obj[k], s, k);
    if (e) return e;
  }
  return undefined;
}
