// Row builders for the secret, bootstrap (summary) and ecds views.
import { X509Certificate } from 'node:crypto';
import { firstDefined } from './describe.js';
import type { EnvoyEcdsFilter, EnvoySecret, ParsedDump } from './types.js';

type JsonObject = Record<string, any>;

// ---------- secret ----------
export interface SecretRow {
  name: string;
  /** `CA`, `Cert Chain`, or '' when there is no certificate. */
  type: string;
  state: 'ACTIVE' | 'WARMING';
  valid: boolean;
  serialNumber: string;
  notAfter: string;
  notBefore: string;
  trustDomain?: string;
  /** Why the certificate could not be read, if it could not. */
  error?: string;
}

function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function inlineBytes(ds: JsonObject | undefined): string | undefined {
  const b = firstDefined(ds, 'inline_bytes', 'inlineBytes');
  if (typeof b === 'string') return Buffer.from(b, 'base64').toString('latin1');
  const s = firstDefined(ds, 'inline_string', 'inlineString');
  return typeof s === 'string' ? s : undefined;
}

function certRow(name: string, state: SecretRow['state'], pem: string | undefined, now: Date, trustDomain?: string): SecretRow {
  const row: SecretRow = { name, type: '', state, valid: false, serialNumber: '', notAfter: '', notBefore: '' };
  if (trustDomain !== undefined) row.trustDomain = trustDomain;
  if (!pem) return row;
  try {
    const block = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/.exec(pem);
    const cert = new X509Certificate(block ? block[0] : Buffer.from(pem, 'latin1'));
    const notBefore = new Date(cert.validFrom);
    const notAfter = new Date(cert.validTo);
    row.type = cert.ca ? 'CA' : 'Cert Chain';
    row.serialNumber = BigInt('0x' + cert.serialNumber).toString(16).padStart(32, '0');
    row.notAfter = rfc3339(notAfter);
    row.notBefore = rfc3339(notBefore);
    row.valid = now.getTime() > notBefore.getTime() && now.getTime() < notAfter.getTime();
  } catch (err) {
    row.error = err instanceof Error ? err.message : String(err);
  }
  return row;
}

/** One row per secret (per trust domain for SPIFFE bundles). `now` decides VALID CERT. */
export function secretRows(parsed: ParsedDump, now: Date = new Date()): SecretRow[] {
  const rows: SecretRow[] = [];
  for (const s of parsed.secrets ?? []) rows.push(...secretItemRows(s, now));
  return rows;
}

function secretItemRows(s: EnvoySecret, now: Date): SecretRow[] {
  const sec: JsonObject = s.secret ?? {};
  const tls = firstDefined(sec, 'tls_certificate', 'tlsCertificate');
  if (tls) return [certRow(s.name, s.state, inlineBytes(firstDefined(tls, 'certificate_chain', 'certificateChain')), now)];
  const vc = firstDefined(sec, 'validation_context', 'validationContext');
  if (vc) {
    const custom = firstDefined(vc, 'custom_validator_config', 'customValidatorConfig');
    const domains = firstDefined(firstDefined(custom, 'typed_config', 'typedConfig'), 'trust_domains', 'trustDomains');
    if (Array.isArray(domains) && domains.length > 0) {
      return domains.map((td: JsonObject) => certRow(s.name, s.state, inlineBytes(firstDefined(td, 'trust_bundle', 'trustBundle')), now, String(td.name ?? '')));
    }
    return [certRow(s.name, s.state, inlineBytes(firstDefined(vc, 'trusted_ca', 'trustedCa')), now)];
  }
  return [certRow(s.name, s.state, undefined, now)];
}

// ---------- bootstrap ----------
export interface BootstrapSummary { istioVersion: string; istioProxyVersion: string; envoyVersion: string }

export function bootstrapSummary(parsed: ParsedDump): BootstrapSummary {
  const node: JsonObject = parsed.bootstrap?.node ?? {};
  const md: JsonObject = node.metadata ?? {};
  const sha = String(md.ISTIO_PROXY_SHA ?? '');
  const colon = sha.indexOf(':');
  const ubv: JsonObject = firstDefined(node, 'user_agent_build_version', 'userAgentBuildVersion') ?? {};
  const v: JsonObject = ubv.version ?? {};
  const bm: JsonObject = ubv.metadata ?? {};
  let envoy = `${Number(firstDefined(v, 'major_number', 'majorNumber') ?? 0)}.${Number(firstDefined(v, 'minor_number', 'minorNumber') ?? 0)}.${Number(v.patch ?? 0)}`;
  if (bm['build.label']) envoy += `-${bm['build.label']}`;
  if (bm['revision.status']) envoy += `/${bm['revision.status']}`;
  if (bm['build.type']) envoy += `/${bm['build.type']}`;
  if (bm['ssl.version']) envoy += `/${bm['ssl.version']}`;
  return { istioVersion: String(md.ISTIO_VERSION ?? ''), istioProxyVersion: colon >= 0 ? sha.slice(colon + 1) : sha, envoyVersion: envoy };
}

// ---------- ecds ----------
export interface EcdsRow { name: string; type: string; filter: EnvoyEcdsFilter }

/** ECDS filters of every EcdsConfigDump section, sorted by type then name. */
export function ecdsRows(parsed: ParsedDump): EcdsRow[] {
  const list = (parsed.ecdsFilters ?? []).slice();
  list.sort((a, b) => (a.type !== b.type ? (a.type < b.type ? -1 : 1) : a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return list.map((f) => ({ name: f.name, type: f.type, filter: f }));
}
