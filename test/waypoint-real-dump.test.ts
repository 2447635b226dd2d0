// The trace's waypoint walk on a real waypoint's Envoy: the Istio 1.21 config dump in
// ../shared/conformance/istio/proxy-config/all (waypoint httpbin-istio-waypoint for Service default/httpbin,
// 10.104.171.68 ports 8000 and 8100), loaded as the Envoy of the waypoint that Service uses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { repoRoot } from './support/paths.js';
import { joinMesh } from '../src/mesh/join.js';
import { traceRequest } from '../src/trace/trace.js';
import type { ContextSnapshot } from '../src/model/context.js';
import type { KubeObject } from '../src/model/resources.js';

const DUMP = resolve(repoRoot, '../shared/conformance/istio/proxy-config/all/config_dump.json');
const WAYPOINT_POD = 'httpbin-istio-waypoint-58f646c5ff-dbfkz';

const meta = (name: string, labels: Record<string, string> = {}) => ({ name, namespace: 'default', labels });
const pod = (name: string, ip: string, labels: Record<string, string>, containers: unknown[]): KubeObject => ({
  apiVersion: 'v1', kind: 'Pod', metadata: meta(name, labels),
  spec: { nodeName: 'snorlax-worker', serviceAccountName: labels.app ?? 'default', containers },
  status: { phase: 'Running', podIP: ip, podIPs: [{ ip }], conditions: [{ type: 'Ready', status: 'True' }] },
});

function objects(): KubeObject[] {
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default', labels: { 'istio.io/dataplane-mode': 'ambient' } } },
    {
      apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: meta('httpbin', { 'istio.io/waypoint-for': 'service' }),
      spec: { gatewayClassName: 'istio-waypoint', listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }] },
    },
    {
      apiVersion: 'v1', kind: 'Service', metadata: meta('httpbin', { app: 'httpbin', 'istio.io/use-waypoint': 'httpbin' }),
      spec: { clusterIP: '10.104.171.68', selector: { app: 'httpbin' }, ports: [{ name: 'http', port: 8000, targetPort: 80, protocol: 'TCP' }, { name: 'http-alt', port: 8100, targetPort: 800, protocol: 'TCP' }] },
    },
    {
      apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: meta('httpbin-x7k2p', { 'kubernetes.io/service-name': 'httpbin' }),
      addressType: 'IPv4', endpoints: [{ addresses: ['192.168.195.248'], conditions: { ready: true }, targetRef: { kind: 'Pod', name: 'httpbin-65d9f8f5b6-qn2xw', namespace: 'default' } }],
      ports: [{ name: 'http', port: 80, protocol: 'TCP' }, { name: 'http-alt', port: 800, protocol: 'TCP' }],
    } as unknown as KubeObject,
    pod('httpbin-65d9f8f5b6-qn2xw', '192.168.195.248', { app: 'httpbin', version: 'v1' }, [{ name: 'httpbin', image: 'docker.io/kong/httpbin', ports: [{ containerPort: 80 }] }]),
    pod('sleep-7656cf8794-8zq2v', '192.168.195.240', { app: 'sleep' }, [{ name: 'sleep', image: 'curlimages/curl' }]),
    pod(WAYPOINT_POD, '192.168.252.229', { 'gateway.networking.k8s.io/gateway-name': 'httpbin', 'istio.io/gateway-name': 'httpbin' },
      [{ name: 'istio-proxy', image: 'docker.io/istio/proxyv2:1.21.0', args: ['proxy', 'waypoint', '--domain', '$(POD_NAMESPACE).svc.cluster.local'] }]),
  ];
}

function mesh() {
  const ctx: ContextSnapshot = {
    name: 'snorlax', source: { kind: 'snapshot', path: '/x' }, status: 'ok', issues: [],
    objects: objects().map((obj) => ({ obj, origin: { context: 'snorlax' } })),
    proxies: [{ context: 'snorlax', namespace: 'default', pod: WAYPOINT_POD, configDump: JSON.parse(readFileSync(DUMP, 'utf8')) }],
  };
  return joinMesh({ contexts: [ctx] });
}

type Step = ReturnType<typeof traceRequest>['steps'][number];
const envoySteps = (steps: Step[]) => steps.filter((s) => s.side === 'envoy' && s.segment === 1).map((s) => [s.kind, s.name, s.matched]);
const trace = (port: number) => traceRequest(mesh(), { context: 'snorlax', from: { kind: 'pod', namespace: 'default', name: 'sleep' }, host: 'httpbin', port });

test('port 8000: main_internal picks the chain by VIP and port; route default → its inbound-vip cluster, which EDS leaves empty', () => {
  const t = trace(8000);
  assert.deepEqual(t.segments.map((s) => [s.depth, s.title]), [
    [0, 'ztunnel (unknown) for default/sleep-7656cf8794-8zq2v (node snorlax-worker)'],
    [1, `waypoint default/httpbin (pod ${WAYPOINT_POD})`],
    [2, 'ztunnel (unknown) (destination)'],
  ]);
  assert.deepEqual(envoySteps(t.steps), [
    ['listener', 'main_internal', true],
    ['listener', 'main_internal', true],
    ['filter-chain', '#0 inbound-vip|8000||httpbin.default.svc.cluster.local-http', true],
    ['route-config', 'inbound-vip|8000|http|httpbin.default.svc.cluster.local', true],
    ['virtual-host', 'inbound|http|8000', true],
    ['route', '#0 default', true],
    ['cluster', 'inbound-vip|8000|http|httpbin.default.svc.cluster.local', false],
    ['disagreement', 'endpoints', false],
  ]);
  const step = (kind: string) => t.steps.find((s) => s.segment === 1 && s.side === 'envoy' && s.kind === kind)!;
  assert.equal(step('listener').reason, 'internal listener (no connect_terminate in the dump)');
  assert.equal(step('route').reason, 'matches prefix / → inbound-vip|8000|http|httpbin.default.svc.cluster.local');
  assert.equal(step('cluster').reason, '100%: 0/0 endpoints healthy (EDS): Envoy answers 503 (UH)');
  // Intent names the waypoint's cluster the same way, and the pod's port behind service port 8000.
  const dest = t.steps.find((s) => s.segment === 1 && s.side === 'intent' && s.kind === 'endpoints')!;
  assert.equal(dest.reason, '1/1 ready: 192.168.195.248:80 httpbin-65d9f8f5b6-qn2xw');
  assert.equal(t.disagreements[0]?.reason, 'intent has 1 ready endpoint for inbound-vip|8000|http|httpbin.default.svc.cluster.local, Envoy has no healthy one');
});

test('port 8100: the chain and route exist, the cluster is not in CDS, and the endpoint EDS still holds is shown', () => {
  const t = trace(8100);
  assert.deepEqual(envoySteps(t.steps).slice(2), [
    ['filter-chain', '#1 inbound-vip|8100||httpbin.default.svc.cluster.local-http', true],
    ['route-config', 'inbound-vip|8100|http|httpbin.default.svc.cluster.local', true],
    ['virtual-host', 'inbound|http|8100', true],
    ['route', '#0 default', true],
    ['cluster', 'inbound-vip|8100|http|httpbin.default.svc.cluster.local', false],
    ['disagreement', 'cluster', false],
  ]);
  const cluster = t.steps.find((s) => s.segment === 1 && s.kind === 'cluster')!;
  assert.equal(cluster.reason, '100%: not in CDS on this proxy: Envoy answers 503 (NC); the dump\'s EDS still holds envoy://connect_originate/192.168.195.248:800 HEALTHY httpbin-65d9f8f5b6-qn2xw for it');
  // Service port 8100 targets the slice's port http-alt (800), not its first port.
  const eps = t.steps.find((s) => s.segment === 1 && s.side === 'intent' && s.kind === 'endpoints')!;
  assert.equal(eps.reason, '1/1 ready: 192.168.195.248:800 httpbin-65d9f8f5b6-qn2xw');
});

test('a port the waypoint has no chain for stops at main_internal', () => {
  const m = mesh();
  const svc = m.contexts[0]!.snapshot.objects.find((o) => o.obj.kind === 'Service')!.obj as { spec: { ports: unknown[] } };
  svc.spec.ports.push({ name: 'http-other', port: 8200, targetPort: 80, protocol: 'TCP' });
  const t = traceRequest(joinMesh({ contexts: m.contexts.map((c) => c.snapshot) }), { context: 'snorlax', from: { kind: 'pod', namespace: 'default', name: 'sleep' }, host: 'httpbin', port: 8200 });
  const chain = t.steps.find((s) => s.side === 'envoy' && s.kind === 'filter-chain')!;
  assert.equal(chain.matched, false);
  assert.match(chain.reason, /no filter chain for 10\.104\.171\.68:8200 \(DestinationPort 8200 matches no entry\): the waypoint does not serve this service/);
});
