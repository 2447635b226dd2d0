// Start-up of the TUI: the first frame comes before the snapshot is read, with
// each context of the folder shown as loading; keys typed meanwhile act on the tree when it arrives; the later
// features' keys exist from the first frame and open their feature once its module is in; nothing heavy is imported
// before the first frame of the real binary.
import './support/no-ci.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import React from 'react';
import { Text } from 'ink';
import { render } from 'ink-testing-library';
import { App } from '../src/ui/App.js';
import { pendingPlugin, PROBLEMS_KEY, WEIGHTS_KEY } from '../src/ui/plugin-keys.js';
import type { UiPlugin } from '../src/ui/types.js';
import { runTui } from '../src/app/launcher.js';
import { KEYS, miniData } from './ui-support.js';
import { repoRoot } from './ui-demo-support.js';
import { untilText } from './support/poll.js';

const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;
const tick = () => new Promise<void>((r) => setImmediate(r));

/** A 120×40 terminal that keeps every frame Ink writes (ANSI stripped). */
class Screen extends Writable {
  columns = 120;
  rows = 40;
  isTTY = true;
  frames: string[] = [];
  override _write(chunk: unknown, _enc: BufferEncoding, cb: () => void): void {
    const text = String(chunk).replace(ANSI, '');
    if (text.includes('meshscope')) this.frames.push(text);
    cb();
  }
  last(): string { return this.frames[this.frames.length - 1] ?? ''; }
}

class Keyboard extends PassThrough {
  isTTY = true;
  setRawMode(): this { return this; }
  override ref(): this { return this; }
  override unref(): this { return this; }
}

function until(what: () => string, re: RegExp, ms = 20_000): Promise<string> {
  return untilText(what, re, { timeoutMs: ms, intervalMs: 10 });
}

test('snapshot: the first frame shows each context loading, a search typed meanwhile runs on the loaded tree, e opens the editor', { timeout: 60_000 }, async () => {
  const screen = new Screen();
  const keys = new Keyboard();
  // As ink-testing-library drivers do: Ink parses the key, React renders and commits its effects over the next turns.
  const type = async (...ks: string[]) => { for (const k of ks) { keys.write(k); await tick(); await tick(); await tick(); } };
  const done = runTui({ fixtures: join(repoRoot, 'fixtures/demo'), context: [], readOnly: true }, {
    stdout: screen as unknown as NodeJS.WriteStream, stdin: keys as unknown as NodeJS.ReadStream,
  });
  const first = await until(() => screen.frames[0] ?? '', /meshscope/);
  assert.match(first, /cluster-a loading….*cluster-b loading…/, 'both context folders are named, as loading');
  assert.match(first, /nothing loaded yet/);
  assert.match(first, /e edit weights.*! problems.*t trace/, 'the later features\' keys are there from the first frame');

  await type('/', 'r', 'e', 'v');
  assert.match(screen.last(), /loading…/, 'the search was typed before the folder was read');
  const found = await until(() => screen.last(), /│[ ›](vs) default\/reviews @cluster-a/);
  assert.match(found, /● cluster-a \d+ objects/);
  assert.match(found, /Matches for "rev" \([1-9]/);

  await type(KEYS.enter);
  await until(() => screen.last(), /│›?vs reviews -n default @cluster-a/);
  await type('e');
  await until(() => screen.last(), /Edit weights\s+cluster-a\s+default\/reviews/);
  // Ctrl-C quits from anywhere, the editor included (Ink handles it before any input handler).
  await type('\x03');
  // The fake terminal holds no handle: wait for the exit code with a bounded timer.
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error('the TUI did not quit')), 10_000); });
  try {
    assert.equal(await Promise.race([done, timeout]), 0);
  } finally {
    clearTimeout(timer);
  }
});

test('a missing snapshot folder fails before any UI, naming the folder', async () => {
  await assert.rejects(runTui({ fixtures: join(tmpdir(), 'meshscope-no-such-folder'), context: [], readOnly: false }, {
    stdout: new Screen() as unknown as NodeJS.WriteStream, stdin: new Keyboard() as unknown as NodeJS.ReadStream,
  }), /snapshot folder .*meshscope-no-such-folder does not exist/);
  await assert.rejects(runTui({ fixtures: join(repoRoot, 'fixtures/demo'), context: ['nope'], readOnly: false }, {
    stdout: new Screen() as unknown as NodeJS.WriteStream, stdin: new Keyboard() as unknown as NodeJS.ReadStream,
  }), /context nope not found in snapshot folder .* \(available: cluster-a, cluster-b\)/);
});

test('a feature key pressed while its module loads opens it as soon as it is in; one that failed says why', async () => {
  const data = miniData();
  const pending = [pendingPlugin(WEIGHTS_KEY, 'weight editor'), pendingPlugin(PROBLEMS_KEY, 'problem list', 'boom: module not found')];
  const el = (plugins: UiPlugin[]) => React.createElement(App, { data, plugins, noColor: true, onQuit: () => {} });
  const inst = render(el(pending));
  const press = async (...ks: string[]) => { for (const k of ks) { inst.stdin.write(k); await tick(); await tick(); await tick(); } };
  await tick();
  await press('/', 'r', 'e', 'v', 'i', 'e', 'w', 's', KEYS.enter);
  assert.match(inst.lastFrame() ?? '', /│›?vs reviews/);
  await press('e');
  assert.match(inst.lastFrame() ?? '', /loading the weight editor… it opens here in a moment/);
  const real: UiPlugin = { ...WEIGHTS_KEY, open: (ctx) => React.createElement(Text, null, `editing ${ctx.node?.label}`) };
  inst.rerender(el([real, pending[1]!]));
  await tick();
  await tick();
  assert.match(inst.lastFrame() ?? '', /editing reviews/, 'the same key press, now the real editor');
  inst.rerender(el(pending));
  await tick();
  await press(KEYS.esc);
  assert.doesNotMatch(inst.lastFrame() ?? '', /loading the weight editor/);
  await press('!');
  assert.match(inst.lastFrame() ?? '', /the problem list is unavailable: boom: module not found/);
  await press('x');
  assert.doesNotMatch(inst.lastFrame() ?? '', /unavailable/);
  inst.unmount();
});

const HEAVY = [
  /node_modules\/yaml\//, /node_modules\/js-yaml\//, /node_modules\/@kubernetes\//, /node_modules\/diff\//,
  /dist\/analyze\//, /dist\/trace\//, /dist\/edit\//, /dist\/mesh\/join/, /dist\/sources\/snapshot\.js/, /dist\/sources\/kube\//,
  /dist\/ui\/weights\//, /dist\/ui\/problems\//, /dist\/ui\/trace\//, /dist\/app\/session/, /dist\/app\/data-adapter/, /dist\/cli\/(analyze|pc|trace|tree)\.js/,
];

const built = existsSync(join(repoRoot, 'dist/cli/main.js'));

test('the real binary imports nothing heavy before its first frame (yaml, parsers, analyzers, trace, editor, client-node)', { skip: built ? false : 'dist/ is missing: run npm run build', timeout: 60_000 }, async () => {
  // A preload records when each module starts loading (module hooks) and when the first frame is written.
  const dir = mkdtempSync(join(tmpdir(), 'meshscope-startup-'));
  const preload = join(dir, 'preload.mjs');
  writeFileSync(preload, `
import { register } from 'node:module';
const mc = new MessageChannel();
const loads = [];
mc.port1.on('message', (m) => loads.push(m));
mc.port1.unref();
register('data:text/javascript,' + encodeURIComponent(\`
let port; export function initialize(d) { port = d.port; }
export async function load(url, c, next) { port.postMessage([performance.timeOrigin + performance.now(), url]); return next(url, c); }
\`), { parentURL: import.meta.url, data: { port: mc.port2 }, transferList: [mc.port2] });
Object.assign(process.stdout, { isTTY: true, columns: 120, rows: 40 });
Object.assign(process.stdin, { isTTY: true, setRawMode() { return process.stdin; } });
const write = process.stdout.write.bind(process.stdout);
let first;
process.stdout.write = (chunk, ...rest) => {
  if (first === undefined && String(chunk).includes('loading…')) {
    first = performance.timeOrigin + performance.now();
    // Report once the parsers and analyzers have loaded (the snapshot is being read), not after a fixed wait that a
    // loaded machine can outlast; the 20 s cap only ends a run where they never load (the test then fails).
    const settled = () => loads.some(([, u]) => /node_modules\\/js-yaml\\//.test(u)) && loads.some(([, u]) => /dist\\/analyze\\//.test(u));
    const report = () => {
      process.stderr.write('RESULT' + JSON.stringify({ before: loads.filter(([t]) => t < first).map(([, u]) => u), after: loads.filter(([t]) => t >= first).map(([, u]) => u) }) + '\\n');
      process.exit(0);
    };
    const started = Date.now();
    const poll = setInterval(() => { if (settled() || Date.now() - started > 20000) { clearInterval(poll); report(); } }, 20);
  }
  return write(chunk, ...rest);
};
`);
  const child = spawn(process.execPath, ['--import', preload, 'bin/meshscope.js', '--fixtures', 'fixtures/demo'], {
    cwd: repoRoot, env: { ...process.env, NODE_ENV: 'production', FORCE_COLOR: '0', CI: undefined }, stdio: ['pipe', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
  await new Promise((r) => child.on('exit', r));
  const line = err.split('\n').find((l) => l.startsWith('RESULT'));
  assert.ok(line, `no first frame: ${err.slice(0, 500)}`);
  const { before, after } = JSON.parse(line.slice('RESULT'.length)) as { before: string[]; after: string[] };
  assert.ok(before.some((u) => /node_modules\/ink\//.test(u)), 'the hook saw Ink load');
  for (const re of HEAVY) assert.deepEqual(before.filter((u) => re.test(u)), [], `${re} loaded before the first frame`);
  assert.ok(after.some((u) => /node_modules\/js-yaml\//.test(u)) && after.some((u) => /dist\/analyze\//.test(u)), 'the parsers and analyzers load after it');
});
