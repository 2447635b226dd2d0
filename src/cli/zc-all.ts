// `zc all` as tables from a dump's text. A large dump is read in two halves at once (model/ztunnel/split-dump.ts):
// a worker thread reads the services while this one reads the workloads. Whenever the halves could read otherwise
// than the whole (or the worker fails), the whole text is read here, so the output and errors never differ.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { UserError } from '../core/errors.js';
import { parseDumpJson, ZtunnelDumpError } from '../model/ztunnel/parse.js';
import { readTablesDump } from '../model/ztunnel/tables-dump.js';
import { joinHalves, readHead, splitBeforeServices, type ServicesPart } from '../model/ztunnel/split-dump.js';
import type { TablesDump } from '../model/ztunnel/views.js';
import { renderAllTables } from '../format/ztunnel-config.js';

/** Below this many characters a dump is read in one piece (a second thread costs more than it saves). */
const SPLIT_MIN_CHARS = 8_000_000;

export interface AllTablesOptions {
  withHeaders?: boolean;
  now: Date;
  /** Read in halves from this many characters (tests); default SPLIT_MIN_CHARS. */
  splitMinChars?: number;
}

export async function allTablesOutput(text: string, source: string, opts: AllTablesOptions): Promise<string> {
  const halves = text.length >= (opts.splitMinChars ?? SPLIT_MIN_CHARS) && availableParallelism() > 1 ? splitBeforeServices(text) : undefined;
  let d: TablesDump | undefined;
  if (halves) {
    const tail = servicesReader().read(halves.tail, source);
    const head = readHead(halves.head, source);
    const part = await tail;
    d = head && part ? joinHalves(head, part) : undefined;
  }
  return renderAllTables(d ?? userErrors(() => readTablesDump(parseDumpJson(text, source), source)), opts);
}

/** A dump's reading with its errors (file, field, what is wrong) as the user's, without a stack. */
export function userErrors<T>(read: () => T): T {
  try {
    return read();
  } catch (err) {
    if (err instanceof ZtunnelDumpError) throw new UserError(err.message);
    throw err;
  }
}

interface ServicesReader { read(tail: string, source: string): Promise<ServicesPart | undefined> }

let reader: ServicesReader | undefined;

/** The worker, started once and kept (unreferenced: it never holds the process); undefined answers when it fails. */
function servicesReader(): ServicesReader {
  if (reader) return reader;
  const pending = new Map<number, (part: ServicesPart | undefined) => void>();
  let worker: Worker;
  try {
    worker = startWorker();
  } catch {
    return { read: async () => undefined };
  }
  const fail = () => {
    reader = undefined;
    for (const done of pending.values()) done(undefined);
    pending.clear();
  };
  worker.on('message', (m: { id: number; part?: ServicesPart }) => {
    pending.get(m.id)?.(m.part);
    pending.delete(m.id);
    if (pending.size === 0) worker.unref();
  });
  worker.on('error', fail);
  worker.on('exit', fail);
  worker.unref();
  let next = 0;
  reader = {
    read: (tail, source) => new Promise((resolve) => {
      const id = next++;
      pending.set(id, resolve);
      // Referenced while it reads: the process waits for the answer.
      worker.ref();
      worker.postMessage({ id, tail, source });
    }),
  };
  return reader;
}

function startWorker(): Worker {
  const ts = import.meta.url.endsWith('.ts');
  const url = new URL(`./zc-services-worker.${ts ? 'ts' : 'js'}`, import.meta.url);
  if (!ts) return new Worker(url);
  // From the TypeScript sources (tests, bench): the worker registers tsx's loader before it imports its entry.
  return new Worker(`import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(url.href)}); });`, { eval: true });
}
