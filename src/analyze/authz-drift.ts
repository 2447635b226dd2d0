// Intent against Envoy for authorization: the RBAC policies istiod would build for a proxy's workload from the
// AuthorizationPolicies that apply, against the RBAC filters in the proxy's listeners (MS0507): a policy not
// enforced yet, or one still enforced after it was changed or deleted.
import type { Check, Finding } from './types.js';
import type { KubeObject } from '../model/resources.js';
import { buildAuthzFilters } from '../mesh/authz/builder.js';
import { policiesForWorkload } from '../mesh/authz/select.js';
import { trustDomainBundle } from '../mesh/authz/trust-domain.js';
import { dynamicListeners, rbacFilters } from '../mesh/authz/envoy-rbac.js';
import { authzDrift } from '../mesh/authz/drift.js';
import { msReport } from './authz-common.js';

const NAME = 'authz.EnvoyDrift';

export const authzDriftCheck: Check = {
  name: NAME,
  description: "the RBAC filters in a proxy's listeners differ from what the AuthorizationPolicies that apply to it build",
  codes: [{ code: 'MS0507', level: 'Warning', summary: 'AuthorizationPolicies and the Envoy RBAC filters disagree' }],
  needs: 'envoy',
  run(input) {
    const out: Finding[] = [];
    const root = input.meshConfig.rootNamespace;
    for (const ctx of input.contexts) {
      if (ctx.proxies.length === 0) continue;
      const objects = ctx.objects.map((o) => o.loaded.obj as KubeObject);
      for (const proxy of ctx.proxies) {
        if (!proxy.configDump) continue;
        const pod = ctx.kind('Pod').find((p) => p.name === proxy.pod && p.namespace === proxy.namespace);
        if (!pod || pod.labels['istio'] === 'ingressgateway' || pod.labels['istio'] === 'egressgateway') continue;
        const policies = policiesForWorkload(objects, { namespace: pod.namespace, labels: pod.labels, rootNamespace: root });
        const found = rbacFilters(dynamicListeners(proxy.configDump));
        if (policies.length === 0 && found.length === 0) continue;
        const opts = { trustDomain: trustDomainBundle('cluster.local') };
        const intended = [...buildAuthzFilters(policies, { ...opts, forTCP: false }).filters, ...buildAuthzFilters(policies, { ...opts, forTCP: true }).filters];
        const d = authzDrift(intended, found);
        const name = `${proxy.pod}.${proxy.namespace}`;
        if (d.missing.length > 0) out.push(msReport(NAME, pod, 'AuthzEnvoyDrift', [name, `policies not enforced by Envoy: ${d.missing.join(', ')}`], undefined, { proxy: `${proxy.namespace}/${proxy.pod}` }));
        if (d.unexpected.length > 0) out.push(msReport(NAME, pod, 'AuthzEnvoyDrift', [name, `Envoy enforces what no applicable policy builds: ${d.unexpected.join(', ')}`], undefined, { proxy: `${proxy.namespace}/${proxy.pod}` }));
      }
    }
    return out;
  },
};
