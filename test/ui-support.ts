// Helpers for the TUI tests: a small demo-shaped mesh and an ink-testing-library driver.
import React from 'react';
import { render } from 'ink-testing-library';
import { App } from '../src/ui/App.js';
import type { TreeNode } from '../src/mesh/tree-types.js';
import type { MeshData, NodeDetails, UiPlugin } from '../src/ui/types.js';

const n = (id: string, kind: TreeNode['kind'], label: string, extra: Partial<TreeNode> = {}): TreeNode =>
  ({ id, kind, label, badges: {}, children: [], ...extra });

/** cluster-a: reviews VS (jason rule 50/50 → v2/v3, default → v1), a frontend pod with proxy views, a link to cluster-b. */
export function miniMesh(): TreeNode[] {
  const a = 'cluster-a';
  const ref = (kind: string, ns: string, name: string) => ({ context: a, kind, namespace: ns, name });
  const jason = n('a/vs/reviews/http[0]', 'rule', 'http[0] jason', {
    context: a, detail: 'headers end-user=jason',
    children: [
      n('a/vs/reviews/http[0]/v2', 'destination', 'reviews.default.global v2', { context: a, badges: { weight: 50, healthy: 1, total: 1 } }),
      n('a/vs/reviews/http[0]/v3', 'destination', 'reviews.default.global v3', { context: a, badges: { weight: 50, healthy: 0, total: 1, problems: [{ severity: 'error', message: 'no healthy endpoint' }] } }),
    ],
  });
  const dflt = n('a/vs/reviews/http[1]', 'rule', 'http[1]', {
    context: a, children: [n('a/vs/reviews/http[1]/v1', 'destination', 'reviews v1', { context: a, badges: { weight: 100, healthy: 1, total: 1 } })],
  });
  const reviews = n('a/vs/reviews', 'VirtualService', 'reviews', { context: a, ref: ref('VirtualService', 'default', 'reviews'), searchText: 'reviews.default.svc.cluster.local', children: [jason, dflt] });
  const link = n('a/se/b.nginx.com/link', 'link', 'cluster-b/istio-ingressgateway', { context: a, linkTo: 'b/gw/ingress', detail: 'via ServiceEntry b.nginx.com' });
  const se = n('a/se/b.nginx.com', 'ServiceEntry', 'b.nginx.com', { context: a, ref: ref('ServiceEntry', 'default', 'b.nginx.com'), searchText: '172.18.0.20', children: [link] });
  const fe = n('a/pod/frontend-1', 'Pod', 'frontend-6b8f-abcde', {
    context: a, ref: ref('Pod', 'app', 'frontend-6b8f-abcde'), searchText: '10.0.1.5 app=frontend', badges: { healthy: 1, total: 1, problems: [{ severity: 'warning', drift: true, message: 'route weights 100/0, intent 90/10' }] },
  });
  const dflNs = n('a/ns/default', 'namespace', 'default', { context: a, children: [
    n('a/ns/default/vs', 'group', 'VirtualServices', { context: a, children: [reviews] }),
    n('a/ns/default/se', 'group', 'ServiceEntries', { context: a, children: [se] }),
  ] });
  const appNs = n('a/ns/app', 'namespace', 'app', { context: a, children: [n('a/ns/app/wl', 'group', 'Workloads', { context: a, children: [fe] })] });
  const ca = n('a', 'context', a, { context: a, children: [dflNs, appNs] });
  const gw = n('b/gw/ingress', 'Gateway', 'istio-ingressgateway', { context: 'cluster-b', ref: { context: 'cluster-b', kind: 'Gateway', namespace: 'istio-system', name: 'istio-ingressgateway' } });
  const cb = n('b', 'context', 'cluster-b', { context: 'cluster-b', children: [n('b/ns/istio-system', 'namespace', 'istio-system', { context: 'cluster-b', children: [gw] })] });
  return [ca, cb];
}

export function miniDetails(node: TreeNode): NodeDetails {
  if (node.kind === 'Pod') {
    return {
      related: [{ label: 'Service app/frontend', targetId: 'a/ns/app' }],
      proxy: {
        listeners: { columns: ['ADDRESSES', 'PORT', 'MATCH', 'DESTINATION'], rows: [['0.0.0.0', '8080', 'ALL', 'Route: 8080']] },
        routes: { columns: ['NAME', 'VHOST NAME', 'DOMAINS', 'MATCH', 'VIRTUAL SERVICE'], rows: [['8080', 'demoapp.app.svc.cluster.local:8080', 'demoapp', '/*', 'demoapp.app']] },
        clusters: { columns: ['SERVICE FQDN', 'PORT', 'SUBSET', 'DIRECTION', 'TYPE', 'DESTINATION RULE'], rows: [['demoapp.app.svc.cluster.local', '8080', 'v2-canary', 'outbound', 'EDS', 'demoapp.app']] },
        endpoints: { columns: ['ENDPOINT', 'STATUS', 'OUTLIER CHECK', 'CLUSTER'], rows: [['10.0.2.7:8080', 'HEALTHY', 'OK', 'outbound|8080|v2|demoapp.app.svc.cluster.local']] },
      },
      yaml: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: frontend-6b8f-abcde\n',
    };
  }
  if (node.kind === 'rule') {
    return {
      related: [{ label: 'VirtualService default/reviews', targetId: 'a/vs/reviews' }],
      ruleDestinations: [
        { host: 'reviews.default.global', subset: 'v2', weight: 50, envoy: [{ proxy: 'cluster-a/default/productpage-v1', cluster: 'outbound|9080|v2|reviews.default.global', weight: 50, healthy: 1, total: 1 }] },
        { host: 'reviews.default.global', subset: 'v3', weight: 50, envoy: [] },
      ],
    };
  }
  return {
    yaml: node.ref ? `apiVersion: networking.istio.io/v1\nkind: ${node.ref.kind}\nmetadata:\n  name: ${node.ref.name}\n  namespace: \x1b[31m${node.ref.namespace}\n` : undefined,
    related: node.kind === 'VirtualService' ? [{ label: 'DestinationRule default/reviews', targetId: 'a/ns/default' }] : [],
  };
}

export function miniData(overrides: Partial<MeshData> = {}): MeshData {
  return {
    source: 'fixtures/mini', readOnly: true,
    contexts: [
      { name: 'cluster-a', status: 'ok', counts: { objects: 5, proxies: 1 } },
      { name: 'cluster-b', status: 'error', reason: 'connect ECONNREFUSED 127.0.0.1:6443' },
    ],
    roots: miniMesh(), details: miniDetails, refresh: () => {},
    ...overrides,
  };
}

export const KEYS = { up: '\x1b[A', down: '\x1b[B', right: '\x1b[C', left: '\x1b[D', enter: '\r', esc: '\x1b', tab: '\t', backspace: '\x7f', pgdn: '\x1b[6~' };

export interface Driver {
  frame(): string;
  press(...keys: string[]): Promise<void>;
  resize(columns: number, rows: number): Promise<void>;
  rerender(data: MeshData): Promise<void>;
  unmount(): void;
  quitCalled(): boolean;
}

const tick = () => new Promise<void>((r) => setImmediate(r));

export async function start(data: MeshData, size = { columns: 100, rows: 30 }, plugins: UiPlugin[] = []): Promise<Driver> {
  const quit = { called: false };
  const inst = render(React.createElement(App, { data, plugins, noColor: true, onQuit: () => { quit.called = true; } }));
  const out = inst.stdout as unknown as NodeJS.EventEmitter;
  Object.defineProperty(out, 'columns', { value: size.columns, configurable: true, writable: true });
  Object.defineProperty(out, 'rows', { value: size.rows, configurable: true, writable: true });
  out.emit('resize');
  await tick();
  await tick();
  return {
    frame: () => inst.lastFrame() ?? '',
    async press(...keys) {
      for (const k of keys) {
        inst.stdin.write(k);
        // Ink parses the key at once; React renders on the scheduler's next turn and Ink writes the frame after it.
        await tick();
        await tick();
        await tick();
      }
    },
    async resize(columns, rows) {
      Object.defineProperty(out, 'columns', { value: columns, configurable: true, writable: true });
      Object.defineProperty(out, 'rows', { value: rows, configurable: true, writable: true });
      out.emit('resize');
      await tick();
      await tick();
    },
    async rerender(d) {
      inst.rerender(React.createElement(App, { data: d, plugins, noColor: true, onQuit: () => { quit.called = true; } }));
      await tick();
      await tick();
    },
    unmount: () => inst.unmount(),
    quitCalled: () => quit.called,
  };
}
