// YAML editing: only the weight numbers change byte for byte; comments, quoting, order and layout stay.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAllDocuments } from 'yaml';
import { editYamlText, YamlEditError } from '../src/edit/yaml-edit.js';
import { unifiedDiff, changedLines, renderDiff } from '../src/edit/diff.js';
import { currentValues, listRules, planEdits } from '../src/edit/planner.js';
import type { KubeObject } from '../src/model/resources.js';

const FILE = `# Demo mesh, cluster-a.   (comments must survive)
apiVersion: networking.istio.io/v1
kind: Namespace
metadata: {name: app}
---
apiVersion: "networking.istio.io/v1"
kind: VirtualService
metadata:
  name: demoapp      # the app
  namespace: 'app'
spec:
  hosts: ["demoapp.example.com"]
  http:
  - name: main
    route:
    - destination:
        host: demoapp
        subset: v2   # stable
      weight: 90     # most traffic
    - destination: { host: demoapp, subset: v2-canary }
      weight:   10
    - destination:
        host: demoapp
        subset: v3
    mirror:
      host: gcpbackend.com # shadow
    mirrorPercentage:
      value: 5.0
  tcp:
  - route:
    - destination: {host: tcp-echo}
      weight: 80
    - {destination: {host: tcp-echo, subset: v2}, weight: 20}
`;

function vsOf(text: string, doc = 1): KubeObject {
  return parseAllDocuments(text)[doc].toJS() as KubeObject;
}

function diffLines(before: string, after: string) {
  return changedLines(unifiedDiff(before, after, 'f.yaml'));
}

test('changing two weights changes exactly those two numbers, byte for byte', () => {
  const [main] = listRules(vsOf(FILE));
  const v = currentValues(main);
  v.weights = [50, 50, 0];
  const out = editYamlText(FILE, { docIndex: 1 }, planEdits(main, v));
  assert.equal(out, FILE.replace('weight: 90     # most', 'weight: 50     # most').replace('weight:   10', 'weight:   50'));
  const d = diffLines(FILE, out);
  assert.deepEqual(d.removed, ['      weight: 90     # most traffic', '      weight:   10']);
  assert.deepEqual(d.added, ['      weight: 50     # most traffic', '      weight:   50']);
});

test('a destination without weight gets a `weight:` line at its indentation; mirrorPercentage.value is edited in place', () => {
  const [main] = listRules(vsOf(FILE));
  const out = editYamlText(FILE, { docIndex: 1 }, planEdits(main, { weights: [40, 10, 50], mirrors: [12.5] }));
  assert.ok(out.includes('        subset: v3\n      weight: 50\n    mirror:'), out);
  assert.ok(out.includes('      value: 12.5\n'));
  const d = diffLines(FILE, out);
  assert.deepEqual(d.added, ['      weight: 40     # most traffic', '      weight: 50', '      value: 12.5']);
  assert.deepEqual(d.removed, ['      weight: 90     # most traffic', '      value: 5.0']);
  const vs = vsOf(out);
  assert.equal(vs.spec.http[0].route[2].weight, 50);
});

test('mirrorPercentage is added after `mirror` when absent', () => {
  const text = 'kind: VirtualService\nmetadata: {name: x}\nspec:\n  http:\n  - mirror:\n      host: gcp   # m\n    route:\n    - destination: {host: a}\n';
  const [r] = listRules(vsOf(text, 0));
  assert.equal(r.mirrors[0].effective, 100);
  const out = editYamlText(text, { docIndex: 0 }, planEdits(r, { weights: [100], mirrors: [10] }));
  assert.equal(out, 'kind: VirtualService\nmetadata: {name: x}\nspec:\n  http:\n  - mirror:\n      host: gcp   # m\n    mirrorPercentage:\n      value: 10\n    route:\n    - destination: {host: a}\n');
});

test('flow-style route items and tcp rules keep their layout', () => {
  const tcp = listRules(vsOf(FILE))[1];
  const out = editYamlText(FILE, { docIndex: 1 }, planEdits(tcp, { weights: [20, 80], mirrors: [] }));
  assert.deepEqual(diffLines(FILE, out).added, ['      weight: 20', '    - {destination: {host: tcp-echo, subset: v2}, weight: 80}']);
  const flow = 'kind: VirtualService\nmetadata: {name: x}\nspec: {tcp: [{route: [{destination: {host: a}, weight: 100}, {destination: {host: b}}]}]}\n';
  const [r] = listRules(vsOf(flow, 0));
  const out2 = editYamlText(flow, { docIndex: 0 }, planEdits(r, { weights: [70, 30], mirrors: [] }));
  assert.equal(out2, 'kind: VirtualService\nmetadata: {name: x}\nspec: {tcp: [{route: [{destination: {host: a}, weight: 70}, {destination: {host: b}, weight: 30}]}]}\n');
});

test('JSON files and kind: List items are edited in place too', () => {
  const json = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [{ kind: 'Service', metadata: { name: 's' } }, { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'x' }, spec: { http: [{ route: [{ destination: { host: 'a' }, weight: 100 }, { destination: { host: 'b' } }] }] } }] }, null, 2) + '\n';
  const list = JSON.parse(json) as { items: KubeObject[] };
  const [r] = listRules(list.items[1]);
  const out = editYamlText(json, { docIndex: 0, itemIndex: 1 }, planEdits(r, { weights: [60, 40], mirrors: [] }));
  const parsed = JSON.parse(out) as { items: KubeObject[] };
  assert.equal(parsed.items[1].spec.http[0].route[0].weight, 60);
  assert.equal(parsed.items[1].spec.http[0].route[1].weight, 40);
  assert.ok(out.includes('"weight": 60'));
  assert.match(out, /"host": "b"\n\s*\}, "weight": 40\n/);
});

test('unsafe edits are refused: the re-parsed result must equal the expected object', () => {
  assert.throws(() => editYamlText(FILE, { docIndex: 5 }, [{ path: ['spec', 'x'], before: 1, after: 2 }]), YamlEditError);
  const tagged = 'kind: VirtualService\nmetadata: {name: x}\nspec:\n  http:\n  - route:\n    - destination: {host: a}\n      weight: !!str 50\n';
  assert.throws(() => editYamlText(tagged, { docIndex: 0 }, [{ path: ['spec', 'http', 0, 'route', 0, 'weight'], before: 50, after: 60 }]), /change more than the weights/);
  const alias = 'kind: VirtualService\nmetadata: {name: x}\nw: &w 50\nspec:\n  http:\n  - route:\n    - destination: {host: a}\n      weight: *w\n    - destination: {host: b}\n      weight: 50\n';
  assert.throws(() => editYamlText(alias, { docIndex: 0 }, [{ path: ['spec', 'http', 0, 'route', 0, 'weight'], before: 50, after: 60 }]), YamlEditError);
});

test('the diff is unified, coloured on request, and sanitized', () => {
  const lines = unifiedDiff('a: 1\nb: \x1b]52;c;AAAA\x07x\n', 'a: 2\nb: \x1b]52;c;AAAA\x07x\n', 'f\x1b[2J.yaml');
  const plain = renderDiff(lines, false);
  assert.ok(!plain.includes('\x1b'), 'no escape sequences from the content reach the screen');
  assert.match(plain, /^--- f\.yaml \(before\)\n\+\+\+ f\.yaml \(after\)\n@@ -1,2 \+1,2 @@\n-a: 1\n\+a: 2\n b: x\n$/);
  const colour = renderDiff(lines, true);
  assert.ok(colour.includes('\x1b[31m-a: 1\x1b[39m') && colour.includes('\x1b[32m+a: 2\x1b[39m'));
});
