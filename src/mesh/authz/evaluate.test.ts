import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../model/resources.js';
import { evaluateAuthz } from './evaluate.js';

const ap = (name: string, spec: object, annotations?: Record<string, string>): KubeObject => ({ apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name, namespace: 'app', ...(annotations ? { annotations } : {}) }, spec });
const client = { principal: 'cluster.local/ns/app/sa/client', method: 'GET', path: '/canary/x', port: 8080, host: 'demoapp' };

test('DENY first, naming the policy and the rule', () => {
  const deny = ap('deny-canary', { action: 'DENY', rules: [{ to: [{ operation: { paths: ['/admin*'] } }] }, { to: [{ operation: { paths: ['/canary*'] } }] }] });
  const allow = ap('allow-client', { rules: [{ from: [{ source: { principals: ['cluster.local/ns/app/sa/client'] } }] }] });
  const d = evaluateAuthz([allow as never, deny as never], client);
  assert.equal(d.decision, 'denied');
  assert.equal(d.summary, 'denied: AuthorizationPolicy app/deny-canary rules[1] (403 RBAC: access denied)');
  assert.equal(evaluateAuthz([allow as never, deny as never], { ...client, path: '/' }).summary, 'allowed: AuthorizationPolicy app/allow-client rules[0]');
});

test('an ALLOW policy means default deny; plain text has no principal; dry-run never decides', () => {
  const allow = ap('allow-client', { rules: [{ from: [{ source: { principals: ['cluster.local/ns/app/sa/client'] } }] }] });
  const other = evaluateAuthz([allow as never], { ...client, principal: undefined });
  assert.equal(other.decision, 'denied');
  assert.match(other.summary, /no ALLOW policy matches/);
  const dry = ap('deny-all', { action: 'DENY', rules: [{}] }, { 'istio.io/dry-run': 'true' });
  assert.equal(evaluateAuthz([dry as never], client).decision, 'allowed');
  assert.equal(evaluateAuthz([], client).summary, 'allowed: no AuthorizationPolicy applies');
});

test('conditions the request does not carry are unknown and do not match', () => {
  const allow = ap('jwt', { rules: [{ from: [{ source: { requestPrincipals: ['*'] } }] }] });
  const d = evaluateAuthz([allow as never], client);
  assert.equal(d.decision, 'denied');
  assert.deepEqual(d.unknown, ['request.auth.principal']);
});
