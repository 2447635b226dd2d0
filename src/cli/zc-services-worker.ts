// The worker thread of `zc all` on a large dump (zc-all.ts): reads the tail half of a dump's text.
import { parentPort } from 'node:worker_threads';
import { readServicesPart } from '../model/ztunnel/split-dump.js';

parentPort?.on('message', (m: { id: number; tail: string; source: string }) => {
  parentPort?.postMessage({ id: m.id, part: readServicesPart(m.tail, m.source) });
});
