import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inputFromYaml } from '../../test/support/analyze-fixture.js';
import { deploymentServicesCheck } from './deployment-services.js';

const deployment = (inject: string) => `
apiVersion: apps/v1
kind: Deployment
metadata: {name: details, namespace: shop}
spec:
  selector: {matchLabels: {app: details}}
  template:
    metadata: {labels: {app: details, sidecar.istio.io/inject: "${inject}"}}
    spec: {containers: [{name: details, image: details:1}]}
---`;

const service = (name: string, ports: string, ns = 'shop', selector = '{app: details}') => `
apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: ${ns}}
spec: {selector: ${selector}, ports: ${ports}}
---`;

test('IST0116: two Services select the pods and use port 9080 with different protocols', () => {
  const yaml = deployment('true') + service('details-tcp', '[{name: tcp, port: 9080, protocol: TCP}]') + service('details-udp', '[{name: udp, port: 9080, protocol: UDP}]');
  const f = deploymentServicesCheck.run(inputFromYaml({ c1: yaml }));
  assert.deepEqual(f.map((x) => [x.code, x.level, x.origin]), [['IST0116', 'Warning', 'Deployment shop/details']]);
  assert.equal(f[0]!.message, 'This deployment details is associated with multiple services using port 9080 but different protocols: [shop/details-tcp shop/details-udp]');
});

test('IST0137: one targetPort behind two different ports', () => {
  const yaml = deployment('true') + service('details', '[{name: http, port: 9080, targetPort: 8080}]') + service('details-alt', '[{name: http, port: 80, targetPort: 8080}]');
  const f = deploymentServicesCheck.run(inputFromYaml({ c1: yaml }));
  assert.deepEqual(f.map((x) => x.code), ['IST0137']);
  assert.equal(f[0]!.message, 'This deployment details is associated with multiple services [shop/details-alt shop/details] using targetPort "8080" but different ports: [80 9080].');
});

test('no finding: out of the mesh, a Service in another namespace, or a Service without selector', () => {
  const conflicting = service('details-tcp', '[{name: tcp, port: 9080, protocol: TCP}]') + service('details-udp', '[{name: udp, port: 9080, protocol: UDP}]');
  assert.deepEqual(deploymentServicesCheck.run(inputFromYaml({ c1: deployment('false') + conflicting })), []);
  const elsewhere = service('details-tcp', '[{name: tcp, port: 9080}]') + service('details-udp', '[{name: udp, port: 9080, protocol: UDP}]', 'other');
  assert.deepEqual(deploymentServicesCheck.run(inputFromYaml({ c1: deployment('true') + elsewhere })), []);
  const noSelector = service('details-tcp', '[{name: tcp, port: 9080}]') + service('manual', '[{name: udp, port: 9080, protocol: UDP}]', 'shop', '{}');
  assert.deepEqual(deploymentServicesCheck.run(inputFromYaml({ c1: deployment('true') + noSelector })), []);
});

test('a namespace labelled istio-injection=enabled puts an unlabelled Deployment in the mesh', () => {
  const d = deployment('x').replace(', sidecar.istio.io/inject: "x"', '');
  const ns = `
apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {istio-injection: enabled}}
---`;
  const yaml = ns + d + service('details-tcp', '[{name: tcp, port: 9080}]') + service('details-udp', '[{name: udp, port: 9080, protocol: UDP}]');
  assert.deepEqual(deploymentServicesCheck.run(inputFromYaml({ c1: yaml })).map((x) => x.code), ['IST0116']);
});
