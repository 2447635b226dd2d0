import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inputFromYaml } from '../../test/support/analyze-fixture.js';
import { authzPrincipalSaCheck } from './authz-principal-sa.js';
import { authzHostMatchCheck } from './authz-host-match.js';
import { authzDenyShadowsAllowCheck } from './authz-deny-shadows-allow.js';
import { authzAllowNothingCheck } from './authz-allow-nothing.js';
import { mtlsMismatchCheck } from './mtls-mismatch.js';
import type { Check } from './types.js';

const base = `
apiVersion: v1
kind: Namespace
metadata: {name: app, labels: {istio-injection: enabled}}
---
apiVersion: v1
kind: Service
metadata: {name: demoapp, namespace: app}
spec: {selector: {app: demoapp}, ports: [{name: http, port: 80, targetPort: 8080}]}
---
apiVersion: v1
kind: Pod
metadata: {name: demoapp-1, namespace: app, labels: {app: demoapp, version: v1}}
spec: {serviceAccountName: demoapp, containers: [{name: app}, {name: istio-proxy}]}
---
apiVersion: v1
kind: Pod
metadata: {name: client-1, namespace: app, labels: {app: client}}
spec: {serviceAccountName: client, containers: [{name: app}, {name: istio-proxy}]}
---`;
const ap = (name: string, spec: string) => `
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: ${name}, namespace: app}
spec: ${spec}
---`;
const run = (check: Check, yaml: string) => check.run(inputFromYaml({ c1: base + yaml })).map((f) => [f.code, f.origin, f.path, f.message]);

test('MS0501: a principal names a service account no pod runs as; existing ones and unknown namespaces pass', () => {
  const yaml = ap('p', `{rules: [{from: [{source: {principals: ["cluster.local/ns/app/sa/client", "cluster.local/ns/app/sa/ghost", "cluster.local/ns/elsewhere/sa/x", "*/ns/app/sa/*"]}}]}]}`);
  assert.deepEqual(run(authzPrincipalSaCheck, yaml), [
    ['MS0501', 'AuthorizationPolicy app/p', 'spec.rules[0].from[0].source.principals[1]', 'Principal "cluster.local/ns/app/sa/ghost" names service account app/ghost, which does not exist in context c1.'],
  ]);
});

test('MS0502: a host in a rule that matches nothing the mesh serves', () => {
  const yaml = ap('h', `{rules: [{to: [{operation: {hosts: ["demoapp.app.svc.cluster.local", "demoapp:80", "*.app.svc.cluster.local", "nothere.example.com"]}}]}]}`);
  assert.deepEqual(run(authzHostMatchCheck, yaml).map((r) => r.slice(0, 3)), [['MS0502', 'AuthorizationPolicy app/h', 'spec.rules[0].to[0].operation.hosts[3]']]);
});

test('MS0503: a DENY rule covering an ALLOW rule on the same workloads makes it dead; a narrower DENY does not', () => {
  const allow = ap('allow-canary', `{selector: {matchLabels: {app: demoapp}}, rules: [{to: [{operation: {paths: ["/canary/x"]}}]}, {to: [{operation: {paths: ["/ok"]}}]}]}`);
  const deny = ap('deny-canary', `{action: DENY, rules: [{to: [{operation: {paths: ["/canary*"]}}]}]}`);
  assert.deepEqual(run(authzDenyShadowsAllowCheck, allow + deny), [
    ['MS0503', 'AuthorizationPolicy app/allow-canary', 'spec.rules[0]', 'ALLOW rule rules[0] can never allow a request: DENY app/deny-canary rule rules[0] denies everything it matches, for the same workloads.'],
  ]);
  const narrow = ap('deny-narrow', `{action: DENY, selector: {matchLabels: {version: v2}}, rules: [{to: [{operation: {paths: ["/canary*"]}}]}]}`);
  assert.deepEqual(run(authzDenyShadowsAllowCheck, allow + narrow), []);
});

test('MS0504: an ALLOW policy without rules, or with self-contradicting rules, admits nothing', () => {
  const yaml = ap('nothing', '{}') + ap('contradiction', `{rules: [{to: [{operation: {methods: ["GET"], notMethods: ["GET"]}}]}]}`) + ap('fine', `{rules: [{}]}`)
    + ap('deny-nothing', '{action: DENY}');
  assert.deepEqual(run(authzAllowNothingCheck, yaml).map((r) => r.slice(0, 2)), [['MS0504', 'AuthorizationPolicy app/nothing'], ['MS0504', 'AuthorizationPolicy app/contradiction']]);
});

const pa = (name: string, spec: string) => `
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: ${name}, namespace: app}
spec: ${spec}
---`;
const dr = (spec: string) => `
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: demoapp, namespace: app}
spec: ${spec}
---`;

test('MS0505: a DestinationRule disabling TLS to a STRICT workload names both objects; port level counts', () => {
  const yaml = pa('strict', '{selector: {matchLabels: {app: demoapp}}, mtls: {mode: STRICT}}') + dr('{host: demoapp, trafficPolicy: {tls: {mode: DISABLE}}}');
  assert.deepEqual(run(mtlsMismatchCheck, yaml), [
    ['MS0505', 'DestinationRule app/demoapp', 'spec.trafficPolicy.tls.mode', 'DestinationRule sends plain text (DISABLE) to app/demoapp (pod demoapp-1) port 80, but PeerAuthentication app/strict requires mTLS (STRICT): connections are reset (503 UC).'],
  ]);
  const portLevel = pa('strict', '{selector: {matchLabels: {app: demoapp}}, mtls: {mode: STRICT}, portLevelMtls: {"8080": {mode: PERMISSIVE}}}') + dr('{host: demoapp, trafficPolicy: {tls: {mode: DISABLE}}}');
  assert.deepEqual(run(mtlsMismatchCheck, portLevel), [], 'port 8080 (the target port) is PERMISSIVE');
});

test('MS0505/MS0506 by subset: a subset without TLS of its own is the host\'s finding once; one with its own mode is its own', () => {
  const strict = pa('strict', '{selector: {matchLabels: {app: demoapp}}, mtls: {mode: STRICT}}');
  const inherits = dr('{host: demoapp, trafficPolicy: {tls: {mode: DISABLE}}, subsets: [{name: v1, labels: {version: v1}}]}');
  assert.deepEqual(run(mtlsMismatchCheck, strict + inherits).map((r) => r.slice(0, 3)), [['MS0505', 'DestinationRule app/demoapp', 'spec.trafficPolicy.tls.mode']]);
  const own = dr('{host: demoapp, trafficPolicy: {tls: {mode: ISTIO_MUTUAL}}, subsets: [{name: v1, labels: {version: v1}, trafficPolicy: {tls: {mode: SIMPLE}}}]}');
  assert.deepEqual(run(mtlsMismatchCheck, strict + own).map((r) => r.slice(0, 3)), [['MS0505', 'DestinationRule app/demoapp', 'spec.subsets[0].trafficPolicy.tls.mode']]);
});

test('MS0506: Istio mTLS to a workload whose PeerAuthentication is DISABLE; auto mTLS is never flagged', () => {
  const yaml = pa('plain', '{mtls: {mode: DISABLE}}') + dr('{host: demoapp, subsets: [{name: v1, labels: {version: v1}, trafficPolicy: {tls: {mode: ISTIO_MUTUAL}}}]}');
  assert.deepEqual(run(mtlsMismatchCheck, yaml).map((r) => r.slice(0, 3)), [['MS0506', 'DestinationRule app/demoapp', 'spec.subsets[0].trafficPolicy.tls.mode']]);
  assert.deepEqual(run(mtlsMismatchCheck, pa('plain', '{mtls: {mode: DISABLE}}') + dr('{host: demoapp}')), []);
});
