// The two YAML paths of the snapshot loader (js-yaml after our own `---` split, and the `yaml` package) must give
// the same values for the same file, not only the same positions: each scalar form below is parsed both ways, as a
// map value, a sequence item and a flow item, and the values (and problems) are compared.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseYamlObjects, parseYamlWithYamlPackage } from '../src/sources/yaml-objects.js';

const SCALARS = [
  '0b101', '0B11', '-0b1', '0o17', '017', '0x1F', '0x_1F', '1_000', '1__0', '+12', '-0', '1e3', '1.5e-3', '0.', '.5',
  '.inf', '-.Inf', '+.inf', '.NaN', 'yes', 'no', 'on', 'off', 'y', 'n', 'True', 'TRUE', 'false', 'Null', 'NULL', '~',
  '2001-12-14', '2001-12-14t21:59:43.10-05:00', '12:30:00', '1:20', '=', '<<', '"0b101"', "'017'",
  '!!binary aGVsbG8=', '!!str 12', '!!int "12"', '!!float 1', '!!timestamp 2001-12-14', '!!set {a, b}', '!!omap [a: 1]',
  '!!bool yes', '!!null ""',
];

const values = (text: string, parse: typeof parseYamlObjects) => {
  const r = parse(text);
  return { entries: r.entries.map((e) => ({ value: e.value, docIndex: e.docIndex, line: e.line })), problems: r.problems.map((p) => p.message) };
};

for (const shape of ['map value', 'sequence item', 'flow item'] as const) {
  test(`every scalar form gives one value through both paths (${shape})`, () => {
    for (const v of SCALARS) {
      const data = shape === 'map value' ? `data:\n  a: ${v}\n` : shape === 'sequence item' ? `spec:\n  hosts:\n  - ${v}\n` : `spec:\n  hosts: [${v}]\n`;
      const text = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n${data}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: y\n`;
      // Compared as the JSON a Kubernetes object is (so -0 and 0 are one value, as on the wire).
      assert.equal(JSON.stringify(values(text, parseYamlObjects)), JSON.stringify(values(text, parseYamlWithYamlPackage)), `${shape}: ${v}`);
    }
  });
}

test('data: {a: 0b101} is the string "0b101", as YAML 1.2 reads it', () => {
  const r = parseYamlObjects('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata: {a: 0b101}\n');
  assert.deepEqual((r.entries[0].value as { data: unknown }).data, { a: '0b101' });
});
