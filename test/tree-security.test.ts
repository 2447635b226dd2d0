// The tree on the demo: a workload lists the policies that select it and its mTLS mode; a policy lists its workloads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { repoRoot } from './support/paths.js';
import { runCli } from './support/cli.js';

const demo = join(repoRoot, 'fixtures/demo');

test('tree: workloads carry their mTLS mode and policy links; policies list the workloads they select', async () => {
  const r = await runCli(['--fixtures', demo, 'tree', '--context', 'cluster-a', '-o', 'json']);
  assert.equal(r.code, 0, r.stderr);
  const { nodes } = JSON.parse(r.stdout) as { nodes: { id: string; kind: string; label: string; detail?: string; linkTo?: string; children: unknown[] }[] };
  const all: { id: string; kind: string; label: string; detail?: string; linkTo?: string; children: any[] }[] = [];
  const walk = (ns: any[]) => { for (const n of ns) { all.push(n); walk(n.children ?? []); } };
  walk(nodes);
  const frontend = all.find((n) => n.id === 'cluster-a/Workload/app/frontend')!;
  assert.match(frontend.detail ?? '', /mTLS STRICT \(app\/frontend-strict\)/);
  assert.ok(frontend.children.some((c: any) => c.linkTo === 'cluster-a/PeerAuthentication/app/frontend-strict'));
  const productpage = all.find((n) => n.id === 'cluster-a/Workload/default/productpage-v1')!;
  assert.match(productpage.detail ?? '', /mTLS PERMISSIVE/);
  assert.ok(productpage.children.some((c: any) => c.linkTo === 'cluster-a/AuthorizationPolicy/default/deny-app-api' && /DENY/.test(c.detail)));
  const policy = all.find((n) => n.id === 'cluster-a/AuthorizationPolicy/default/deny-app-api')!;
  assert.equal(policy.kind, 'AuthorizationPolicy');
  assert.match(policy.detail ?? '', /^DENY {2}1 rule {2}app=productpage$/);
  assert.deepEqual(policy.children.map((c: any) => c.linkTo), ['cluster-a/Workload/default/productpage-v1']);
});

test('tree: a policy lists the workloads it selects in every loaded context, saying whether that context has it too', async () => {
  const { mkdtempSync, mkdirSync, writeFileSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const root = mkdtempSync(join(tmpdir(), 'meshscope-authz-tree-'));
  const pod = (name: string) => `apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: shop, labels: {app: web}}
spec: {containers: [{name: web, image: web}, {name: istio-proxy, image: proxyv2}]}
status: {phase: Running, podIP: 10.0.0.9, conditions: [{type: Ready, status: "True"}]}
`;
  const policy = `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: deny-web, namespace: shop}
spec:
  action: DENY
  selector: {matchLabels: {app: web}}
  rules: [{from: [{source: {namespaces: [other]}}]}]
`;
  try {
    for (const c of ['east', 'west', 'north']) mkdirSync(join(root, c), { recursive: true });
    writeFileSync(join(root, 'east/shop.yaml'), `${pod('web-1')}---\n${policy}`);
    writeFileSync(join(root, 'west/shop.yaml'), pod('web-2'));
    writeFileSync(join(root, 'north/shop.yaml'), `${pod('web-3')}---\n${policy}`);
    const r = await runCli(['--fixtures', root, 'tree', '-o', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const all: { id: string; detail?: string; linkTo?: string; children?: any[] }[] = [];
    const walk = (ns: any[]) => { for (const n of ns) { all.push(n); walk(n.children ?? []); } };
    walk((JSON.parse(r.stdout) as { nodes: any[] }).nodes);
    const east = all.find((n) => n.id === 'east/AuthorizationPolicy/shop/deny-web')!;
    const rows = east.children!.map((c: any) => `${c.linkTo} ${c.detail}`);
    assert.deepEqual(rows, [
      'east/Workload/shop/web-1 1 pod',
      'north/Workload/shop/web-3 1 pod in north (has this policy too)',
      'west/Workload/shop/web-2 1 pod in west (no AuthorizationPolicy shop/deny-web there: not enforced)',
    ]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('tree: a destination says what its clients send and whether the server takes it (contexts with PeerAuthentications)', async () => {
  const r = await runCli(['--fixtures', demo, 'tree', '--context', 'cluster-a', '-n', 'app', '--kind', 'vs']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^ {10}frontend:80 {2}frontend\.app\.svc\.cluster\.local {2}sends plain text \(DestinationRule app\/frontend DISABLE\) → STRICT: refused {2}\[100%/m);
  assert.match(r.stdout, /^ {10}demoapp v2 {2}demoapp\.app\.svc\.cluster\.local {2}sends Istio mTLS \(auto\)/m);
});
