// TUI latency: key press → rendered frame on a 100,000-node tree (Ink, production mode, rendering to a stream; each case
// after one unmeasured warm-up round), and start-up of the real binary (bin/meshscope.js) to its first frame on
// fixtures/demo compared with a bare Ink "hello" app, both in production mode, median of 7 runs each.
import { spawn } from 'node:child_process';
import { FakeStdin, FakeStdout, p95, press } from './key-frame.js';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Report } from './run.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');

async function keyLatency(report: Report): Promise<void> {
  process.env.NODE_ENV = 'production';
  const React = await import('react');
  const { render } = await import('ink');
  const { App } = await import('../../src/ui/App.js');
  const { syntheticData, syntheticTree } = await import('../support/synthetic.js');
  const { buildIndex } = await import('../../src/ui/tree-index.js');
  const roots = syntheticTree(100_000);
  const nodes = buildIndex(roots).all.length;
  const stdout = new FakeStdout();
  const stdin = new FakeStdin();
  const inst = render(React.createElement(App, { data: syntheticData(roots), noColor: false }), {
    stdout: stdout as unknown as NodeJS.WriteStream, stdin: stdin as unknown as NodeJS.ReadStream,
    maxFps: 1000, exitOnCtrlC: false, patchConsole: false,
  });
  await new Promise((r) => setTimeout(r, 50));
  // Each case starts with one unmeasured warm-up round (V8 compiles Ink's and the app's code on the first keys, as in
  // any latency benchmark); p95 is taken over the measured rounds after it (≥ 200 key presses per case).
  const keys = ['j', 'j', 'l', 'j', 'l', 'j', 'j', 'k', 'G', 'g', '\x1b[6~', '\x1b[5~', 'j', 'l', 'h'];
  const NAV_ROUNDS = 14; // 210 measured keys
  for (const k of keys) await press(stdin, stdout, k);
  const nav: number[] = [];
  for (let round = 0; round < NAV_ROUNDS; round++) for (const k of keys) nav.push(await press(stdin, stdout, k));
  report({
    name: `tui key→frame navigation p95 (${nodes} nodes, ${nav.length} keys after 1 warm-up round)`,
    value: p95(nav), unit: 'ms', ratio: p95(nav) / 16, reference: '16 ms budget',
  });

  const SEARCH_ROUNDS = 19; // 19 × 11 = 209 measured keystrokes
  const searchRound = async (into?: number[]) => {
    await press(stdin, stdout, '/');
    for (const ch of 'svc-7-19') { const ms = await press(stdin, stdout, ch); into?.push(ms); }
    for (let i = 0; i < 3; i++) { const ms = await press(stdin, stdout, '\x7f'); into?.push(ms); }
    await press(stdin, stdout, '\x1b');
    await new Promise((r) => setTimeout(r, 30)); // Esc is confirmed after a short pause
  };
  await searchRound();
  const search: number[] = [];
  for (let round = 0; round < SEARCH_ROUNDS; round++) await searchRound(search);
  report({
    name: `tui key→frame search keystroke p95 (${nodes} nodes, ${search.length} keys after 1 warm-up round)`,
    value: p95(search), unit: 'ms', ratio: p95(search) / 50, reference: '50 ms budget',
  });
  inst.unmount();
}

const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;

/** Milliseconds from spawning `node ARGS` to the first stdout output (ANSI stripped) that matches each marker, in order. */
function timeToOutput(args: string[], markers: RegExp[], env: NodeJS.ProcessEnv): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const at: number[] = [];
    const timer = setTimeout(() => { child.kill(); reject(new Error(`no ${markers[at.length]} after 20 s: ${err.slice(0, 300)}`)); }, 20_000);
    child.stdout.on('data', (d: Buffer) => {
      const now = performance.now() - t0;
      out += d.toString();
      const text = out.replace(ANSI, '');
      while (at.length < markers.length && markers[at.length]!.test(text)) at.push(now);
      if (at.length === markers.length) {
        clearTimeout(timer);
        child.kill();
        resolve(at);
      }
    });
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
  });
}

// Both children render through Ink to a pipe that claims to be a 120×40 TTY (the same preload for both).
const TTY_SHIM = 'data:text/javascript,Object.assign(process.stdout,{isTTY:true,columns:120,rows:40});Object.assign(process.stdin,{isTTY:true,setRawMode(){return process.stdin}});';

async function startup(report: Report): Promise<void> {
  const env: NodeJS.ProcessEnv = { NODE_ENV: 'production', FORCE_COLOR: '0', CI: undefined };
  const hello = ['--import', TTY_SHIM, '--input-type=module', '-e', `const React=await import('react');const {render,Text}=await import('ink');render(React.createElement(Text,null,'hello'));`];
  // The real binary, as `npm start` runs it. First frame: the header naming the contexts (shown as loading until the
  // folder is read); loaded frame: a context with its object count and the tree.
  const tui = ['--import', TTY_SHIM, 'bin/meshscope.js', '--fixtures', 'fixtures/demo'];
  const runs = 7;
  const a: number[] = [];
  const b: number[] = [];
  const c: number[] = [];
  for (let i = 0; i < runs; i++) {
    a.push((await timeToOutput(hello, [/hello/], env))[0]!);
    const [first, loaded] = await timeToOutput(tui, [/meshscope\s+fixtures\/demo[\s\S]*cluster-a/, /● cluster-a \d+ objects[\s\S]*Tree \([1-9]/], env);
    b.push(first!);
    c.push(loaded!);
  }
  const med = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
  report({ name: `ink hello start→first frame (median of ${runs})`, value: med(a), unit: 'ms' });
  report({ name: `tui fixtures/demo start→first frame (bin/meshscope.js, median of ${runs})`, value: med(b), unit: 'ms', ratio: med(b) / med(a), reference: 'ink hello (budget 1.5)' });
  report({ name: `tui fixtures/demo start→loaded frame (tree shown; median of ${runs})`, value: med(c), unit: 'ms', ratio: med(c) / med(a), reference: 'ink hello (no budget)' });
}

export async function run(report: Report): Promise<void> {
  await keyLatency(report);
  await startup(report);
}
