// The tree shows Gateway API: Gateway (class, listeners with attached route counts) → listener → route → rule →
// backendRefs with their weight as written and as a share → Service; routes under their namespace with their parents.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './support/cli.js';

const root = mkdtempSync(join(tmpdir(), 'meshscope-gwapi-tree-'));
after(() => rmSync(root, { recursive: true, force: true }));
mkdirSync(join(root, 'c1'));
writeFileSync(join(root, 'c1', 'all.yaml'), `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: infra}
spec:
  gatewayClassName: istio
  listeners:
  - {name: http, port: 80, protocol: HTTP, allowedRoutes: {namespaces: {from: All}}}
  - {name: other, port: 8080, protocol: HTTP}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: demoapp, namespace: app}
spec:
  parentRefs: [{name: gw, namespace: infra}]
  hostnames: [demo.example.com]
  rules:
  - matches: [{path: {type: PathPrefix, value: /api}}]
    backendRefs:
    - {name: demoapp-v1, port: 8080, weight: 2}
    - {name: demoapp-v2, port: 8080, weight: 3}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: stray, namespace: app}
spec:
  parentRefs: [{name: gw, namespace: infra, sectionName: other}]
  rules:
  - backendRefs: [{name: demoapp-v1, port: 8080}]
---
apiVersion: v1
kind: Service
metadata: {name: demoapp-v1, namespace: app}
spec: {ports: [{name: http, port: 8080}], selector: {app: demoapp}}
`);

test('tree: Gateway → listener (attached routes) → route → rule → backendRef weight and share → Service', async () => {
  const r = await runCli(['--fixtures', root, 'tree']);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.split('\n');
  const gw = lines.findIndex((l) => /^\s+gw\s+class istio\s+http 80\/HTTP \(1\), other 8080\/HTTP \(0\)/.test(l));
  assert.ok(gw >= 0, r.stdout);
  const after = lines.slice(gw + 1).join('\n');
  assert.match(after, /listener http\s+80\/HTTP \*\s+1 route\n\s+HTTPRoute app\/demoapp\s+demo\.example\.com\n\s+rules\[0\]\s+\/api\n\s+demoapp-v1:8080\s+weight 2 → 40%/);
  assert.match(after, /demoapp-v2:8080\s+weight 3 → 60%/);
  assert.match(after, /app\/demoapp-v1\s+→ c1\/Service\/app\/demoapp-v1/);
  assert.match(after, /Service app\/demoapp-v2 not found/);
  assert.match(r.stdout, /Routes\s+2\n\s+HTTPRoute app\/demoapp/);
  assert.match(r.stdout, /parent Gateway infra\/gw other\s+refused: NotAllowedByListeners/);
});

test('tree: a parentRef counts as refused only when none of its listeners accepts the route', async () => {
  const r = await runCli(['--fixtures', root, 'tree']);
  assert.equal(r.code, 0, r.stderr);
  // demoapp's parentRef names no listener: listener "other" (same namespace only) refuses it, "http" accepts it.
  assert.match(r.stdout, /HTTPRoute app\/demoapp\s+demo\.example\.com\n/);
  // stray names listener "other", which takes routes from namespace infra only.
  assert.match(r.stdout, /HTTPRoute app\/stray\s+\*\s+1 parent refused/);
});
