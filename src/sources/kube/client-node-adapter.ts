// The one place meshscope reaches past @kubernetes/client-node's declared API. client-node 1.4 has no public call that
// sends a prepared RequestContext through a Configuration's middleware and HTTP library; its generated APIs do it with
// the Configuration's `middleware` and `httpApi` fields, which its type declarations leave out. rawSender() does the
// same, and clientNodeShapeProblem() (test/client-node-adapter.test.ts) fails loudly when client-node changes them.
import type * as K8s from '@kubernetes/client-node';

interface ConfigurationInternals {
  middleware: K8s.ObservableMiddleware[];
  httpApi: { send(ctx: K8s.RequestContext): K8s.Observable<K8s.ResponseContext> };
}

/** What is wrong with client-node's Configuration for rawSender, or undefined when it has what rawSender uses. */
export function clientNodeShapeProblem(k: typeof K8s): string | undefined {
  const server = new k.ServerConfiguration('https://127.0.0.1', {});
  const config = k.createConfiguration({ baseServer: server, middleware: [] } as never) as unknown as Partial<ConfigurationInternals>;
  if (!Array.isArray(config.middleware)) return 'createConfiguration() no longer has a middleware array';
  if (typeof config.httpApi?.send !== 'function') return 'createConfiguration() no longer has httpApi.send()';
  if (typeof server.makeRequestContext !== 'function') return 'ServerConfiguration has no makeRequestContext()';
  return undefined;
}

/** Sends `ctx` (already authenticated) through `middleware` and client-node's HTTP library, as its generated APIs do. */
export async function rawSend(k: typeof K8s, kc: K8s.KubeConfig, server: K8s.ServerConfiguration<Record<string, string>>, ctx: K8s.RequestContext, middleware: K8s.ObservableMiddleware[]): Promise<K8s.ResponseContext> {
  const config = k.createConfiguration({ baseServer: server, authMethods: { default: kc }, middleware } as never) as unknown as ConfigurationInternals;
  for (const m of config.middleware) ctx = await m.pre(ctx).toPromise();
  let resp = await config.httpApi.send(ctx).toPromise();
  for (const m of config.middleware) resp = await m.post(resp).toPromise();
  return resp;
}
