// Paths the tests share: the repository, the conformance corpus (../shared, as CI has it) and the dumps the test API
// servers serve as their pods' Envoy config, and the seed contexts of the test API servers.
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
