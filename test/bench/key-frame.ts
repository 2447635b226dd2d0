// Key press → rendered frame, for the TUI benches: a 120×40 TTY-like stdout that reports each frame Ink writes, a
// raw-mode stdin, and the p95 of a run.
import { PassThrough, Writable } from 'node:stream';

export class FakeStdout extends Writable {
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

export class FakeStdin extends PassThrough {
  isTTY = true;
  setRawMode(): this { return this; }
  override ref(): this { return this; }
  override unref(): this { return this; }
}

export function p95(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * 0.95))]!;
}

/** Writes one key and resolves with the milliseconds until Ink has written the next frame. */
export function press(stdin: FakeStdin, stdout: FakeStdout, key: string): Promise<number> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    stdout.onFrame = () => {
      stdout.onFrame = undefined;
      resolve(performance.now() - t0);
    };
    stdin.write(key);
  });
}
