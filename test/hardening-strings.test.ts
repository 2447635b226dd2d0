// Hostile strings: names, labels, annotations, hosts and Envoy names carrying terminal control sequences never reach
// the terminal through CLI text output, and -o json / -o yaml keep them as exact (escaped) data.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parse as parseYaml } from 'yaml';
import { sanitize, sanitizeLine, terminalSafeJson } from '../src/core/sanitize.js';
import {
  ALL, CONTROL_BYTES, EVIL_HOST, EVIL_NS, EVIL_VS, PAYLOADS, allStrings, firstControl, mutateString, writeHostileSnapshot,
  type HostileSnapshot,
} from './support/hostile.js';
import { fuzzParams } from './support/fuzz.js';
import { folderListing } from './support/files.js';
import { runCli } from './support/cli.js';

// ---------------------------------------------------------------- sanitize() itself

describe('sanitize strips every family of control sequence', () => {
  const cases: [string, string, string][] = [
    ['SGR colour', 'a\x1b[31;1mb\x1b[0m', 'ab'],
    ['cursor movement', 'a\x1b[10;20Hb\x1b[2Ac\x1b[K', 'abc'],
    ['screen clear', '\x1b[2J\x1b[3J\x1b[Hx', 'x'],
    ['OSC 52 clipboard write (BEL)', 'a\x1b]52;c;cm0gLXJmIH4=\x07b', 'ab'],
    ['OSC 0 title (ST)', 'a\x1b]0;pwned\x1b\\b', 'ab'],
    ['OSC 8 hyperlink', '\x1b]8;;http://evil\x1b\\click\x1b]8;;\x1b\\', 'click'],
    ['8-bit C1 CSI', 'a\x9b31mb', 'ab'],
    ['8-bit OSC', 'a\x9d0;t\x9cb', 'ab'],
    ['DCS (7-bit)', 'a\x1bP1$qm\x1b\\b', 'ab'],
    ['DCS (8-bit)', 'a\x90q#0\x9cb', 'ab'],
    ['APC / PM / SOS', 'a\x1b_x\x1b\\b\x1b^y\x1b\\c\x1bXz\x1b\\d', 'abcd'],
    ['two-char ESC (RIS, keypad)', 'a\x1bcb\x1b=c\x1b(0d', 'abcd'],
    ['bare C0 (BEL, BS, CR, NUL, VT, FF)', 'a\x07b\x08c\rd\x00e\x0bf\x0cg', 'abcdefg'],
    ['DEL and other C1', 'a\x7fb\x85c\x8ed', 'abcd'],
    ['unterminated CSI at the end (its parameters stay as text)', 'ab\x1b[31', 'ab31'],
    ['unterminated OSC eats to the end', 'ab\x1b]52;c;xxxx', 'ab'],
    ['lone ESC', 'ab\x1b', 'ab'],
  ];
  for (const [name, input, want] of cases) {
    test(name, () => {
      assert.equal(sanitize(input), want);
      assert.equal(sanitizeLine(input), want);
    });
  }

  test('tab and newline survive sanitize(); sanitizeLine() folds them to spaces', () => {
    assert.equal(sanitize('a\tb\nc'), 'a\tb\nc');
    assert.equal(sanitizeLine('a\tb\nc'), 'a b c');
  });

  test('clean strings come back unchanged (same string)', () => {
    const s = 'outbound|9080|v1|reviews.default.svc.cluster.local ünïcode ✔';
    assert.equal(sanitize(s), s);
  });

  test('property: no output of sanitize() holds a control character other than tab or newline; idempotent', () => {
    const piece = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 6 }),
      fc.constantFrom(...Object.values(PAYLOADS), '\x1b', '\x1b[', '\x1b]', '\x9b', '\x9d', '\x90', '\x9c', '\x07', '\t', '\n', '\r'),
      fc.string({ unit: fc.integer({ min: 0, max: 0x9f }).map((c) => String.fromCharCode(c)), maxLength: 8 }),
    );
    const input = fc.array(piece, { maxLength: 12 }).map((a) => a.join(''));
    fc.assert(fc.property(input, (s) => {
      const out = sanitize(s);
      assert.ok(!/[\x00-\x08\x0b-\x1f\x7f-\x9f]/.test(out), firstControl(out));
      assert.ok(!CONTROL_BYTES.test(sanitizeLine(s)) && !/[\t\n]/.test(sanitizeLine(s)));
      assert.equal(sanitize(out), out);
    }), fuzzParams(2000));
  });

  test('terminalSafeJson keeps the data and leaves no raw DEL or C1 character', () => {
    const value = { name: `x${ALL}y`, [`k${PAYLOADS.c1csi}`]: [PAYLOADS.del, '\x85'] };
    const text = terminalSafeJson(JSON.stringify(value, null, 2));
    assert.ok(!CONTROL_BYTES.test(text.replace(/\n/g, '')), firstControl(text));
    assert.deepEqual(JSON.parse(text), value);
  });
});

// ---------------------------------------------------------------- the CLI over a hostile snapshot

/** Every payload an argv can carry (a process argument cannot hold NUL). */
const ARGV_ALL = ALL.replace(/\x00/g, '');

let snap: HostileSnapshot;
const savedEnv = { XDG_STATE_HOME: process.env.XDG_STATE_HOME };
before(async () => {
  snap = await writeHostileSnapshot();
  process.env.XDG_STATE_HOME = join(snap.dir, '.state'); // weights never writes here without --yes; keep it private anyway
});
after(() => {
  if (savedEnv.XDG_STATE_HOME === undefined) delete process.env.XDG_STATE_HOME;
  else process.env.XDG_STATE_HOME = savedEnv.XDG_STATE_HOME;
  if (snap) rmSync(snap.dir, { recursive: true, force: true });
});

function assertClean(args: string[], r: { stdout: string; stderr: string; threw?: unknown }): void {
  assert.equal(r.threw, undefined, `meshscope ${JSON.stringify(args)} threw ${String(r.threw)}`);
  const o = firstControl(r.stdout.replace(/[\t\n]/g, ' '));
  const e = firstControl(r.stderr.replace(/[\t\n]/g, ' '));
  assert.equal(o, undefined, `stdout of meshscope ${JSON.stringify(args)} carries a control character: ${o}`);
  assert.equal(e, undefined, `stderr of meshscope ${JSON.stringify(args)} carries a control character: ${e}`);
}

describe('CLI text output over a hostile snapshot carries no control character', () => {
  test('the hostile snapshot really is hostile: the loader hands the sequences out exactly', async () => {
    const { loadSnapshotFolder } = await import('../src/sources/snapshot.js');
    const mesh = await loadSnapshotFolder(snap.dir);
    const strings = allStrings(mesh.contexts.map((c) => c.objects.map((o) => o.obj)));
    assert.ok(strings.has(EVIL_VS) && strings.has(EVIL_HOST) && strings.has(EVIL_NS));
    assert.ok([...strings].some((s) => s.includes(`reviews${PAYLOADS.sgr}`)));
    assert.ok(mesh.contexts.every((c) => c.status === 'ok'), mesh.contexts.map((c) => c.reason).join('; '));
  });

  const textRuns: [string, () => string[], (out: string) => void][] = [
    ['summary', () => ['summary', '--limit', '0'], (out) => {
      assert.ok(out.includes(sanitizeLine(EVIL_VS)) && out.includes(sanitizeLine(EVIL_NS)));
      assert.ok(out.includes('reviews'));
    }],
    ['tree', () => ['tree'], (out) => assert.ok(out.includes(sanitizeLine(EVIL_VS)) && out.includes(sanitizeLine(EVIL_HOST)))],
    ['tree --kind cluster', () => ['tree', '--kind', 'cluster'], (out) => assert.ok(out.includes('reviews.default.svc.cluster.local'))],
    ['analyze', () => ['analyze'], (out) => assert.match(out, /\[(IST|MS)\d{4}\]/)],
    ['analyze with several contexts named', () => ['--context', 'cluster-a,cluster-b', 'analyze'], (out) => assert.match(out, /\[cluster-a\]/)],
    ['weights get (demo VS with a hostile name)', () => ['weights', 'get', snap.reviewsVs], (out) => assert.match(out, /reviews/)],
    ['weights get (hostile namespace, VS, hosts and subsets)', () => ['-n', EVIL_NS, 'weights', 'get', EVIL_VS], (out) => {
      assert.ok(out.includes(sanitizeLine(EVIL_HOST)));
      assert.match(out, /70/);
    }],
    ['weights get of a hostile name that does not exist', () => ['weights', 'get', `nope${ARGV_ALL}`], () => {}],
    ['an unknown command with a hostile name', () => [`frob${ARGV_ALL}`], () => {}],
    ['an unknown option with a hostile name', () => ['summary', `--x${PAYLOADS.clear}`], () => {}],
  ];
  for (const [name, args, check] of textRuns) {
    test(name, async () => {
      const a = ['--fixtures', snap.dir, ...args()];
      const r = await runCli(a);
      assertClean(a, r);
      check(r.stdout);
    });
  }

  test('pc: every view of every pod with a dump (hostile pod, namespace, cluster, route, domain and listener names)', async () => {
    const views = ['all', 'cluster', 'listener', 'route', 'endpoint', 'eds', 'secret', 'bootstrap', 'ecds'];
    let printed = 0;
    for (const [context, pods] of Object.entries(snap.pods)) {
      for (const pod of pods) {
        for (const view of views) {
          const a = ['--fixtures', snap.dir, '--context', context, 'pc', view, pod, ...(view === 'bootstrap' ? ['-o', 'short'] : [])];
          const r = await runCli(a);
          assertClean(a, r);
          assert.ok(r.code === 0 || (view === 'ecds' && r.code === 1), `${a.join(' ')} → ${r.code}: ${r.stderr}`);
          if (r.code === 0) printed++;
        }
        // the file given directly with -f, and a filter whose value is hostile
        const a = ['--fixtures', snap.dir, '--context', context, 'pc', 'cluster', pod, '--fqdn', `reviews${PAYLOADS.sgr}`];
        assertClean(a, await runCli(a));
      }
    }
    assert.ok(printed >= 40, `printed ${printed} views`);
    const route = await runCli(['--fixtures', snap.dir, '--context', 'cluster-a', 'pc', 'route', snap.pods['cluster-a']!.find((p) => p.startsWith('productpage'))!]);
    assert.match(route.stdout, /reviews\.default\.svc\.cluster\.local/);
  });

  test('pc with a hostile pod name that has no dump names it, cleaned', async () => {
    const a = ['--fixtures', snap.dir, '--context', 'cluster-a', 'pc', 'cluster', `ghost${ARGV_ALL}.default`];
    const r = await runCli(a);
    assertClean(a, r);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /no Envoy dump for pod ghost/);
  });

  test('weights set without --yes prints a clean diff, writes nothing', async () => {
    const before = folderListing(snap.dir);
    const a = ['--fixtures', snap.dir, '-n', EVIL_NS, 'weights', 'set', EVIL_VS, `v1${PAYLOADS.c1csi}=40`, 'v2=60'];
    const r = await runCli(a);
    assertClean(a, r);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /not applied/);
    assert.match(r.stdout, /40/);
    assert.equal(folderListing(snap.dir), before);
  });
});

describe('-o json and -o yaml keep hostile strings as exact data', () => {
  const clean = (args: string[], r: { stdout: string; stderr: string; threw?: unknown }) => assertClean(args, r);

  test('tree -o json', async () => {
    const a = ['--fixtures', snap.dir, 'tree', '-o', 'json'];
    const r = await runCli(a);
    clean(a, r); // JSON escapes every control character: the bytes on the terminal are clean too
    assert.match(r.stdout, /\\u001b\[31;1m/);
    const strings = [...allStrings(JSON.parse(r.stdout))];
    assert.ok(strings.some((s) => s.includes(EVIL_VS)), 'the hostile VS name survives exactly');
    assert.ok(strings.some((s) => s.includes(EVIL_HOST)), 'the hostile host survives exactly');
    assert.ok(strings.some((s) => s.includes(`details${PAYLOADS.c1csi}`)), 'C1 CSI survives exactly');
  });

  test('analyze -o json', async () => {
    const a = ['--fixtures', snap.dir, 'analyze', '-o', 'json'];
    const r = await runCli(a);
    clean(a, r);
    const findings = JSON.parse(r.stdout) as { origin: string; message: string }[];
    assert.ok(findings.length > 0);
    assert.ok(findings.some((f) => CONTROL_BYTES.test(f.origin) || CONTROL_BYTES.test(f.message)), 'some finding names a hostile object exactly');
  });

  test('weights get -o json', async () => {
    const a = ['--fixtures', snap.dir, '-n', EVIL_NS, 'weights', 'get', EVIL_VS, '-o', 'json'];
    const r = await runCli(a);
    clean(a, r);
    const [vs] = JSON.parse(r.stdout) as { name: string; namespace: string; rules: { name: string; destinations: { host: string; subset?: string; weight: number }[] }[] }[];
    assert.equal(vs!.name, EVIL_VS);
    assert.equal(vs!.namespace, EVIL_NS);
    assert.equal(vs!.rules[0]!.name, `rule${PAYLOADS.sgr}`);
    assert.deepEqual(vs!.rules[0]!.destinations.slice(0, 2).map((d) => [d.host, d.subset, d.weight]), [[EVIL_HOST, `v1${PAYLOADS.c1csi}`, 70], [EVIL_HOST, 'v2', 30]]);
  });

  for (const format of ['json', 'yaml'] as const) {
    for (const view of ['cluster', 'route', 'listener', 'endpoint', 'all']) {
      test(`pc ${view} -o ${format}`, async () => {
        const pod = snap.pods['cluster-a']!.find((p) => p.startsWith('productpage'))!;
        const a = ['--fixtures', snap.dir, '--context', 'cluster-a', 'pc', view, pod, '-o', format];
        const r = await runCli(a);
        clean(a, r);
        assert.equal(r.code, 0, r.stderr);
        const data: unknown = format === 'json' ? JSON.parse(r.stdout) : parseYaml(r.stdout);
        const strings = [...allStrings(data)];
        const hostile = strings.filter((s) => CONTROL_BYTES.test(s));
        assert.ok(hostile.length > 0, 'hostile names are in the data');
        // Each hostile string is exactly a mutated demo string: the escape bytes were neither dropped nor altered.
        const payloads = Object.values(PAYLOADS).filter((p) => !p.includes('\x00'));
        for (const h of hostile) assert.ok(payloads.some((p) => h.includes(p)), `${JSON.stringify(h)} holds a whole payload`);
        if (view !== 'listener') {
          const expect = view === 'endpoint' ? `outbound|9080||reviews${PAYLOADS.sgr}.default.svc.cluster.local` : `reviews${PAYLOADS.sgr}.default.svc.cluster.local`;
          assert.ok(strings.some((s) => s.includes(expect)), `exact ${JSON.stringify(expect)} in pc ${view} -o ${format}`);
        }
      });
    }
  }

  test('the -f FILE path of pc keeps the data too', async () => {
    const pod = snap.pods['cluster-b']!.find((p) => p.startsWith('reviews'))!;
    const [podName, ns] = [pod.slice(0, pod.lastIndexOf('.')), pod.slice(pod.lastIndexOf('.') + 1)];
    const file = join(snap.dir, 'cluster-b', 'proxies', ns!, podName!, 'config_dump.json');
    assert.ok(statSync(file).isFile());
    const a = ['pc', 'cluster', '-f', file, '-o', 'json'];
    const r = await runCli(a);
    clean(a, r);
    assert.ok([...allStrings(JSON.parse(r.stdout))].some((s) => s === `outbound|9080|v1|reviews${PAYLOADS.sgr}.default.svc.cluster.local`));
    const t = await runCli(['pc', 'cluster', '-f', file]);
    assertClean(['pc', 'cluster', '-f', file], t);
    assert.match(t.stdout, /reviews\.default\.svc\.cluster\.local/);
  });

  test('mutateString is what the fixture applies (guards the expectations above)', () => {
    assert.equal(mutateString('reviews.default'), `reviews${PAYLOADS.sgr}.default`);
  });
});
