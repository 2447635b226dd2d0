// Pod and node subresources that reach past the API server (portforward, exec, attach, log, proxy), answered as
// kube-apiserver v1.21 answers them when it cannot get there (../shared/conformance/kube-apiserver/08-portforward-proxy):
// a pod whose node has no Node object gets 404 `pods "<node>" not found` (the apiserver's wording for the missing
// Node), before any upgrade handling; exec without a container on a multi-container pod gets 400.
import type { KubeObject } from '../../../src/model/resources.js';
import type { RequestInfo } from './faults.js';
import { status } from './status.js';

/** A JSON body, or plain text. */
type Answer = { code: number; body?: unknown; text?: string };

const notFoundIn = (plural: string, name: string) => status(404, 'NotFound', `${plural} "${name}" not found`, { name, kind: plural });

const KUBELET_SUBRESOURCES = new Set(['portforward', 'exec', 'attach', 'log']);

/** Whether the request is for a subresource this module answers (pods' kubelet and proxy ones, nodes' proxy). */
export function isKubeletRequest(info: RequestInfo): boolean {
  if (info.group !== '' || !info.name) return false;
  if (info.resource === 'nodes') return true;
  return info.resource === 'pods' && (KUBELET_SUBRESOURCES.has(info.subresource ?? '') || info.subresource === 'proxy');
}

/**
 * The answer to a kubelet or proxy subresource; undefined when the request may go on (a portforward upgrade to a pod
 * whose node is reachable). `getPod` reads the pod by name; `missingNodes` are nodes without a Node object.
 */
export function kubeletAnswer(info: RequestInfo, url: URL, getPod: (name: string) => KubeObject | undefined, missingNodes: ReadonlySet<string>, upgrade: boolean): Answer | undefined {
  if (info.resource === 'nodes') {
    // The test server has no Node objects.
    return { code: 404, body: notFoundIn('nodes', info.name!.split(':')[0]) };
  }
  // pods/NAME:PORT/proxy names the port after the pod name.
  const podName = info.subresource === 'proxy' ? info.name!.replace(/^https?:/, '').split(':')[0] : info.name!;
  const pod = getPod(podName);
  if (!pod) return { code: 404, body: notFoundIn('pods', podName) };
  if (info.subresource === 'proxy') {
    const ip = (pod.status as { podIP?: string } | undefined)?.podIP ?? '';
    const port = info.name!.split(':')[1] ?? '80';
    return { code: 503, body: status(503, 'ServiceUnavailable', `error trying to reach service: dial tcp ${ip}:${port}: connect: connection refused`) };
  }
  if (info.subresource === 'exec' || info.subresource === 'attach') {
    const containers = ((pod.spec as { containers?: { name: string }[] } | undefined)?.containers ?? []).map((c) => c.name);
    if (!url.searchParams.get('container') && containers.length > 1) {
      return { code: 400, body: status(400, 'BadRequest', `a container name must be specified for pod ${podName}, choose one of: [${containers.join(' ')}]`) };
    }
  }
  const node = (pod.spec as { nodeName?: string } | undefined)?.nodeName;
  if (node && missingNodes.has(node)) return { code: 404, body: notFoundIn('pods', node) };
  if (info.subresource === 'portforward' || info.subresource === 'exec' || info.subresource === 'attach') {
    return upgrade ? undefined : { code: 400, body: status(400, 'BadRequest', 'Upgrade request required') };
  }
  return { code: 200, text: '' };
}
