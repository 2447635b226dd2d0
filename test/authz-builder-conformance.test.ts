// Every shared authz-builder case (istiod's builder goldens): the policies of the case in, the Envoy filters out,
// compared structurally with the golden files (key order aside; presence matters).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { CONFORMANCE } from './support/paths.js';
import { buildAuthzFilters } from '../src/mesh/authz/builder.js';
import { trustDomainBundle } from '../src/mesh/authz/trust-domain.js';
import { policiesForWorkload } from '../src/mesh/authz/select.js';
import type { KubeObject } from '../src/model/resources.js';

const DIR = join(CONFORMANCE, 'authz-builder');
const cases = JSON.parse(readFileSync(join(DIR, 'cases.json'), 'utf8')) as {
  mesh_configs: Record<string, { extensionProviders?: [] }>;
  cases: {
    name: string; input: string; outputs: string[];
    options: { builder: 'http' | 'tcp'; trust_domain_bundle: { trust_domain: string; aliases: string[] } | null; mesh_config: string | null; proxy: { namespace: string; labels: Record<string, string> } };
  }[];
};

test('the corpus has cases', () => assert.ok(cases.cases.length >= 15));

for (const c of cases.cases) {
  test(`authz builder: ${c.name}`, () => {
    const docs = parseAllDocuments(readFileSync(join(DIR, c.input), 'utf8')).map((d) => d.toJS() as KubeObject).filter(Boolean);
    const o = c.options;
    const applied = policiesForWorkload(docs, { namespace: o.proxy.namespace, labels: o.proxy.labels, rootNamespace: 'istio-system' });
    assert.equal(applied.length, docs.length, 'every input policy applies to the workload');
    const bundle = o.trust_domain_bundle ? trustDomainBundle(o.trust_domain_bundle.trust_domain, o.trust_domain_bundle.aliases) : trustDomainBundle('cluster.local');
    const { filters } = buildAuthzFilters(applied, {
      forTCP: o.builder === 'tcp', trustDomain: bundle,
      extensionProviders: o.mesh_config ? cases.mesh_configs[o.mesh_config]?.extensionProviders ?? [] : [],
      services: [{ namespace: 'foo', hostname: 'my-custom-ext-authz.foo.svc.cluster.local' }],
    });
    const expected = c.outputs.map((f) => parse(readFileSync(join(DIR, f), 'utf8')));
    assert.equal(filters.length, expected.length, `filter count: ${filters.map((f) => f.name).join(', ')}`);
    filters.forEach((f, i) => assert.deepEqual(JSON.parse(JSON.stringify(f)), expected[i], `filter ${i} (${c.outputs[i]})`));
  });
}
