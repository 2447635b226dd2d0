import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inputFromYaml } from '../../test/support/analyze-fixture.js';
import { serviceEntryProtocolCheck } from './serviceentry-protocol.js';

const se = (name: string, ns: string, protocol: string, exportTo?: string[]) => `
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: ${name}, namespace: ${ns}}
spec:
  hosts: [api.example.com]
  location: MESH_EXTERNAL
  resolution: DNS
  ports: [{number: 443, name: p-${name}, protocol: ${protocol}}]
${exportTo ? `  exportTo: [${exportTo.map((e) => JSON.stringify(e)).join(', ')}]` : ''}
---`;

test('IST0177: two public ServiceEntries disagree on the protocol of api.example.com:443; each is reported once', () => {
  const f = serviceEntryProtocolCheck.run(inputFromYaml({ c1: se('a-tls', 'default', 'TLS') + se('b-https', 'egress', 'HTTPS') }));
  assert.deepEqual(f.map((x) => [x.code, x.level, x.origin, x.path]), [
    ['IST0177', 'Warning', 'ServiceEntry default/a-tls', 'spec.ports[0].protocol'],
    ['IST0177', 'Warning', 'ServiceEntry egress/b-https', 'spec.ports[0].protocol'],
  ]);
  assert.equal(f[0]!.message, 'Multiple ServiceEntries (default/a-tls, egress/b-https) define the same host "api.example.com" and port 443 with conflicting protocols (HTTPS, TLS).');
});

test('IST0177: a namespace-local entry conflicts with a public one visible in its namespace', () => {
  const f = serviceEntryProtocolCheck.run(inputFromYaml({ c1: se('local', 'ns1', 'HTTP', ['.']) + se('public', 'ns2', 'TCP') }));
  assert.deepEqual(f.map((x) => x.origin).sort(), ['ServiceEntry ns1/local', 'ServiceEntry ns2/public']);
});

test('IST0177: same protocol in any case, or scopes that never meet, is no conflict', () => {
  assert.deepEqual(serviceEntryProtocolCheck.run(inputFromYaml({ c1: se('a', 'default', 'https') + se('b', 'default', 'HTTPS') })), []);
  assert.deepEqual(serviceEntryProtocolCheck.run(inputFromYaml({ c1: se('a', 'ns1', 'HTTP', ['.']) + se('b', 'ns2', 'HTTPS', ['.']) })), []);
});
