import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inputFromYaml } from '../../test/support/analyze-fixture.js';
import { isClaimHeader, vsJwtClaimRouteCheck } from './vs-jwt-claim-route.js';

const base = `
apiVersion: v1
kind: Pod
metadata: {name: ingress-1, namespace: istio-system, labels: {istio: ingressgateway}}
spec: {containers: [{name: istio-proxy}]}
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: public, namespace: istio-system}
spec:
  selector: {istio: ingressgateway}
  servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: ["*/shop.example.com"]}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: shop, namespace: shop}
spec:
  hosts: [shop.example.com]
  gateways: [istio-system/public]
  http:
  - match: [{headers: {"@request.auth.claims.group": {exact: beta}}}]
    route: [{destination: {host: shop-beta}}]
  - route: [{destination: {host: shop}}]
---`;

const ra = (ns: string, selector?: string) => `
apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata: {name: jwt, namespace: ${ns}}
spec:
${selector ? `  selector: {matchLabels: ${selector}}\n` : ''}  jwtRules: [{issuer: https://issuer.example.com}]
---`;

test('isClaimHeader: dotted and bracketed claim names', () => {
  assert.equal(isClaimHeader('@request.auth.claims.group'), true);
  assert.equal(isClaimHeader('@request.auth.claims[a.b][c]'), true);
  assert.equal(isClaimHeader('@request.auth.claims'), false);
  assert.equal(isClaimHeader('x-user'), false);
});

test('IST0149: claim routing on a gateway whose pod no RequestAuthentication covers', () => {
  const f = vsJwtClaimRouteCheck.run(inputFromYaml({ c1: base }));
  assert.deepEqual(f.map((x) => [x.code, x.level, x.origin, x.path]), [
    ['IST0149', 'Error', 'VirtualService shop/shop', 'spec.http[0].match[0].headers["@request.auth.claims.group"]'],
  ]);
  assert.match(f[0]!.message, /^The virtual service uses the JWT claim based routing \(key: @request\.auth\.claims\.group\) but found no request authentication for the gateway \(istio-system\/public\) pod \(ingress-1\)\./);
});

test('IST0149: a RequestAuthentication in the root namespace or selecting the gateway pod satisfies it; one for other pods does not', () => {
  assert.deepEqual(vsJwtClaimRouteCheck.run(inputFromYaml({ c1: base + ra('istio-system') })), []);
  assert.deepEqual(vsJwtClaimRouteCheck.run(inputFromYaml({ c1: base + ra('istio-system', '{istio: ingressgateway}') })), []);
  assert.equal(vsJwtClaimRouteCheck.run(inputFromYaml({ c1: base + ra('istio-system', '{app: other}') })).length, 1);
  assert.equal(vsJwtClaimRouteCheck.run(inputFromYaml({ c1: base + ra('shop') })).length, 1);
});

test('live contexts are checked, unless listing RequestAuthentications failed there', () => {
  const live = (message?: string) => {
    const input = inputFromYaml({ c1: base });
    for (const c of input.contexts) {
      c.snapshot.source = { kind: 'live', server: 'https://c1.example' } as typeof c.snapshot.source;
      c.snapshot.issues = message ? [{ context: 'c1', severity: 'error', message }] : [];
    }
    return vsJwtClaimRouteCheck.run(input);
  };
  assert.equal(live().length, 1, 'a live context without RequestAuthentication is flagged');
  assert.equal(live('context c1: RequestAuthentication (security.istio.io/v1): forbidden: cannot list').length, 0);
});
