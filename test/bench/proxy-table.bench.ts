// TUI latency on a zoomed proxy-config table of 10,000 rows (a pod's clusters tab): key press → rendered frame for
// scrolling (j/k, pages, H/L) and for filter keystrokes (`/` then typing and erasing), Ink in production mode, each case
// after one unmeasured warm-up round. Budget: p95 ≤ 16 ms.
import { FakeStdin, FakeStdout, p95, press } from './key-frame.js';
import type { Report } from './run.js';
import type { TreeNode } from '../../src/mesh/tree-types.js';
import type { MeshData, ProxyTable } from '../../src/ui/types.js';

const ROWS = 10_000;

/** One pod whose clusters tab has ROWS rows, istioctl's columns, each row drillable and with raw JSON. */
function bigTableData(): MeshData {
  const names: string[] = [];
  const rows: string[][] = [];
  for (let i = 0; i < ROWS; i++) {
    const ns = `ns-${i % 97}`;
    const fqdn = `svc-${i}.${ns}.svc.cluster.local`;
    const subset = i % 3 === 0 ? `v${i % 5}` : '-';
    names.push(`outbound|${8000 + (i % 100)}|${subset === '-' ? '' : subset}|${fqdn}`);
    rows.push([fqdn, String(8000 + (i % 100)), subset, 'outbound', 'EDS', i % 2 ? `svc-${i}.${ns}` : '']);
  }
  const clusters: ProxyTable = {
    columns: ['SERVICE FQDN', 'PORT', 'SUBSET', 'DIRECTION', 'TYPE', 'DESTINATION RULE'], rows, keys: names,
    raw: (i) => ({ name: names[i] }), drill: (i) => ({ tab: 'endpoints', keys: [names[i]!], label: `cluster ${names[i]}` }),
  };
  const endpoints: ProxyTable = { columns: ['ENDPOINT', 'STATUS', 'OUTLIER CHECK', 'CLUSTER'], rows: [], keys: [] };
  const pod: TreeNode = { id: 'c/pod/big', kind: 'Pod', label: 'big-7d9c-0', context: 'c', badges: {}, children: [], ref: { context: 'c', kind: 'Pod', namespace: 'ns', name: 'big-7d9c-0' } };
  const root: TreeNode = { id: 'c', kind: 'context', label: 'c', context: 'c', badges: {}, children: [pod] };
  return {
    source: 'bench', readOnly: true, contexts: [{ name: 'c', status: 'ok' }], roots: [root], refresh: () => {},
    details: (n) => (n.kind === 'Pod' ? { related: [], proxy: { clusters, endpoints } } : { related: [] }),
  };
}

export async function run(report: Report): Promise<void> {
  process.env.NODE_ENV = 'production';
  const React = await import('react');
  const { render } = await import('ink');
  const { App } = await import('../../src/ui/App.js');
  const stdout = new FakeStdout();
  const stdin = new FakeStdin();
  const inst = render(React.createElement(App, { data: bigTableData(), noColor: false }), {
    stdout: stdout as unknown as NodeJS.WriteStream, stdin: stdin as unknown as NodeJS.ReadStream,
    maxFps: 1000, exitOnCtrlC: false, patchConsole: false,
  });
  await new Promise((r) => setTimeout(r, 50));
  // The pod, its clusters tab, zoomed.
  for (const k of ['j', ':', 'p', 'c', ' ', 'c', 'l', 'u', 's', 't', 'e', 'r', 's', '\r', 'z']) await press(stdin, stdout, k);

  const scrollKeys = ['j', 'j', 'j', 'k', '\x1b[6~', '\x1b[6~', '\x1b[5~', 'L', 'L', 'H', 'H', 'G', 'g', 'j', 'k'];
  for (const k of scrollKeys) await press(stdin, stdout, k);
  const scroll: number[] = [];
  for (let round = 0; round < 14; round++) for (const k of scrollKeys) scroll.push(await press(stdin, stdout, k));
  report({
    name: `tui key→frame zoomed proxy-config table scroll p95 (${ROWS} rows, ${scroll.length} keys after 1 warm-up round)`,
    value: p95(scroll), unit: 'ms', ratio: p95(scroll) / 16, reference: '16 ms budget',
  });

  const filterRound = async (into?: number[]) => {
    await press(stdin, stdout, '/');
    for (const ch of 'svc-12.ns') { const ms = await press(stdin, stdout, ch); into?.push(ms); }
    for (let i = 0; i < 4; i++) { const ms = await press(stdin, stdout, '\x7f'); into?.push(ms); }
    await press(stdin, stdout, '\x1b');
    await new Promise((r) => setTimeout(r, 30)); // Esc is confirmed after a short pause
  };
  await filterRound();
  const filter: number[] = [];
  for (let round = 0; round < 16; round++) await filterRound(filter);
  report({
    name: `tui key→frame zoomed proxy-config table filter keystroke p95 (${ROWS} rows, ${filter.length} keys after 1 warm-up round)`,
    value: p95(filter), unit: 'ms', ratio: p95(filter) / 16, reference: '16 ms budget',
  });
  inst.unmount();
}
