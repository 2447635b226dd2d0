import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inputFromYaml } from '../../test/support/analyze-fixture.js';
import { deprecationCheck } from './deprecation.js';

test('IST0002: fault.delay.percent and a Sidecar egressProxy; percentage and a plain Sidecar are fine', () => {
  const yaml = `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: ratings, namespace: shop}
spec:
  hosts: [ratings]
  http:
  - fault: {delay: {percentage: {value: 10}, fixedDelay: 5s}}
    route: [{destination: {host: ratings}}]
  - fault: {delay: {percent: 20, fixedDelay: 5s}}
    route: [{destination: {host: ratings}}]
---
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: {name: egress, namespace: shop}
spec:
  outboundTrafficPolicy: {mode: ALLOW_ANY, egressProxy: {host: proxy.example.com, port: {number: 3128}}}
---
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: {name: plain, namespace: shop}
spec:
  outboundTrafficPolicy: {mode: REGISTRY_ONLY}
`;
  const f = deprecationCheck.run(inputFromYaml({ c1: yaml }));
  assert.deepEqual(f.map((x) => [x.code, x.level, x.origin, x.path, x.message]), [
    ['IST0002', 'Warning', 'VirtualService shop/ratings', 'spec.http[1].fault.delay.percent', 'Deprecated: HTTPRoute.fault.delay.percent is deprecated; use HTTPRoute.fault.delay.percentage'],
    ['IST0002', 'Warning', 'Sidecar shop/egress', 'spec.outboundTrafficPolicy.egressProxy', 'Deprecated: OutboundTrafficPolicy.EgressProxy ignored'],
  ]);
});
