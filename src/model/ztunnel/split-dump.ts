// `zc all` on a large dump in two halves, read at the same time on two threads: the text is cut before its top-level
// "services" member into two JSON objects (the head, with the workloads, and the tail, with the services and what
// follows). The tail's reading (readServicesPart) is plain data; the head's (readHead) gathers the workloads, and
// joinHalves adds the tail's services after them, as one reading of the whole dump would. Anything one reading could see differently
// (invalid JSON, an error, a member in both halves) gives undefined: the caller reads the whole text instead, so the
// text and the errors are always those of the whole reading.
import { readZtunnelDump } from './parse.js';
import { ServicePacker, TableRows, type PackedServices } from './table-rows.js';
import { tableService, tableWorkload } from './tables-dump.js';
import type { ServiceFields, WorkloadFields, ZCertificate, ZPolicy, ZWorkloadState } from './types.js';
import type { TablesDump } from './views.js';

export interface DumpHalves {
  /**
   * The head: when it is one member (`{"workloads": …`), its key and its value's text, a slice that shares the
   * dump's characters; else the text of an object.
   */
  head: { key: string; value: string } | { text: string };
  /** The tail's members, `"services": …}`, without the opening brace. */
  tail: string;
}

const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
const ONE_MEMBER = /^\s*\{\s*"([A-Za-z]+)"\s*:/;

/**
 * The text cut before its last `"services"` key, or undefined when that key is not a member after another. A cut
 * inside a nested object leaves both halves unbalanced, so they fail to parse.
 */
export function splitBeforeServices(text: string): DumpHalves | undefined {
  let start = 0;
  while (start < text.length && isSpace(text.charCodeAt(start))) start++;
  if (text.charCodeAt(start) !== 0x7b) return undefined;
  const key = text.lastIndexOf('"services"');
  if (key < 0) return undefined;
  let comma = key - 1;
  while (comma > start && isSpace(text.charCodeAt(comma))) comma--;
  if (text.charCodeAt(comma) !== 0x2c) return undefined;
  const first = ONE_MEMBER.exec(text.slice(start, start + 64));
  // Its value alone when the head starts with the workloads (a second member would fail to parse after it).
  const head = first && first[1]!.toLowerCase() === 'workloads'
    ? { key: first[1]!, value: text.slice(start + first[0].length, comma) }
    : { text: `${text.slice(0, comma)}}` };
  return { head, tail: text.slice(comma + 1) };
}

/** The tail's reading: its members' names and what the tables print of them. */
export interface ServicesPart {
  /** The tail's top-level member names, lower-cased (Go matches them in any case). */
  keys: string[];
  services: PackedServices;
  policies: ZPolicy[];
  certificates: ZCertificate[];
  workloadState: ZWorkloadState[];
}

type JsonObject = Record<string, unknown>;
const isObj = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

function parseObject(text: string): JsonObject | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return isObj(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/** `{key: value}` from the value's text; undefined when it is not JSON. */
function member(key: string, value: string): JsonObject | undefined {
  try {
    return { [key]: JSON.parse(value) as unknown };
  } catch {
    return undefined;
  }
}

/** Reads the tail half; undefined when it is not valid JSON or has an error (the whole reading will name it). */
export function readServicesPart(tail: string, source: string): ServicesPart | undefined {
  const raw = parseObject(`{${tail}`);
  if (!raw) return undefined;
  const services = new ServicePacker();
  try {
    const d = readZtunnelDump(raw, source, { workload: tableWorkload, service: tableService, eachService: (s) => services.add(s) });
    return { keys: Object.keys(raw).map((k) => k.toLowerCase()), services: services.finish(), policies: d.policies, certificates: d.certificates, workloadState: d.workloadState };
  } catch {
    return undefined;
  }
}

/** The head half read: its workloads' rows gathered, the tail not needed yet. */
export interface HeadReading {
  keys: string[];
  rows: TableRows;
  dump: ReturnType<typeof readZtunnelDump<WorkloadFields, ServiceFields>>;
}

/** Reads the head half; undefined when it is not valid JSON, holds services or has an error. */
export function readHead(head: DumpHalves['head'], source: string): HeadReading | undefined {
  const raw = 'text' in head ? parseObject(head.text) : member(head.key, head.value);
  if (!raw) return undefined;
  const keys = Object.keys(raw).map((k) => k.toLowerCase());
  if (keys.includes('services')) return undefined;
  const rows = new TableRows();
  try {
    const dump = readZtunnelDump(raw, source, { workload: tableWorkload, service: tableService, eachWorkload: (w) => rows.workload(w) });
    return { keys, rows, dump };
  } catch {
    return undefined;
  }
}

/**
 * The two readings as one: the tail's services added after the head's workloads, as readTablesDump reads the whole
 * dump; undefined when the halves share a member (in any letter case).
 */
export function joinHalves(head: HeadReading, tail: ServicesPart): TablesDump | undefined {
  const tailKeys = new Set(tail.keys);
  if (head.keys.some((k) => tailKeys.has(k))) return undefined;
  head.rows.packedServices(tail.services);
  const d = head.dump;
  // Each member is in one half only: the other half read it as absent (empty).
  const from = <T>(key: string, mine: T[], theirs: T[]) => (tailKeys.has(key) ? theirs : mine);
  return {
    workloads: d.workloads,
    // The tables print the services from the rows; the tail's objects stay on its thread.
    services: [],
    policies: from('policies', d.policies, tail.policies),
    certificates: from('certificates', d.certificates, tail.certificates),
    workloadState: from('workloadstate', d.workloadState, tail.workloadState),
    rows: head.rows,
  };
}
