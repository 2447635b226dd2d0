// TUI latency: key press → rendered frame on a 100,000-node tree (Ink, production mode, rendering to a stream),
// and start-up to the first frame on fixtures/demo compared with a bare Ink "hello" app.
import { spawn } from 'node:child_process';
import { PassThrough, Writable } from 'node:stream';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Report } from './run.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');

class FakeStdout extends Writable {
  columns = 120;
  rows = 40;
  isTTY = true;
  frames = 0;
  onFrame?: () => void;
  override _write(_chunk: unknown, _enc: BufferEncoding, cb: () => void): void {
    this.frames++;
    this.onFrame?.();
    cb();
  }
}

class FakeStdin extends PassThrough {
  isTTY = true;
  setRawMode(): this { return this; }
  override ref(): this { return this; }
  override unref(): this { return this; }
}

function p95(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * 0.95))]!;
}

/** Writes one key and resolves when Ink has written the next frame. */
function press(stdin: FakeStdin, stdout: FakeStdout, key: string): Promise<number> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    stdout.onFrame = () => {
      stdout.onFrame = undefined;
      resolve(performance.now() - t0);
    };
    stdin.write(key);
  });
}

async function keyLatency(report: Report): Promise<void> {
  process.env.NODE_ENV = 'production';
  const React = await import('react');
  const { render } = await import('ink');
  const { App } = await import('../../src/ui/App.js');
  const { syntheticData, syntheticTree } = await import('../../src/ui/synthetic.js');
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
  // Open a good part of the tree so navigation runs over a large visible list.
  const { Text } = await import('ink');
  void Text;
  const nav: number[] = [];
  const keys = ['j', 'j', 'l', 'j', 'l', 'j', 'j', 'k', 'G', 'g', '\x1b[6~', '\x1b[5~', 'j', 'l', 'h'];
  for (let round = 0; round < 8; round++) for (const k of keys) nav.push(await press(stdin, stdout, k));
  report({ name: `tui key→frame navigation p95 (${nodes} nodes)`, value: p95(nav), unit: 'ms', ratio: p95(nav) / 16, reference: '16 ms budget' });

  const search: number[] = [];
  for (let round = 0; round < 6; round++) {
    await press(stdin, stdout, '/');
    for (const ch of 'svc-7-19') search.push(await press(stdin, stdout, ch));
    for (let i = 0; i < 3; i++) search.push(await press(stdin, stdout, '\x7f'));
    await press(stdin, stdout, '\x1b');
    await new Promise((r) => setTimeout(r, 30)); // Esc is confirmed after a short pause
  }
  report({ name: `tui key→frame search keystroke p95 (${nodes} nodes)`, value: p95(search), unit: 'ms', ratio: p95(search) / 50, reference: '50 ms budget' });
  inst.unmount();
}

/** Milliseconds from spawning `node -e script` to its first write containing `marker` on stdout. */
function timeToOutput(args: string[], marker: string, env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => { child.kill(); reject(new Error(`no first frame after 20 s: ${err.slice(0, 300)}`)); }, 20_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes(marker)) {
        const ms = performance.now() - t0;
        clearTimeout(timer);
        child.kill();
        resolve(ms);
      }
    });
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
  });
}

// Both children render through Ink to a pipe that claims to be a 120×40 TTY.
const TTY_SHIM = "Object.assign(process.stdout,{isTTY:true,columns:120,rows:40});Object.assign(process.stdin,{isTTY:true,setRawMode(){return process.stdin}});";

async function startup(report: Report): Promise<void> {
  const env = { NODE_ENV: 'production', CI: '', FORCE_COLOR: '0' };
  delete (env as Record<string, string>).CI;
  const hello = ['--input-type=module', '-e', `${TTY_SHIM}const React=await import('react');const {render,Text}=await import('ink');render(React.createElement(Text,null,'hello'));`];
  const tui = ['--input-type=module', '-e', `${TTY_SHIM}const {runTui}=await import('./dist/cli/tui.js');await runTui({fixtures:'fixtures/demo',context:[],readOnly:false});`];
  const runs = 5;
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < runs; i++) {
    a.push(await timeToOutput(hello, 'hello', env));
    b.push(await timeToOutput(tui, 'cluster-a', env));
  }
  const med = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
  report({ name: 'ink hello start→first frame (median)', value: med(a), unit: 'ms' });
  report({ name: 'tui fixtures/demo start→first frame (median)', value: med(b), unit: 'ms', ratio: med(b) / med(a), reference: 'ink hello (budget 1.5)' });
}

export async function run(report: Report): Promise<void> {
  await keyLatency(report);
  await startup(report);
}
