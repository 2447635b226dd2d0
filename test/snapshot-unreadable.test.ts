// Errors are never swallowed: an unreadable proxies/ folder is a located load issue (not "no dumps"), and a snapshot
// folder that cannot be read for another reason than "it does not exist" says so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSnapshotFolder } from '../src/sources/snapshot.js';
import { formatLoadIssue } from '../src/model/context.js';

const root = process.getuid?.() === 0;

test('a proxies/ that is not a folder is a located load issue; the manifests still load', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'meshscope-notafolder-'));
  try {
    mkdirSync(join(dir, 'c1'));
    writeFileSync(join(dir, 'c1', 'svc.yaml'), 'apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n  namespace: app\n');
    writeFileSync(join(dir, 'c1', 'proxies'), 'not a folder');
    const { contexts: [c] } = await loadSnapshotFolder(dir);
    assert.equal(c.objects.length, 1);
    assert.deepEqual(c.issues.map(formatLoadIssue), ['error: c1/proxies: cannot read folder: not a folder']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an unreadable proxies/ folder is a located load issue; the manifests still load', { skip: root && 'root reads any folder: permissions cannot be tested' }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'meshscope-unreadable-'));
  try {
    mkdirSync(join(dir, 'c1', 'proxies', 'app'), { recursive: true });
    writeFileSync(join(dir, 'c1', 'svc.yaml'), 'apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n  namespace: app\n');
    chmodSync(join(dir, 'c1', 'proxies'), 0o000);
    const { contexts: [c] } = await loadSnapshotFolder(dir);
    assert.equal(c.objects.length, 1);
    assert.deepEqual(c.issues.map(formatLoadIssue), ['error: c1/proxies: cannot read folder: permission denied']);
  } finally {
    chmodSync(join(dir, 'c1', 'proxies'), 0o755);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a snapshot path that is not a folder for another reason than absence says why', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'meshscope-notdir-'));
  try {
    writeFileSync(join(dir, 'file'), 'x');
    await assert.rejects(loadSnapshotFolder(join(dir, 'file', 'sub')), /snapshot folder .*file\/sub: cannot read it: not a folder/);
    await assert.rejects(loadSnapshotFolder(join(dir, 'missing')), /snapshot folder .*missing does not exist/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
