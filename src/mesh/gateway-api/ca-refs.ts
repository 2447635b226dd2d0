// CA certificate references: a Gateway's frontend client validation (spec.tls.frontend) and the ConfigMap CA bundles
// BackendTLSPolicies and XBackends name. ConfigMaps are read; Secrets never are (a Secret reference is trusted).
import { X509Certificate } from 'node:crypto';
import { GW_GROUP, referenceAllowed, type TranslateContext } from './context.js';
import type { ConfigError, InputObject } from './model.js';

export interface CaRef { group?: string; kind?: string; name: string; namespace?: string }

/**
 * A ConfigMap's CA bundle: usable, unknown (not loaded, and neither looked up live nor in a namespace whose ConfigMaps
 * were loaded), missing, or why it is unusable.
 */
export type BundleState = { state: 'ok' | 'unknown' | 'missing' } | { state: 'invalid'; error: string };

const CA_KEYS = ['cacert', 'ca.crt'];

export function configMapBundle(ctx: TranslateContext, namespace: string, name: string): BundleState & { pem?: string } {
  const cm = ctx.configMaps.get(`${namespace}/${name}`);
  if (!cm) {
    const known = ctx.configMapsChecked ? ctx.configMapsChecked.has(`${namespace}/${name}`) : ctx.configMapNamespaces.has(namespace);
    return { state: ctx.configMapsComplete || known ? 'missing' : 'unknown' };
  }
  const data = ((cm as { data?: Record<string, unknown> }).data ?? {}) as Record<string, unknown>;
  for (const k of CA_KEYS) if (typeof data[k] === 'string' && data[k] !== '') return { state: 'ok', pem: data[k] as string };
  for (const k of CA_KEYS) if (k in data) return { state: 'invalid', error: `found key "${k}", but it was empty` };
  const keys = Object.keys(data).sort();
  const found = keys.length < 3 ? keys.join(', ') : `${keys.slice(0, 3).join(', ')}, and ${keys.length - 3} more...`;
  return { state: 'invalid', error: `found secret, but didn't have expected keys cacert or ca.crt; found: ${found}` };
}

/** True when the text holds at least one PEM certificate and every one of them parses. */
function pemBundleValid(pem: string): boolean {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) return false;
  try {
    for (const b of blocks) new X509Certificate(b);
    return true;
  } catch {
    return false;
  }
}

/** "group/kind/name.namespace" as istiod prints an object reference. */
const refString = (r: CaRef) => `${r.group ?? ''}/${r.kind ?? ''}/${r.name}.${r.namespace ?? ''}`;

/** The frontend CA references that apply to a listener port (per port, else the default); undefined when none. */
export function frontendCaRefs(gw: InputObject, port: number): CaRef[] | undefined {
  type Validation = { validation?: { caCertificateRefs?: CaRef[] } };
  const fe = (gw.spec as { tls?: { frontend?: { default?: Validation; perPort?: ({ port: number; tls?: Validation })[] } } } | undefined)?.tls?.frontend;
  const refs = fe?.perPort?.find((p) => p.port === port)?.tls?.validation?.caCertificateRefs ?? fe?.default?.validation?.caCertificateRefs;
  return refs?.length ? refs : undefined;
}

/**
 * The caCertCredentialName of a listener's frontend validation, or why it is refused. The ReferenceGrant is checked
 * before existence, so a reference to another namespace reveals nothing about what exists there.
 */
export function frontendCaCredential(ctx: TranslateContext, owner: InputObject, refs: CaRef[]): { credential?: string; error?: ConfigError } {
  if (refs.length > 1) return { error: { reason: 'InvalidCACertificateRef', message: 'only one caCertificateRef is supported' } };
  const ref = refs[0]!;
  const group = ref.group ?? '';
  const kind = ref.kind ?? 'ConfigMap';
  if (group !== '' || (kind !== 'ConfigMap' && kind !== 'Secret')) {
    return { error: { reason: 'InvalidCACertificateKind', message: `invalid CA certificate reference ${refString(ref)}, only secret and configmap are allowed` } };
  }
  const ns = owner.metadata.namespace ?? 'default';
  const refNs = ref.namespace ?? ns;
  if (refNs !== ns && !referenceAllowed(ctx, { group: GW_GROUP, kind: owner.kind, namespace: ns }, { group: '', kind, namespace: refNs, name: ref.name })) {
    return { error: { reason: 'RefNotPermitted', message: `caCertificateRef ${refNs}/${ref.name} not accessible to a Gateway in namespace "${ns}" (missing a ReferenceGrant?)` } };
  }
  if (kind === 'Secret') return { credential: `kubernetes-gateway://${refNs}/${ref.name}-cacert` };
  const b = configMapBundle(ctx, refNs, ref.name);
  const shown = refString({ group: ref.group, kind: ref.kind, name: ref.name, namespace: ref.namespace });
  if (b.state === 'missing') return { error: { reason: 'InvalidCACertificateRef', message: `invalid CA certificate reference ${shown}, configmap ${refNs}/${ref.name} not found` } };
  if (b.state === 'invalid') return { error: { reason: 'InvalidCACertificateRef', message: `invalid CA certificate reference ${shown}, ${b.error}` } };
  if (b.state === 'ok' && !pemBundleValid(b.pem!)) return { error: { reason: 'InvalidCACertificateRef', message: `invalid CA certificate reference ${shown}, the bundle is malformed` } };
  return { credential: `configmap://${refNs}/${ref.name}-cacert` };
}
