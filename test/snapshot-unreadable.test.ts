// Errors are never swallowed: an unreadable proxies/ folder is a located load issue (not "no dumps"), and a snapshot
// folder or an analyze path that cannot be read for another reason than "it does not exist" says so. Permission cases
// run in a child process that drops root (test/support/unprivileged.ts), so they are never skipped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSnapshotFolder } from '../src/sources/snapshot.js';
import { formatLoadIssue } from '../src/model/context.js';
import { runCliUnprivileged } from './support/unprivileged.js';

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

/** A temporary folder the unprivileged child can enter (mkdtemp makes it 0700). */
function openTmp(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(dir, 0o755);
  return dir;
}

test('an unreadable proxies/ folder (or namespace folder) is a located load issue; the manifests still load', async () => {
  const dir = openTmp('meshscope-unreadable-');
  try {
    mkdirSync(join(dir, 'c1', 'proxies', 'app'), { recursive: true });
    mkdirSync(join(dir, 'c2', 'proxies', 'app', 'pod-a'), { recursive: true });
    for (const c of ['c1', 'c2']) writeFileSync(join(dir, c, 'svc.yaml'), 'apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n  namespace: app\n');
    chmodSync(join(dir, 'c1', 'proxies'), 0o000);
    chmodSync(join(dir, 'c2', 'proxies', 'app'), 0o000);
    const r = await runCliUnprivileged(['tree', '--fixtures', dir, '-o', 'json']);
    assert.match(r.err, /^error: c1\/proxies: cannot read folder: permission denied$/m);
    assert.match(r.err, /^error: c2\/proxies\/app: cannot read folder: permission denied$/m);
    assert.match(r.out, /"name": "s"/, 'the manifests still load');
  } finally {
    chmodSync(join(dir, 'c1', 'proxies'), 0o755);
    chmodSync(join(dir, 'c2', 'proxies', 'app'), 0o755);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('pc on a snapshot whose proxies/ cannot be read says so, not "no proxies/ folder"', async () => {
  const dir = openTmp('meshscope-pc-unreadable-');
  try {
    mkdirSync(join(dir, 'c1', 'proxies', 'app', 'p'), { recursive: true });
    chmodSync(join(dir, 'c1', 'proxies'), 0o000);
    const r = await runCliUnprivileged(['pc', 'clusters', 'p.app', '--fixtures', dir]);
    assert.equal(r.code, 1);
    assert.match(r.err, /c1\/proxies\/app\/p\/config_dump\.json: cannot read: permission denied/);
    assert.doesNotMatch(r.err, /no proxies\/ folder|no such file|\n\s+at /);
  } finally {
    chmodSync(join(dir, 'c1', 'proxies'), 0o755);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('analyze FILE|DIR: a stat failure other than absence is reported as what it is', async () => {
  const dir = openTmp('meshscope-analyze-unreadable-');
  try {
    writeFileSync(join(dir, 'file'), 'x');
    mkdirSync(join(dir, 'locked'));
    chmodSync(join(dir, 'locked'), 0o000);
    const [notDir, locked, missing] = await Promise.all([
      runCliUnprivileged(['analyze', join(dir, 'file', 'sub.yaml')]),
      runCliUnprivileged(['analyze', join(dir, 'locked')]),
      runCliUnprivileged(['analyze', join(dir, 'missing.yaml')]),
    ]);
    assert.match(notDir.err, /file\/sub\.yaml: cannot read: not a folder/);
    assert.match(locked.err, /locked: cannot read folder: permission denied/);
    assert.match(missing.err, /missing\.yaml: no such file or directory/);
    for (const r of [notDir, locked, missing]) {
      assert.notEqual(r.code, 0);
      assert.doesNotMatch(r.err, /\n\s+at /, 'no stack trace');
    }
  } finally {
    chmodSync(join(dir, 'locked'), 0o755);
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
