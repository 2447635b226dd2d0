import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inputFromYaml } from '../../test/support/analyze-fixture.js';
import { vsSameHostGatewayCheck } from './vs-same-host-gateway.js';

const y = (name: string, ns: string, gw: string, host: string) => `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: ${name}, namespace: ${ns}}
spec:
  hosts: [${host}]
  gateways: [${gw}]
  http:
  - route:
    - destination: {host: web}
---`;

test('MS0001: two VirtualServices bind one host to one Gateway; another gateway or the mesh does not count', () => {
  const input = inputFromYaml({
    c1: y('a', 'web', 'istio-system/public', 'shop.example.com')
      + y('b', 'shop', 'istio-system/public', 'shop.example.com')
      + y('c', 'web', 'istio-system/internal', 'shop.example.com')
      + y('d', 'web', 'mesh', 'shop.example.com'),
  });
  const f = vsSameHostGatewayCheck.run(input);
  assert.deepEqual(f.map((x) => x.origin).sort(), ['VirtualService shop/b', 'VirtualService web/a']);
  assert.match(f[0]!.message, /shop\/b,web\/a bound to gateway istio-system\/public define the same host shop.example.com/);
});
