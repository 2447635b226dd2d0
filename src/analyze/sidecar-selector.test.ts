import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inputFromYaml } from '../../test/support/analyze-fixture.js';
import { sidecarSelectorCheck } from './sidecar-selector.js';

const sidecar = (name: string, ns: string, selector?: string) => `
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: {name: ${name}, namespace: ${ns}}
spec:
${selector ? `  workloadSelector: {labels: ${selector}}\n` : ''}  egress: [{hosts: ["./*"]}]
---`;
const pod = (name: string, ns: string, labels: string, annotations = '{}') => `
apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: ${ns}, labels: ${labels}, annotations: ${annotations}}
spec: {containers: [{name: app}]}
---`;

const run = (yaml: string) => sidecarSelectorCheck.run(inputFromYaml({ c1: yaml })).map((f) => [f.code, f.origin, f.message]);

test('IST0101: a workload selector that selects no pod in the namespace (pods elsewhere do not count)', () => {
  assert.deepEqual(run(sidecar('reviews', 'shop', '{app: reviews, version: v1}') + pod('reviews-1', 'other', '{app: reviews, version: v1}')), [
    ['IST0101', 'Sidecar shop/reviews', 'Referenced selector not found: "app=reviews,version=v1"'],
  ]);
});

test('IST0110: two Sidecars select the same pod', () => {
  const yaml = sidecar('a', 'shop', '{app: reviews}') + sidecar('b', 'shop', '{version: v1}') + pod('reviews-1', 'shop', '{app: reviews, version: v1}');
  assert.deepEqual(run(yaml), [
    ['IST0110', 'Sidecar shop/a', 'The Sidecars [a b] in namespace "shop" select the same workload pod "reviews-1", which can lead to undefined behavior.'],
    ['IST0110', 'Sidecar shop/b', 'The Sidecars [a b] in namespace "shop" select the same workload pod "reviews-1", which can lead to undefined behavior.'],
  ]);
});

test('IST0111: two Sidecars without selector in one namespace; one alone is fine', () => {
  assert.deepEqual(run(sidecar('x', 'shop') + sidecar('y', 'shop') + sidecar('z', 'other')).map((r) => r.slice(0, 2)), [
    ['IST0111', 'Sidecar shop/x'], ['IST0111', 'Sidecar shop/y'],
  ]);
});

test('IST0167: Sidecars for ambient pods or an ambient namespace have no effect; injection labels win over ambient', () => {
  const ns = (name: string, labels: string) => `
apiVersion: v1
kind: Namespace
metadata: {name: ${name}, labels: ${labels}}
---`;
  const yaml = ns('amb', '{istio.io/dataplane-mode: ambient}') + ns('mixed', '{istio.io/dataplane-mode: ambient, istio-injection: enabled}')
    + sidecar('ns-wide', 'amb') + sidecar('pod', 'amb', '{app: a}') + pod('a-1', 'amb', '{app: a}', '{ambient.istio.io/redirection: enabled}')
    + sidecar('fine', 'mixed');
  assert.deepEqual(run(yaml), [
    ['IST0167', 'Sidecar amb/pod', 'The policy has no impact: selected workload is in ambient mode, the policy has no impact.'],
    ['IST0167', 'Sidecar amb/ns-wide', 'The policy has no impact: namespace is in ambient mode, the policy has no impact.'],
  ]);
});
