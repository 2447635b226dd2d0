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
