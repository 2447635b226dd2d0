// Paths the tests share: the repository, the conformance corpus (../shared, as CI has it) and the dumps the test API
// servers serve as their pods' Envoy config, and the seed contexts of the test API servers.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const repoRoot = resolve(import.meta.dirname, '../..');
export const CONFORMANCE = resolve(repoRoot, '../shared/conformance/istio');
/** A sidecar's config_dump (proxy-status/diff). */
export const SIDECAR_DUMP = join(CONFORMANCE, 'proxy-status/diff/configdump.json');
/** A gateway's config_dump (proxy-config/all). */
export const GATEWAY_DUMP = join(CONFORMANCE, 'proxy-config/all/config_dump.json');
/** Envoy /clusters?format=json output. */
export const CLUSTERS_JSON = join(CONFORMANCE, 'proxy-config/endpoint-clusters-2020/clusters.json');
/** Snapshot context folders `a` and `b` the test API servers seed from. */
export const APISERVER_SEED = join(repoRoot, 'test/support/apiserver/seed');
/** The released CRD manifests (Istio, Gateway API) the test API servers serve. */
export const CRDS = resolve(repoRoot, '../shared/conformance/crds');
/** Transcripts of a real kube-apiserver (v1.21) that the test API server answers like. */
export const KUBE_APISERVER = resolve(repoRoot, '../shared/conformance/kube-apiserver');

/**
 * Fails (throws) when a part of the conformance corpus is missing: tests never pass by skipping what CI has.
 * `what` says what the tests need it for.
 */
export function requireCorpus(path: string, what: string): void {
  if (!existsSync(path)) {
    throw new Error(`the conformance corpus ${path} is missing (${what}); it lives next to the repository as ../shared/conformance`);
  }
}
/** The whole conformance corpus. */
export const CORPUS_ROOT = resolve(repoRoot, '../shared/conformance');
