import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inputFromYaml } from '../../test/support/analyze-fixture.js';
import { drDuplicateSubsetCheck, drSubsetNoLabelsCheck } from './dr-subsets.js';

const drs = `
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: a, namespace: app}
spec:
  host: reviews
  subsets:
  - name: v1
    labels: {version: v1}
  - name: all
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: b, namespace: app}
spec:
  host: reviews.app.svc.cluster.local
  subsets:
  - name: v1
    labels: {version: v1}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: private, namespace: other}
spec:
  host: reviews.app.svc.cluster.local
  exportTo: ["."]
  subsets:
  - name: v1
    labels: {version: v1}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: private2, namespace: third}
spec:
  host: reviews.app.svc.cluster.local
  exportTo: ["."]
  subsets:
  - name: v1
    labels: {version: v1}
`;

test('MS0004: a subset without labels', () => {
  const f = drSubsetNoLabelsCheck.run(inputFromYaml({ c1: drs }));
  assert.deepEqual(f.map((x) => [x.code, x.origin, x.path]), [['MS0004', 'DestinationRule app/a', 'spec.subsets[1]']]);
});

test('MS0005: the same host+subset in two rules visible to the same clients; private rules in other namespaces do not clash with each other', () => {
  const f = drDuplicateSubsetCheck.run(inputFromYaml({ c1: drs }));
  const origins = f.map((x) => x.origin).sort();
  // a and b are public: they clash with each other and with each private rule; the two private rules do not clash.
  assert.deepEqual(origins, ['DestinationRule app/a', 'DestinationRule app/b', 'DestinationRule other/private', 'DestinationRule third/private2']);
});
