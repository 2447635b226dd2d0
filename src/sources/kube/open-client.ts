// One client for one context, opened from kubeconfig options (the envoy admin source and tests use it).
import { KubeClient } from './client.js';
import { parseDuration } from './duration.js';
import { loadKubeconfig, selectContexts } from './kubeconfig.js';

export interface OpenClientOptions {
  kubeconfig?: string;
  /** Default: current-context. */
  context?: string;
  /** kubectl duration, default 10s. */
  requestTimeout?: string;
  env?: NodeJS.ProcessEnv;
}

/** A client for one context (e.g. for `pc VIEW POD.NS --context C` or a weight PATCH). */
export async function openKubeClient(opts: OpenClientOptions = {}): Promise<KubeClient> {
  const kc = await loadKubeconfig(opts.kubeconfig, opts.env);
  const [name] = selectContexts(kc, opts.context ? [opts.context] : []);
  return KubeClient.create(kc, name, { timeoutMs: parseDuration(opts.requestTimeout ?? '10s') });
}
