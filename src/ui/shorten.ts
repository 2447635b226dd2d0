// Shortening names to a width while keeping what tells them apart: the middle goes first. Envoy cluster names
// (`direction|port|subset|host`) keep their subset and the service part of the host; pod names keep their suffix.
import cliTruncate from 'cli-truncate';
import { textWidth } from './text-width.js';

export type Squeeze = 'middle' | 'cluster' | 'pod' | 'end';

/** `s` cut in the middle to at most `width` columns (`…` marks the cut). */
export function middle(s: string, width: number): string {
  if (width <= 0) return '';
  if (textWidth(s) <= width) return s;
  if (width === 1) return '…';
  return cliTruncate(s, width, { position: 'middle' });
}

/** A pod (or `ns/pod`) name: the namespace goes first, then the middle, keeping the `-xxxxx` suffix whole. */
export function podName(s: string, width: number): string {
  if (textWidth(s) <= width) return s;
  const name = s.includes('/') ? s.slice(s.lastIndexOf('/') + 1) : s;
  if (textWidth(name) <= width) return name;
  const m = /-[a-z0-9]{4,6}$/.exec(name);
  if (m && width >= m[0].length + 3) return cliTruncate(name.slice(0, m.index), width - m[0].length, { position: 'end' }) + m[0];
  // Too narrow for a head: the suffix is what tells replicas apart.
  return m && width > 1 ? cliTruncate(name, width, { position: 'start' }) : middle(name, width);
}

const CLUSTER = /^(inbound|outbound)\|(\d*)\|([^|]*)\|(.+)$/;
const DOMAIN = /\.svc\.cluster\.local$/;

/** An Envoy cluster name: drop the cluster domain, then shorten `outbound` to `out`, then the host after its first label. */
export function clusterName(s: string, width: number): string {
  if (textWidth(s) <= width) return s;
  const m = CLUSTER.exec(s);
  if (!m) return middle(s, width);
  const [, dir, port, subset, fullHost] = m as unknown as [string, string, string, string, string];
  const host = fullHost.replace(DOMAIN, '');
  const long = `${dir}|${port}|${subset}|`;
  if (textWidth(long + host) <= width) return long + host;
  // Shorter heads, then the host after its first label (the service): the subset stays as long as possible.
  const heads = [`${dir === 'outbound' ? 'out' : 'in'}|${port}|${subset}|`, `${port}|${subset}|`, subset ? `${subset}|` : `${port}|`];
  for (const head of heads) {
    const room = width - textWidth(head);
    if (room < 5 && head !== heads[heads.length - 1]) continue;
    if (textWidth(host) <= room) return head + host;
    if (room < 2) break;
    return head + cliTruncate(host, room, { position: 'end' });
  }
  return middle(subset || host, width);
}

export function squeezeText(s: string, width: number, how: Squeeze): string {
  if (how === 'end') return width <= 0 ? '' : textWidth(s) <= width ? s : cliTruncate(s, width, { position: 'end' });
  return how === 'cluster' ? clusterName(s, width) : how === 'pod' ? podName(s, width) : middle(s, width);
}
