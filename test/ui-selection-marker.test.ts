// With NO_COLOR (no inverse video on screen) the selected row still shows: a `›` marker in the tree, in
// list views, in search results and on the details cursor.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KEYS, miniData, start } from './ui-support.js';
import { withSelectionMarker } from '../src/ui/selection-marker.js';

const marked = (frame: string) => frame.split('\n').filter((l) => l.includes('›'));

test('withSelectionMarker: takes a blank first column, else goes in front', () => {
  assert.deepEqual(withSelectionMarker([{ text: '  ▸ ' }, { text: 'ns app' }]).map((s) => s.text), ['› ▸ ', 'ns app']);
  assert.deepEqual(withSelectionMarker([{ text: '▾ ' }, { text: 'ctx a' }]).map((s) => s.text), ['›', '▾ ', 'ctx a']);
});

for (const size of [{ columns: 120, rows: 40 }, { columns: 80, rows: 24 }, { columns: 60, rows: 20 }]) {
  test(`NO_COLOR at ${size.columns}×${size.rows}: exactly one › row in the tree, in search results and on the details cursor`, async () => {
    const ui = await start(miniData(), size);
    let rows = marked(ui.frame());
    assert.equal(rows.length, 1, ui.frame());
    assert.match(rows[0]!, /^›▾ ctx cluster-a/);
    await ui.press(KEYS.down);
    rows = marked(ui.frame());
    assert.equal(rows.length, 1);
    assert.match(rows[0]!, /^›( |▸|▾).*ns default/);
    await ui.press('/', 'r', 'e', 'v');
    rows = marked(ui.frame()).filter((l) => l.includes('│'));
    assert.ok(rows.some((l) => /│›(vs|rule|→)/.test(l)), `a marked search result:\n${ui.frame()}`);
    await ui.press(KEYS.down);
    const second = marked(ui.frame()).filter((l) => /│›/.test(l));
    assert.equal(second.length, 1, 'one marked result after moving');
    await ui.press(KEYS.enter, KEYS.tab, KEYS.down);
    assert.ok(marked(ui.frame()).some((l) => /│›/.test(l)), `the details cursor is marked:\n${ui.frame()}`);
    for (const l of ui.frame().split('\n')) assert.ok([...l].length <= size.columns);
    assert.ok(ui.frame().split('\n').length <= size.rows);
    ui.unmount();
  });
}
