// The world istiod's TestConvertResources builds around each Gateway API translation case, from cases.json →
// harness: Services for the *.domain.suffix registry hosts, labelled Namespaces, and the service registry.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { objectsOfFile } from '../../src/sources/snapshot.js';
import type { LoadIssue } from '../../src/model/context.js';
import type { KubeObject } from '../../src/model/resources.js';
import type { RegistryService } from '../../src/mesh/gateway-api/model.js';
import { CONFORMANCE } from './paths.js';

export const TRANSLATION_DIR = join(CONFORMANCE, 'gateway-api-translation');

export interface TranslationCase { name: string; input: string; golden: string; status_golden: string; golden_empty: boolean; validation_ignored?: string[] }

export interface Harness {
  domain_suffix: string;
  kube_services: { items: { namespace: string; name: string; ports: { name: string; port: number; protocol: string }[] }[] };
  kube_configmaps: { items: { namespace: string; name: string; data: Record<string, string> }[] };
  service_registry: { items: RegistryService[] };
}

export function readCases(): { cases: TranslationCase[]; harness: Harness } {
  const j = JSON.parse(readFileSync(join(TRANSLATION_DIR, 'cases.json'), 'utf8'));
  return { cases: j.cases, harness: j.harness };
}

/** A self-signed CA certificate standing for the harness's <TEST_CERT_PEM>. */
const TEST_CERT_PEM = `-----BEGIN CERTIFICATE-----
MIIBqjCCAVGgAwIBAgIUMIHd7Cvmpf86OhhXJlSbegZ6FowwCgYIKoZIzj0EAwIw
KzEXMBUGA1UECgwObWVzaHNjb3BlIHRlc3QxEDAOBgNVBAMMB3Rlc3QtY2EwHhcN
MjYxMjAzMTIxMTAxWhcNMzYxMTMwMTIxMTAxWjArMRcwFQYDVQQKDA5tZXNoc2Nv
cGUgdGVzdDEQMA4GA1UEAwwHdGVzdC1jYTBZMBMGByqGSM49AgEGCCqGSM49AwEH
A0IABPxu8XavceNUwfddoGrZnfgnYu0u6cvXVbBnY2fSHKstuTYzCMDR9kSHoMI3
d26hxp2zSMvbstsIHLxvqDGRUqajUzBRMB0GA1UdDgQWBBTXqnZpaN503bT345HY
bE3v26SKTDAfBgNVHSMEGDAWgBTXqnZpaN503bT345HYbE3v26SKTDAPBgNVHRMB
Af8EBTADAQH/MAoGCCqGSM49BAMCA0cAMEQCIFOKJR+uZg7XzZDqVlwCjOVtSozp
etbkSxQ6zRYj4P5FAiBfGtPs24T00D+9NjQkYOydalMStS2665wQ+9GXyeinEw==
-----END CERTIFICATE-----
`;

/** The case's input objects plus the harness's Services, ConfigMaps and Namespaces (its Secrets are never read). */
export function caseObjects(c: TranslationCase, h: Harness): KubeObject[] {
  const issues: LoadIssue[] = [];
  const input = objectsOfFile(readFileSync(join(TRANSLATION_DIR, c.input), 'utf8'), false, 'case', c.input, issues).map((o) => o.obj);
  const namespaces = new Set(input.map((o) => o.metadata.namespace).filter((n): n is string => !!n));
  const nsObjects: KubeObject[] = [...namespaces].map((n) => ({
    apiVersion: 'v1', kind: 'Namespace', metadata: { name: n, labels: { 'istio.io/test-name-part': n.split('-')[0]! } },
  }));
  const services: KubeObject[] = h.kube_services.items.map((s) => ({
    apiVersion: 'v1', kind: 'Service', metadata: { name: s.name, namespace: s.namespace }, spec: { ports: s.ports },
  }));
  const configMaps: KubeObject[] = (h.kube_configmaps?.items ?? []).map((c) => ({
    apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: c.name, namespace: c.namespace },
    data: Object.fromEntries(Object.entries(c.data).map(([k, v]) => [k, v === '<TEST_CERT_PEM>' ? TEST_CERT_PEM : v])),
  } as KubeObject));
  return [...input, ...nsObjects, ...services, ...configMaps];
}

export interface GoldenObject { kind: string; namespace: string; name: string; parents?: string; spec: unknown }

export function readGolden(file: string): GoldenObject[] {
  const text = readFileSync(join(TRANSLATION_DIR, file), 'utf8');
  return parseAllDocuments(text).map((d) => d.toJS()).filter((o) => o && typeof o === 'object').map((o) => ({
    kind: o.kind, namespace: o.metadata?.namespace ?? '', name: o.metadata?.name,
    parents: o.metadata?.annotations?.['internal.istio.io/parents'], spec: o.spec,
  }));
}
