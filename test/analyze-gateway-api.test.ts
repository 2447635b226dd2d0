// Gateway API analyzers: IST0171 on negative conditions, and meshscope's MS04xx checks found by translating the
// routes as istiod does. Each finding names its code, object and YAML path.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyze } from '../src/app/analyze-run.js';

const dir = mkdtempSync(join(tmpdir(), 'meshscope-gwapi-analyze-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const GATEWAY = `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: infra}
spec:
  gatewayClassName: istio
  listeners:
  - {name: http, port: 80, protocol: HTTP, hostname: "*.example.com", allowedRoutes: {namespaces: {from: All}}}
  - {name: http-again, port: 80, protocol: HTTP, hostname: "*.example.com"}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: app}
spec: {ports: [{port: 8080}]}
---
apiVersion: v1
kind: Service
metadata: {name: other, namespace: other}
spec: {ports: [{port: 80}]}
`;

function run(extra: string, only: string[] = ['gatewayapi.RouteAnalyzer']) {
  const f = join(dir, `case-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(f, `${GATEWAY}---\n${extra}`);
  return analyze({ files: [f], only, defaultNamespace: 'default' }).findings;
}

const route = (rules: string, extra = '') => `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: r, namespace: app}
spec:
  parentRefs: [{name: gw, namespace: infra${extra}}]
  hostnames: [shop.example.com]
  rules:
${rules}`;

test('a backendRef to a missing Service, or to a port the Service lacks, is an Error with its path', () => {
  const f = run(route(`  - backendRefs: [{name: gone, port: 80}]\n  - backendRefs: [{name: web, port: 80}]\n`));
  const byCode = Object.fromEntries(f.map((x) => [x.code, x]));
  assert.equal(byCode.MS0401?.path, 'spec.rules[0].backendRefs[0]');
  assert.equal(byCode.MS0401?.origin, 'HTTPRoute app/r');
  assert.match(byCode.MS0401!.message, /Service app\/gone not found/);
  assert.equal(byCode.MS0402?.path, 'spec.rules[1].backendRefs[0].port');
});

test('a cross-namespace backendRef without ReferenceGrant is MS0403; the grant clears it', () => {
  const rules = '  - backendRefs: [{name: other, namespace: other, port: 80}]\n';
  const f = run(route(rules));
  assert.deepEqual(f.filter((x) => x.origin.startsWith('HTTPRoute')).map((x) => `${x.code} ${x.path}`), ['MS0403 spec.rules[0].backendRefs[0]']);
  const grant = `---
apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata: {name: allow, namespace: other}
spec:
  from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: app}]
  to: [{group: "", kind: Service}]
`;
  assert.deepEqual(run(route(rules) + grant).filter((x) => x.origin.startsWith('HTTPRoute')).map((x) => x.code), []);
});

test('all-zero weights, a duplicate listener and a route no listener accepts are reported', () => {
  const f = run(route('  - backendRefs: [{name: web, port: 8080, weight: 0}]\n', ', sectionName: nope'));
  const codes = f.map((x) => `${x.code} ${x.origin} ${x.path}`).sort();
  assert.deepEqual(codes, [
    'MS0404 Gateway infra/gw spec.listeners[1]',
    'MS0405 HTTPRoute app/r spec.rules[0].backendRefs',
    'MS0406 HTTPRoute app/r spec.parentRefs[0]',
  ]);
  assert.match(f.find((x) => x.code === 'MS0405')!.message, /HTTP 500/);
  assert.match(f.find((x) => x.code === 'MS0406')!.message, /sectionName "nope" not found/);
});

test('a VirtualService that names a Gateway API Gateway is neither IST0101 nor IST0132', () => {
  const vs = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: vs, namespace: infra}
spec:
  hosts: [other.example.org]
  gateways: [infra/gw]
  http: [{route: [{destination: {host: web.app.svc.cluster.local}}]}]
`;
  const f = run(vs, ['virtualservice.GatewayAnalyzer']);
  assert.deepEqual(f.map((x) => x.code), []);
});

test('IST0171: a route whose status holds a negative condition', () => {
  const r = `${route('  - backendRefs: [{name: web, port: 8080}]\n')}status:
  parents:
  - parentRef: {name: gw, namespace: infra}
    controllerName: istio.io/gateway-controller
    conditions:
    - {type: ResolvedRefs, status: "False", reason: BackendNotFound, message: "backend(web) not found"}
`;
  const f = run(r, ['conditions.ConditionAnalyzer']);
  assert.equal(f.length, 1);
  assert.equal(f[0]!.path, 'status.parents[0].conditions[0]');
  assert.equal(f[0]!.message, 'A condition with a negative status is present: type=ResolvedRefs, reason=BackendNotFound, message=backend(web) not found.');
});
