// Every overlay fits the terminal at 120×40, 80×24 and 60×20, scrolls inside itself with its
// position shown, and the weight confirmation keeps context, namespace and object on screen with the whole diff
// reachable. On (a copy of) fixtures/demo through the real load → join → tree → adapter path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { untilText } from './support/poll.js';
import { KEYS, start, type Driver } from './ui-support.js';
import { demoCopy, snapshotApp } from './ui-demo-support.js';
import { viewportKey, viewportWindow } from '../src/ui/viewport.js';

const SIZES = [{ columns: 120, rows: 40 }, { columns: 80, rows: 24 }, { columns: 60, rows: 20 }];
const PGDN = '\x1b[6~';
const PGUP = '\x1b[5~';

/** The frame (or file) once it matches; the shared poll's generous bound only stops a test that would hang. */
const until = (read: () => string, re: RegExp) => untilText(read, re, { timeoutMs: 10_000, intervalMs: 10 });

/** Presses keys one by one and checks after each that the frame is no taller and no wider than the terminal. */
function fitting(ui: Driver, size: { columns: number; rows: number }) {
  const check = () => {
    const lines = ui.frame().split('\n');
    assert.ok(lines.length <= size.rows, `${lines.length} lines on a ${size.rows}-row terminal:\n${ui.frame()}`);
    for (const l of lines) assert.ok([...l].length <= size.columns, `wider than ${size.columns}: ${l}`);
  };
  return {
    check,
    async press(...keys: string[]) {
      for (const k of keys) {
        await ui.press(k);
        check();
      }
    },
  };
}

test('viewport window: clamps, reserves the caption and position rows, pages', () => {
  const fits = viewportWindow({ rows: 10, contentHeight: 8, top: 3, caption: true });
  assert.deepEqual([fits.overflow, fits.view, fits.top, fits.showCaption], [false, 10, 0, false]);
  const tall = viewportWindow({ rows: 10, contentHeight: 30, top: 99, caption: true });
  assert.deepEqual([tall.overflow, tall.view, tall.top, tall.maxTop], [true, 8, 22, 22]);
  assert.equal(tall.position, 'lines 23-30 of 30 (end) · PgUp/PgDn scroll');
  const first = viewportWindow({ rows: 10, contentHeight: 30, top: 0, caption: false });
  assert.equal(first.view, 9);
  assert.equal(viewportKey(first, '', { pageDown: true }), 8);
  assert.equal(viewportKey(first, '', { pageUp: true }), 0);
  assert.equal(viewportKey(first, 'j', {}), undefined);
  assert.equal(viewportKey(fits, '', { pageDown: true }), undefined, 'nothing to scroll when it fits');
});

for (const size of SIZES) {
  test(`weight confirmation at ${size.columns}×${size.rows}: fits, names context/namespace/object in every frame, every diff line reachable, y writes (≤ 10 keys)`, async () => {
    const dir = demoCopy();
    const file = join(dir, 'cluster-a/app/demoapp.yaml');
    const before = readFileSync(file, 'utf8');
    const { data, plugins } = await snapshotApp(dir);
    const ui = await start(data, size, plugins);
    const fit = fitting(ui, size);
    const typed: string[] = [];
    const press = async (...k: string[]) => { typed.push(...k); await fit.press(...k); };
    await press('/', 'd', 'e', 'm', 'o', KEYS.enter, 'e');
    await until(ui.frame, /Edit weights|VirtualService demoapp/);
    await press('0', 'a');
    let f = await until(ui.frame, /Apply to context/);
    await new Promise((r) => setTimeout(r, 150));
    fit.check();
    const seen = new Set<string>();
    const names = /cluster-a[\s\S]*app[\s\S]*demoapp/;
    for (let i = 0; i < 12; i++) {
      f = ui.frame();
      fit.check();
      assert.match(f.split('\n').slice(0, 6).join('\n'), names, `context, namespace and object near the top:\n${f}`);
      for (const l of f.split('\n')) seen.add(l.replace(/[│╭╮╰╯]/g, ' ').trim());
      if (!/↓ more/.test(f)) break;
      await fit.press(PGDN);
    }
    const all = [...seen];
    const has = (re: RegExp) => assert.ok(all.some((l) => re.test(l)), `${re} reachable; seen:\n${all.join('\n')}`);
    assert.match(all.join(' '), /Apply to context cluster-a, namespace app,\s+VirtualService demoapp\?/);
    has(/^--- \/.*(demoapp\.yaml \(before\)|…)$/);
    has(/^\+\+\+ \/.*(demoapp\.yaml \(after\)|…)$/);
    has(/^@@ -\d+,\d+ \+\d+,\d+ @@$/);
    has(/^- {6}weight: 90$/);
    has(/^\+ {6}weight: 100$/);
    has(/^- {6}weight: 10$/);
    has(/^\+ {6}weight: 0$/);
    has(/^y apply/);
    assert.ok(!all.some((l) => /\(after\)\)|anyd-routing/.test(l)), 'no text of an earlier frame stays behind');
    if (size.rows < 40) {
      await fit.press(PGUP, PGUP, PGUP, PGUP);
      assert.match(ui.frame(), /Edit weights\s+cluster-a\s+app\/demoapp/, 'PgUp goes back to the title');
    }
    assert.equal(readFileSync(file, 'utf8'), before, 'nothing written before y');
    await press('y');
    await until(() => readFileSync(file, 'utf8'), /weight: 0/);
    assert.ok(typed.length <= 10, `${typed.length} keys: ${typed.join(' ')}`);
    assert.match(readFileSync(file, 'utf8'), /subset: v2-canary\n\s+weight: 0/);
    ui.unmount();
  });

  test(`trace, problems and help at ${size.columns}×${size.rows}: no frame taller than the terminal`, async () => {
    const { data, plugins } = await snapshotApp(demoCopy(), { readOnly: true });
    const ui = await start(data, size, plugins);
    const fit = fitting(ui, size);
    fit.check();
    await fit.press('!');
    assert.match(ui.frame(), /Problems \(\d+\)/);
    await fit.press('j', 'j', 'j', KEYS.esc);
    await fit.press('?');
    await fit.press(PGDN, PGDN, 'x');
    await fit.press('/', ...'productpage-v1-7bbd');
    const lines = ui.frame().split('\n');
    const at = lines.findIndex((l) => /│[ ›](pod) default\/productpage/.test(l)) - lines.findIndex((l) => /Matches for/.test(l)) - 1;
    assert.ok(at >= 0, ui.frame());
    for (let i = 0; i < at; i++) await fit.press(KEYS.down);
    await fit.press(KEYS.enter);
    await fit.press('t');
    assert.match(ui.frame().replace(/[│\s]+/g, ' '), /trace from cluster-a · pod default\/productpage-v1/);
    await fit.press('reviews', KEYS.tab, KEYS.tab, KEYS.tab, KEYS.tab, 'end-user=jason', KEYS.enter);
    const f = await until(ui.frame, /lines 1-/);
    fit.check();
    const flat = f.replace(/[│╭╮╰╯]/g, ' ').replace(/\s+/g, ' ');
    assert.match(flat, /trace from cluster-a · pod default\/productpage-v1-\S+ \(lines 1-\d+ of \d+\)/, 'the trace shows its position');
    await fit.press(PGDN, PGDN, PGDN, KEYS.down, KEYS.down);
    await fit.press('q');
    ui.unmount();
  });
}
