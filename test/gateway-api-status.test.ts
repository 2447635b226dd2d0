// Conformance: the route status meshscope computes (per route and parentRef: Accepted and ResolvedRefs with
// istiod's reasons and messages) equals the route documents of every shared case's .status.yaml.golden, and the
// ancestor status of XBackendTrafficPolicies and BackendTLSPolicies equals their documents.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { caseObjects, readCases, TRANSLATION_DIR } from './support/gateway-api-harness.js';
import { translateGatewayApi } from '../src/mesh/gateway-api/translate.js';
import { routeStatus } from '../src/mesh/gateway-api/route-status.js';

/** Cases whose route status meshscope cannot compute yet, with the reason. */
const NOT_YET: Record<string, string> = {
};

const ROUTE_KINDS = new Set(['HTTPRoute', 'GRPCRoute', 'TCPRoute', 'TLSRoute']);
const POLICY_KINDS = new Set(['XBackendTrafficPolicy', 'BackendTLSPolicy']);
const withoutTimes = (x: unknown): unknown => JSON.parse(JSON.stringify(x, (k, v) => (k === 'lastTransitionTime' ? undefined : v)));

const { cases, harness } = readCases();
for (const c of cases) {
  test(`route and policy status ${c.name}`, () => {
    const t = translateGatewayApi(caseObjects(c, harness), { domainSuffix: harness.domain_suffix, registry: harness.service_registry.items, configMapsComplete: true });
    const got = new Map<string, unknown>(t.routes.map((o) => [`${o.obj.kind} ${o.obj.metadata.namespace}/${o.obj.metadata.name}`, routeStatus(o)]));
    for (const p of t.policies) got.set(`${p.obj.kind} ${p.obj.metadata.namespace}/${p.obj.metadata.name}`, p.ancestors);
    const problems: string[] = [];
    const docs = parseAllDocuments(readFileSync(join(TRANSLATION_DIR, c.status_golden), 'utf8')).map((d) => d.toJS());
    for (const d of docs) {
      if (!d || !(ROUTE_KINDS.has(d.kind) || POLICY_KINDS.has(d.kind))) continue;
      const k = `${d.kind} ${d.metadata.namespace}/${d.metadata.name}`;
      const g = got.get(k);
      if (!g) { problems.push(`no status computed for ${k}`); continue; }
      const want = withoutTimes((POLICY_KINDS.has(d.kind) ? d.status.ancestors : d.status.parents) ?? []);
      try { assert.deepEqual(withoutTimes(g), want); } catch { problems.push(`${k}:\n  got  ${JSON.stringify(withoutTimes(g))}\n  want ${JSON.stringify(want)}`); }
    }
    if (NOT_YET[c.name]) assert.notDeepEqual(problems, [], `${c.name} now passes: remove it from NOT_YET`);
    else assert.deepEqual(problems, []);
  });
}

test('a route with a cross-namespace backendRef and no ReferenceGrant is RefNotPermitted; with the grant it resolves', () => {
  const objs = [
    { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'gw', namespace: 'infra' }, spec: { gatewayClassName: 'istio', listeners: [{ name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'All' } } }] } },
    { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'r', namespace: 'app' }, spec: { parentRefs: [{ name: 'gw', namespace: 'infra' }], rules: [{ backendRefs: [{ name: 'svc', namespace: 'other', port: 80 }] }] } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'svc', namespace: 'other' }, spec: { ports: [{ port: 80 }] } },
  ];
  const denied = routeStatus(translateGatewayApi(objs, { domainSuffix: 'cluster.local' }).routes[0]!);
  assert.equal(denied[0]!.conditions[1]!.reason, 'RefNotPermitted');
  assert.match(denied[0]!.conditions[1]!.message, /backendRef svc\/other not accessible to a HTTPRoute in namespace "app" \(missing a ReferenceGrant\?\)/);
  const grant = { apiVersion: 'gateway.networking.k8s.io/v1beta1', kind: 'ReferenceGrant', metadata: { name: 'g', namespace: 'other' }, spec: { from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'app' }], to: [{ group: '', kind: 'Service' }] } };
  const ok = routeStatus(translateGatewayApi([...objs, grant], { domainSuffix: 'cluster.local' }).routes[0]!);
  assert.equal(ok[0]!.conditions[1]!.reason, 'ResolvedRefs');
});
