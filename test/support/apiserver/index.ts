// Starts test API servers as kube contexts and writes a kubeconfig (token users, the self-signed CA) for them.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { startApiServer, type ApiServerOptions, type TestApiServer } from './server.js';

export { startApiServer } from './server.js';
export { parseRequest } from './request.js';
export { adminPortOf } from './portforward.js';
export type { ApiServerOptions, TestApiServer, FaultRule, RequestInfo, ProxyData, RbacRule, AccessAttributes } from './server.js';
export { readSeedContext, seedContexts } from './seed.js';

export interface TestClusters {
  servers: Record<string, TestApiServer>;
  /** Path of the generated kubeconfig: one context per server (cluster and user named after it). */
  kubeconfig: string;
  dir: string;
  close(): Promise<void>;
}

export interface KubeconfigEntry { context: string; server: string; caPem?: string; token?: string; namespace?: string }

/** A kubeconfig as kubectl writes it. The first entry is the current-context. */
export function kubeconfigYaml(entries: KubeconfigEntry[], current?: string): string {
  return stringify({
    apiVersion: 'v1', kind: 'Config', preferences: {},
    'current-context': current ?? entries[0]?.context ?? '',
    clusters: entries.map((e) => ({ name: e.context, cluster: { server: e.server, ...(e.caPem ? { 'certificate-authority-data': Buffer.from(e.caPem).toString('base64') } : {}) } })),
    users: entries.map((e) => ({ name: e.context, user: { token: e.token ?? 'token-admin' } })),
    contexts: entries.map((e) => ({ name: e.context, context: { cluster: e.context, user: e.context, ...(e.namespace ? { namespace: e.namespace } : {}) } })),
  });
}

/** Starts one server per context (concurrently) and a kubeconfig naming them. */
export async function startTestClusters(contexts: Record<string, ApiServerOptions>, opts: { tokens?: Record<string, string> } = {}): Promise<TestClusters> {
  const names = Object.keys(contexts);
  const started = await Promise.all(names.map((n) => startApiServer({ name: n, ...contexts[n] })));
  const servers = Object.fromEntries(names.map((n, i) => [n, started[i]]));
  const dir = mkdtempSync(join(tmpdir(), 'meshscope-kube-'));
  const kubeconfig = join(dir, 'config');
  writeFileSync(kubeconfig, kubeconfigYaml(names.map((n) => ({ context: n, server: servers[n].url, caPem: servers[n].caPem, token: opts.tokens?.[n] }))));
  return {
    servers, kubeconfig, dir,
    async close() {
      await Promise.all(started.map((s) => s.close()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
