// The pure weight planner: rebalancing, locks, even split, drain, validation, DEST naming, rule selection.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parse } from 'yaml';
import {
  apportion, assignWeights, currentValues, drain, evenSplit, findDestination, listRules, nudge, planEdits, PlanError,
  resolveRule, setWeight, validateWeights,
} from '../src/edit/planner.js';
import type { KubeObject } from '../src/model/resources.js';

const VS = parse(`
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: demoapp, namespace: app}
spec:
  hosts: [demoapp]
  http:
  - name: canary-header
    match: [{headers: {x-canary: {exact: "1"}}}]
    route:
    - destination: {host: demoapp, subset: v2-canary}
  - name: main
    route:
    - destination: {host: demoapp.app.svc.cluster.local, subset: v1}
      weight: 80
    - destination: {host: demoapp, subset: v2}
      weight: 20
    - destination: {host: demoapp, subset: v2-canary}
    mirror: {host: shadow}
  tcp:
  - match: [{port: 31400}]
    route:
    - destination: {host: tcp-echo, port: {number: 9000}}
      weight: 80
    - destination: {host: tcp-echo, port: {number: 9000}, subset: v2}
      weight: 20
`) as KubeObject;

test('listRules: every http/tcp rule with destinations, effective weights and mirrors', () => {
  const rules = listRules(VS);
  assert.deepEqual(rules.map((r) => r.label), ['http[0] canary-header', 'http[1] main', 'tcp[0]']);
  assert.equal(rules[0].destinations[0].effective, 100, 'a lone destination without weight takes 100');
  assert.deepEqual(rules[1].destinations.map((d) => [d.raw, d.effective]), [[80, 80], [20, 20], [undefined, 0]]);
  assert.deepEqual(rules[1].mirrors.map((m) => [m.host, m.raw, m.effective]), [['shadow', undefined, 100]]);
  assert.equal(rules[2].destinations[0].port, 9000);
  assert.equal(rules[2].match, 'port 31400');
});

test('apportion: largest remainder, ties to the lower index, always sums to the total', () => {
  assert.deepEqual(apportion(100, [1, 1, 1]), [34, 33, 33]);
  assert.deepEqual(apportion(49, [30, 20]), [29, 20]);
  assert.deepEqual(apportion(10, [0, 0]), [5, 5]);
  fc.assert(fc.property(fc.integer({ min: 0, max: 100 }), fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 1, maxLength: 8 }), (t, shares) => {
    const out = apportion(t, shares);
    assert.equal(out.reduce((a, b) => a + b, 0), t);
    assert.ok(out.every((x) => Number.isInteger(x) && x >= 0));
  }), { seed: 6, numRuns: 500 });
});

test('setWeight rebalances the unlocked others proportionally; locks are skipped', () => {
  const none = [false, false, false];
  assert.deepEqual(setWeight([50, 30, 20], none, 0, 51), [51, 29, 20]);
  assert.deepEqual(setWeight([80, 10, 10], none, 2, 0), [89, 11, 0]);
  assert.deepEqual(setWeight([50, 30, 20], [false, true, false], 0, 0), [0, 30, 70], 'locked 30 stays');
  assert.deepEqual(setWeight([50, 30, 20], [false, true, false], 0, 90), [70, 30, 0], 'clamped to what the lock leaves');
  assert.deepEqual(setWeight([50, 50], [false, true], 0, 80), [50, 50], 'nothing can move when every other is locked');
  assert.deepEqual(setWeight([100, 0, 0], none, 0, 40), [40, 30, 30], 'zero others share evenly');
  assert.deepEqual(nudge([90, 10], [false, false], 1, 10), [80, 20]);
  assert.deepEqual(nudge([95, 5], [false, false], 1, -10), [100, 0], 'clamped at 0');
  assert.deepEqual(drain([90, 10], [false, false], 1), [100, 0]);
  assert.deepEqual(evenSplit([80, 10, 10], none), [34, 33, 33]);
  assert.deepEqual(evenSplit([80, 10, 10], [true, false, false]), [80, 10, 10]);
  assert.deepEqual(evenSplit([60, 30, 10], [true, false, false]), [60, 20, 20]);
});

test('property: any sequence of editor operations keeps integer weights 0..100 totalling 100', () => {
  const op = fc.oneof(
    fc.record({ k: fc.constant('set'), i: fc.nat(5), v: fc.integer({ min: -20, max: 150 }) }),
    fc.record({ k: fc.constant('nudge'), i: fc.nat(5), v: fc.constantFrom(-10, -1, 1, 10) }),
    fc.record({ k: fc.constant('even'), i: fc.nat(5), v: fc.constant(0) }),
    fc.record({ k: fc.constant('lock'), i: fc.nat(5), v: fc.constant(0) }),
  );
  fc.assert(fc.property(fc.integer({ min: 2, max: 6 }), fc.array(op, { maxLength: 30 }), (n, ops) => {
    let w = apportion(100, Array.from({ length: n }, (_, i) => i + 1));
    const locked = Array.from({ length: n }, () => false);
    for (const o of ops) {
      const i = o.i % n;
      if (o.k === 'set') w = setWeight(w, locked, i, o.v);
      else if (o.k === 'nudge') w = nudge(w, locked, i, o.v);
      else if (o.k === 'even') w = evenSplit(w, locked);
      else locked[i] = !locked[i];
      assert.equal(w.reduce((a, b) => a + b, 0), 100, JSON.stringify({ w, ops }));
      assert.ok(w.every((x) => Number.isInteger(x) && x >= 0 && x <= 100));
    }
  }), { seed: 42, numRuns: 1000 });
});

test('validation: integers 0..100, at least one above 0, total 100', () => {
  assert.deepEqual(validateWeights([50, 50]), []);
  assert.match(validateWeights([50, 49])[0], /add up to 99, not 100/);
  assert.match(validateWeights([101, -1])[0], /integers from 0 to 100/);
  assert.match(validateWeights([50.5, 49.5])[0], /integers/);
  assert.match(validateWeights([0, 0]).join(), /at least one destination/);
  assert.deepEqual(validateWeights([100]), []);
});

test('DEST naming: subset, host, host:subset, host: for no subset; ambiguity is a clear error', () => {
  const main = resolveRule(VS, 'main');
  assert.equal(findDestination(main, 'v2'), 1);
  assert.equal(findDestination(main, 'demoapp:v2-canary'), 2);
  assert.equal(findDestination(main, 'demoapp.app.svc.cluster.local:v1'), 0);
  assert.equal(findDestination(main, 'demoapp:v1'), 0, 'short host matches the FQDN');
  assert.throws(() => findDestination(main, 'demoapp'), /ambiguous.*demoapp.app.svc.cluster.local:v1, demoapp:v2, demoapp:v2-canary/);
  assert.throws(() => findDestination(main, 'v3'), /no destination "v3" in rule http\[1\] main/);
  const tcp = resolveRule(VS, 'tcp/0');
  assert.throws(() => findDestination(tcp, 'tcp-echo'), /ambiguous.*tcp-echo:, tcp-echo:v2/);
  assert.equal(findDestination(tcp, 'tcp-echo:'), 0);
  assert.equal(findDestination(tcp, 'v2'), 1);
});

test('rule selection: by name, by index (kind-qualified when needed), or the only rule that fits', () => {
  assert.equal(resolveRule(VS, '1').label, 'http[1] main');
  assert.equal(resolveRule(VS, 'tcp[0]').label, 'tcp[0]');
  assert.throws(() => resolveRule(VS, '0'), /ambiguous.*http\/0 or tcp\/0/);
  assert.throws(() => resolveRule(VS, 'nope'), /has no rule "nope" \(rules: http\[0\] canary-header, http\[1\] main, tcp\[0\]\)/);
  const fits = (name: string) => (r: ReturnType<typeof resolveRule>) => { try { findDestination(r, name); return true; } catch { return false; } };
  assert.equal(resolveRule(VS, undefined, fits('v1')).label, 'http[1] main');
  assert.throws(() => resolveRule(VS, undefined, fits('v2')), /several rules that fit \(http\[1\] main, tcp\[0\]\)/);
  assert.throws(() => resolveRule(VS, undefined, fits('v2-canary')), /several rules that fit.*--rule/);
});

test('planEdits: only changed fields, an absent weight stays absent when unchanged, invalid values refused', () => {
  const main = resolveRule(VS, 'main');
  const v = currentValues(main);
  assert.deepEqual(planEdits(main, v), []);
  v.weights = assignWeights(v.weights, new Map([[1, 50], [2, 50]]), false);
  assert.throws(() => planEdits(main, v), (e: Error) => e instanceof PlanError && /add up to 180/.test(e.message));
  v.weights = assignWeights(currentValues(main).weights, new Map([[1, 50], [2, 50]]), true);
  assert.deepEqual(v.weights, [0, 50, 50]);
  assert.deepEqual(planEdits(main, v).map((e) => [e.path.join('.'), e.before, e.after]), [
    ['spec.http.1.route.0.weight', 80, 0], ['spec.http.1.route.1.weight', 20, 50], ['spec.http.1.route.2.weight', undefined, 50],
  ]);
  const m = currentValues(main);
  m.mirrors = [12.5];
  assert.deepEqual(planEdits(main, m).map((e) => [e.path.join('.'), e.after]), [['spec.http.1.mirrorPercentage.value', 12.5]]);
  m.mirrors = [101];
  assert.throws(() => planEdits(main, m), /mirror percentage 101/);
});

test('a rule whose existing total is not 100 is shown as is and never written with another such total', () => {
  const odd = parse('kind: VirtualService\nmetadata: {name: x}\nspec:\n  http:\n  - route:\n    - destination: {host: a}\n      weight: 30\n    - destination: {host: b}\n      weight: 30\n') as KubeObject;
  const [r] = listRules(odd);
  assert.equal(r.total, 60);
  assert.deepEqual(planEdits(r, currentValues(r)), [], 'unchanged: nothing to write, no complaint');
  assert.throws(() => planEdits(r, { weights: [40, 30], mirrors: [] }), /add up to 70/);
  assert.equal(planEdits(r, { weights: [40, 60], mirrors: [] }).length, 2);
});
