// Effective mutual TLS: what a server workload accepts on a port (PeerAuthentication: mesh-wide in the root
// namespace, namespace-wide, workload selector, port level; UNSET inherits from the level above, PERMISSIVE when
// nothing is set) and what a client sends it (DestinationRule tls.mode per port and subset, else auto mTLS).
import type { KubeObject } from '../../model/resources.js';
import type { PeerAuthenticationSpec } from '../../model/security.js';

export type PeerMode = 'STRICT' | 'PERMISSIVE' | 'DISABLE';
export type DeclaredMode = PeerMode | 'UNSET';
export type MtlsLevel = 'port' | 'workload' | 'namespace' | 'mesh' | 'default';

export interface ObjectRef { kind: string; namespace: string; name: string }

export interface ServerMtls {
  mode: PeerMode;
  level: MtlsLevel;
  /** The PeerAuthentication that decided (absent: Istio's default, PERMISSIVE). */
  policy?: ObjectRef;
  /** YAML path of the deciding field. */
  path?: string;
}

type PA = KubeObject<PeerAuthenticationSpec>;

function declared(mode: unknown): DeclaredMode {
  return mode === 'STRICT' || mode === 'PERMISSIVE' || mode === 'DISABLE' ? mode : 'UNSET';
}

/** The oldest of several candidates (then by name), as istiod picks. */
function oldest(list: PA[]): PA | undefined {
  return [...list].sort((a, b) => (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '') || a.metadata.name.localeCompare(b.metadata.name))[0];
}

const hasSelector = (p: PA) => Object.keys(p.spec?.selector?.matchLabels ?? {}).length > 0;
const ref = (p: PA): ObjectRef => ({ kind: 'PeerAuthentication', namespace: p.metadata.namespace ?? '', name: p.metadata.name });

/** The mode a workload accepts on `port` (its container/target port), and which policy set it. */
export function serverMtls(peerAuths: PA[], w: { namespace: string; labels: Record<string, string> }, port: number | undefined, rootNamespace = 'istio-system'): ServerMtls {
  const pas = peerAuths.filter((p) => p.kind === 'PeerAuthentication');
  const workload = oldest(pas.filter((p) => p.metadata.namespace === w.namespace && hasSelector(p)
    && Object.entries(p.spec!.selector!.matchLabels!).every(([k, v]) => w.labels[k] === v)));
  const namespace = oldest(pas.filter((p) => p.metadata.namespace === w.namespace && !hasSelector(p)));
  const mesh = oldest(pas.filter((p) => p.metadata.namespace === rootNamespace && !hasSelector(p)));
  if (workload && port !== undefined) {
    const pl = workload.spec?.portLevelMtls?.[String(port)];
    const m = declared(pl?.mode);
    if (m !== 'UNSET') return { mode: m, level: 'port', policy: ref(workload), path: `spec.portLevelMtls.${port}.mode` };
  }
  for (const [p, level] of [[workload, 'workload'], [namespace, 'namespace'], [mesh, 'mesh']] as const) {
    if (!p) continue;
    const m = declared(p.spec?.mtls?.mode);
    if (m !== 'UNSET') return { mode: m, level, policy: ref(p), path: 'spec.mtls.mode' };
  }
  return { mode: 'PERMISSIVE', level: 'default' };
}

export type ClientTlsMode = 'ISTIO_MUTUAL' | 'MUTUAL' | 'SIMPLE' | 'DISABLE';

export interface ClientTls {
  /** What goes on the wire to the server's sidecar. */
  sends: 'istio-mtls' | 'plaintext' | 'tls';
  /** The DestinationRule mode, or auto mTLS. */
  mode: ClientTlsMode | 'AUTO';
  /** The DestinationRule and YAML path that set it (absent for auto mTLS). */
  rule?: ObjectRef;
  path?: string;
}

interface TlsSettings { mode?: string }
interface PortTrafficPolicy { port?: { number?: number }; tls?: TlsSettings }
interface TrafficPolicy { tls?: TlsSettings; portLevelSettings?: PortTrafficPolicy[] }
type DR = KubeObject<{ host?: string; trafficPolicy?: TrafficPolicy; subsets?: { name: string; trafficPolicy?: TrafficPolicy }[] }>;

function tlsOf(tp: TrafficPolicy | undefined, port: number | undefined, base: string): { mode: string; path: string } | undefined {
  const pls = tp?.portLevelSettings ?? [];
  const i = port === undefined ? -1 : pls.findIndex((p) => p?.port?.number === port);
  if (i >= 0 && pls[i]!.tls?.mode) return { mode: pls[i]!.tls!.mode!, path: `${base}.portLevelSettings[${i}].tls.mode` };
  if (tp?.tls?.mode) return { mode: tp.tls.mode, path: `${base}.tls.mode` };
  return undefined;
}

/**
 * What a client sends to a destination (service port, subset) given the DestinationRule it uses (if any) and the
 * server: auto mTLS sends Istio mTLS to sidecars unless the server's PeerAuthentication disables it.
 */
export function clientTls(rule: DR | undefined, port: number | undefined, subset: string | undefined, server: { hasSidecar: boolean; mode: PeerMode }, autoMtls = true): ClientTls {
  if (rule) {
    const si = subset ? (rule.spec?.subsets ?? []).findIndex((s) => s?.name === subset) : -1;
    const set = (si >= 0 ? tlsOf(rule.spec!.subsets![si]!.trafficPolicy, port, `spec.subsets[${si}].trafficPolicy`) : undefined)
      ?? tlsOf(rule.spec?.trafficPolicy, port, 'spec.trafficPolicy');
    if (set && set.mode in SENDS) {
      const mode = set.mode as ClientTlsMode;
      return { sends: SENDS[mode], mode, rule: { kind: 'DestinationRule', namespace: rule.metadata.namespace ?? '', name: rule.metadata.name }, path: set.path };
    }
  }
  const mtls = autoMtls && server.hasSidecar && server.mode !== 'DISABLE';
  return { sends: mtls ? 'istio-mtls' : 'plaintext', mode: 'AUTO' };
}

const SENDS: Record<ClientTlsMode, ClientTls['sends']> = { ISTIO_MUTUAL: 'istio-mtls', MUTUAL: 'tls', SIMPLE: 'tls', DISABLE: 'plaintext' };

export interface Handshake {
  ok: boolean;
  /** One line: what happens on the connection. */
  summary: string;
}

/** Whether the client's traffic is accepted by the server's sidecar. */
export function handshake(client: ClientTls, server: { hasSidecar: boolean; mode: PeerMode }): Handshake {
  if (!server.hasSidecar) {
    return client.sends === 'istio-mtls'
      ? { ok: false, summary: 'client sends Istio mTLS to a workload without a sidecar: the handshake fails (503 UF/URX)' }
      : { ok: true, summary: `client sends ${client.sends}; the workload has no sidecar` };
  }
  if (server.mode === 'STRICT' && client.sends !== 'istio-mtls') {
    return { ok: false, summary: `server requires mTLS (STRICT) but the client sends ${client.sends}: the connection is reset (503 UC, upstream connect error)` };
  }
  if (server.mode === 'DISABLE' && client.sends === 'istio-mtls') {
    return { ok: false, summary: 'client sends Istio mTLS but the server accepts plain text only (DISABLE): the handshake fails (503 UC)' };
  }
  if (client.sends === 'tls') return { ok: true, summary: 'client sends its own TLS (originated by the app or a DestinationRule); the sidecar passes it through' };
  return { ok: true, summary: client.sends === 'istio-mtls' ? `mutual TLS (server ${server.mode})` : `plain text (server ${server.mode})` };
}
