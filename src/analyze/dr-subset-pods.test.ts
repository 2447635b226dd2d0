import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inputFromYaml } from '../../test/support/analyze-fixture.js';
import { drSubsetPodsCheck } from './dr-subset-pods.js';

const svc = (ctx: string, version: string) => `
apiVersion: v1
kind: Service
metadata: {name: reviews, namespace: app}
spec:
  selector: {app: reviews}
  ports: [{name: http, port: 9080}]
---
apiVersion: v1
kind: Pod
metadata: {name: reviews-${version}-${ctx}, namespace: app, labels: {app: reviews, version: ${version}}}
spec: {containers: [{name: reviews}]}
---`;

const dr = `
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: reviews, namespace: app}
spec:
  host: reviews
  subsets:
  - {name: v1, labels: {version: v1}}
  - {name: v2, labels: {version: v2}}
  - {name: v9, labels: {version: v9}}
`;

test('IST0173 across contexts: a subset whose pods run in another loaded context is not flagged', () => {
  const input = inputFromYaml({ 'cluster-a': svc('a', 'v1') + dr, 'cluster-b': svc('b', 'v2') });
  const f = drSubsetPodsCheck.run(input);
  assert.deepEqual(f.map((x) => [x.code, x.context, x.path]), [['IST0173', 'cluster-a', 'spec.subsets[2].labels']]);
  assert.equal(f[0]!.message, 'The Subset v9 defined in the DestinationRule does not select any pods. Which may lead to 503 UH (NoHealthyUpstream).');
});

test('IST0174 when no context has the host', () => {
  const f = drSubsetPodsCheck.run(inputFromYaml({ c1: dr }));
  assert.deepEqual(f.map((x) => x.code), ['IST0174']);
});
