// `istioctl proxy-status POD` comparison text: for clusters, listeners and routes, "<X> Match" or "<X> Don't Match"
// followed by go-difflib's unified diff (7 lines of context) of the jsonpb text (Indent 3 spaces) of istiod's and
// Envoy's dynamic resources. The routes line carries "(RDS last loaded at <RFC1123>)" from Envoy's newest route update.
import { configSection, dynamicEntries, lastRdsUpdate, SECTION_TYPE } from '../model/proxy-compare.js';
import { ENVOY_SCHEMA, envoyJsonNames, marshalJsonpb } from './jsonpb-writer.js';
import { splitLines, unifiedDiff } from './difflib.js';

type JsonObject = Record<string, unknown>;
const isObj = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

const WRAPPER: Record<'CDS' | 'LDS' | 'RDS', string> = { CDS: 'dynamicActiveClusters', LDS: 'dynamicListeners', RDS: 'dynamicRouteConfigs' };
const LABEL: Record<'CDS' | 'LDS' | 'RDS', string> = { CDS: 'Clusters', LDS: 'Listeners', RDS: 'Routes' };

/** `a` with its object keys in `ref`'s order where `ref` has them (so both sides print in one field order). */
function alignKeys(a: unknown, ref: unknown): unknown {
  if (Array.isArray(a)) return a.map((x, i) => alignKeys(x, Array.isArray(ref) ? ref[i] : undefined));
  if (!isObj(a)) return a;
  const r = isObj(ref) ? ref : {};
  const out: JsonObject = {};
  for (const k of Object.keys(r)) if (k in a) out[k] = alignKeys(a[k], r[k]);
  for (const k of Object.keys(a)) if (!(k in out)) out[k] = alignKeys(a[k], undefined);
  return out;
}

/** What istioctl marshals for one side: the jsonpb of {dynamic…: [...]}, or the error text when the section is missing. */
function sideText(entries: unknown[] | undefined, t: 'CDS' | 'LDS' | 'RDS'): string {
  if (entries === undefined) return `config dump has no configuration type ${SECTION_TYPE[t]}`;
  const msg: JsonObject = entries.length > 0 ? { [WRAPPER[t]]: entries } : {};
  return marshalJsonpb(msg, '   ', ENVOY_SCHEMA);
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Go's time.RFC1123 ("Mon, 02 Jan 2006 15:04:05 MST") in `timeZone` (default: the local zone, as istioctl). */
export function rfc1123(d: Date, timeZone?: string): string {
  const fmt = new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', weekday: 'short', year: 'numeric', month: 'numeric', day: 'numeric',
    hour: 'numeric', minute: 'numeric', second: 'numeric', timeZoneName: 'short',
  });
  const p = Object.fromEntries(fmt.formatToParts(d).map((x) => [x.type, x.value]));
  const two = (s: string | undefined) => String(s ?? '').padStart(2, '0');
  const zone = p.timeZoneName === 'GMT' || p.timeZoneName === 'UTC' ? 'UTC' : String(p.timeZoneName ?? 'UTC');
  const weekday = DAYS.find((x) => x === p.weekday) ?? p.weekday;
  return `${weekday}, ${two(p.day)} ${MONTHS[Number(p.month) - 1]} ${p.year} ${two(p.hour)}:${two(p.minute)}:${two(p.second)} ${zone}`;
}

export interface DiffOptions {
  /** IANA zone for the "RDS last loaded at" time; default the local zone. */
  timeZone?: string;
}

/** istioctl's `proxy-status POD` text for istiod's view and Envoy's config_dump. */
export function diffProxy(istiodDump: unknown, envoyDump: unknown, opts: DiffOptions = {}): string {
  let out = '';
  for (const t of ['CDS', 'LDS', 'RDS'] as const) {
    const envoyEntries = envoyJsonNames(dynamicEntries(envoyDump, t)) as unknown[] | undefined;
    const istiodEntries = alignKeys(envoyJsonNames(dynamicEntries(istiodDump, t)), envoyEntries) as unknown[] | undefined;
    const a = sideText(istiodEntries, t);
    const b = sideText(envoyEntries, t);
    const diff = unifiedDiff(splitLines(a), splitLines(b), `Istiod ${LABEL[t]}`, `Envoy ${LABEL[t]}`, 7);
    let suffix = '';
    if (t === 'RDS' && configSection(envoyDump, 'RDS')) {
      const at = lastRdsUpdate(envoyDump);
      if (at) suffix = ` (RDS last loaded at ${rfc1123(at, opts.timeZone)})`;
    }
    out += diff === '' ? `${LABEL[t]} Match${suffix}\n` : `${LABEL[t]} Don't Match${suffix}\n${diff}\n`;
  }
  return out;
}
