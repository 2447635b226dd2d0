// What one kube context (live or snapshot) hands to the model layer.
import type { LoadedObject } from './resources.js';

export type ContextStatus = 'loading' | 'ok' | 'partial' | 'error';

/** A located problem met while loading: always names the file, object or context, and what is wrong. */
export interface LoadIssue {
  context: string;
  severity: 'error' | 'warning';
  message: string;
  file?: string;
  /** "Kind ns/name" when the issue is about one object. */
  object?: string;
  /** 0-based YAML document index. */
  docIndex?: number;
  /** 1-based line. */
  line?: number;
  /** Live: the kind whose list failed (group "" for core kinds). */
  resource?: { group: string; kind: string };
}

/** Raw Envoy admin output for one proxy. JSON is parsed but not interpreted here. */
export interface ProxyDump {
  context: string;
  namespace: string;
  pod: string;
  /** Parsed JSON of /config_dump?include_eds=true. */
  configDump?: unknown;
  /** Parsed JSON of /clusters?format=json. */
  clusters?: unknown;
  configDumpFile?: string;
  clustersFile?: string;
  /** Why the dump could not be read, if it could not. */
  error?: string;
  /** Why /clusters?format=json could not be read (the config dump may still be there). */
  clustersError?: string;
  /** When a live dump was fetched. */
  fetchedAt?: Date;
  /** Parsed stats.json: two reads of /stats?format=json with their times (see model/envoy/stats.ts). */
  stats?: unknown;
  statsFile?: string;
}

/** Raw ztunnel admin /config_dump of one ztunnel pod (parsed JSON, interpreted by model/ztunnel). */
export interface ZtunnelDumpFile {
  context: string;
  pod: string;
  /** The node the ztunnel runs on, when known. */
  node?: string;
  configDump?: unknown;
  configDumpFile?: string;
  error?: string;
  fetchedAt?: Date;
}

export type SourceInfo = { kind: 'snapshot'; path: string } | { kind: 'live'; server?: string };

export interface ContextSnapshot {
  name: string;
  source: SourceInfo;
  objects: LoadedObject[];
  proxies: ProxyDump[];
  /** ztunnel config dumps (ambient mode), one per ztunnel pod. */
  ztunnels?: ZtunnelDumpFile[];
  issues: LoadIssue[];
  status: ContextStatus;
  /** One-line reason when status is error or partial. */
  reason?: string;
  /** Live loading progress: requests done out of total (for the TUI header). */
  progress?: { done: number; total: number };
  /** networking.istio.io version a live context serves (v1, v1beta1, v1alpha3), if any. */
  istioVersion?: string;
  /** Live: what the context does not serve ("Gateway API not installed", "no Istio security CRDs"); not an error. */
  absent?: string[];
  /** When a live context finished loading, or last changed through a watch. */
  updatedAt?: Date;
  /**
   * Live: the ConfigMaps the Gateway API objects name as CA bundles, each read with a GET ("namespace/name"; those
   * not among the objects answered 404). ConfigMaps are never listed, so one not named here is unknown, not missing.
   */
  configMapsChecked?: string[];
  /** --watch: set while a watch of this context is down (objects may be out of date); cleared when it reconnects. */
  stale?: { since: Date; reason: string };
}

export interface MeshInput {
  contexts: ContextSnapshot[];
}

export function formatLoadIssue(i: LoadIssue): string {
  return `${i.severity}: ${locatedLoadIssue(i)}`;
}

/** "file:line, document N, object: message" (or "context C: message" without a file). */
export function locatedLoadIssue(i: LoadIssue): string {
  const where: string[] = [];
  if (i.file) where.push(i.line ? `${i.file}:${i.line}` : i.file);
  if (i.docIndex !== undefined) where.push(`document ${i.docIndex + 1}`);
  if (i.object) where.push(i.object);
  if (!i.file) where.unshift(`context ${i.context}`);
  return `${where.join(', ')}: ${i.message}`;
}
