import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inputFromYaml } from '../../test/support/analyze-fixture.js';
import { vsRepeatedDestinationCheck, vsSingleDestinationWeightCheck, vsWeightSumCheck } from './vs-route-weights.js';

const vs = `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews, namespace: app}
spec:
  hosts: [reviews]
  http:
  - name: split
    route:
    - destination: {host: reviews, subset: v1}
      weight: 30
    - destination: {host: reviews.app.svc.cluster.local, subset: v1}
      weight: 30
    - destination: {host: reviews, subset: v2}
      weight: 30
  - route:
    - destination: {host: reviews, subset: v3}
      weight: 80
  - route:
    - destination: {host: reviews, subset: v3}
      weight: 100
`;

test('MS0002: the same host+subset twice in one rule (short and FQDN forms count as the same)', () => {
  const f = vsRepeatedDestinationCheck.run(inputFromYaml({ c1: vs }));
  assert.deepEqual(f.map((x) => [x.code, x.origin, x.path]), [['MS0002', 'VirtualService app/reviews', 'spec.http[0].route[1].destination']]);
  assert.match(f[0]!.message, /"split" routes to host\+subset "reviews.app.svc.cluster.local\+v1" more than once/);
});

test('MS0003: a weight other than 100 on a single destination; 100 is fine', () => {
  const f = vsSingleDestinationWeightCheck.run(inputFromYaml({ c1: vs }));
  assert.deepEqual(f.map((x) => [x.code, x.path]), [['MS0003', 'spec.http[1].route[0].weight']]);
  assert.equal(f[0]!.level, 'Warning');
});

test('MS0006: weights not summing to 100 are Info and show the normalised split', () => {
  const f = vsWeightSumCheck.run(inputFromYaml({ c1: vs }));
  assert.equal(f.length, 1);
  assert.equal(f[0]!.level, 'Info');
  assert.match(f[0]!.message, /sum to 90, not 100.*reviews\/v2 33%/);
});
