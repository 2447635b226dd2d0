// MS0508: a proxy's RBAC filters refused requests between its two stats reads (`rbac.denied` moved): the 403s an
// operator sees are authorization, not routing. Names the AuthorizationPolicies that can refuse there (DENY ones, or
// the ALLOW ones whose presence denies the rest); reported on the first of them, or on the pod when none applies.
import type { Check, Finding } from './types.js';
import type { KubeObject } from '../model/resources.js';
import { policiesForWorkload } from '../mesh/authz/select.js';
import { proxyDenials } from '../mesh/authz/denials.js';
import { policyAction } from '../model/security.js';
import { msReport } from './authz-common.js';

const NAME = 'authz.DeniedRequests';

const prefixText = (p: string) => p.replace(/^http\./, '').replace(/\.$/, '') || p;

export const authzDeniedRequestsCheck: Check = {
  name: NAME,
  description: "a proxy's RBAC filters refused requests between its stats reads (403 RBAC: access denied)",
  codes: [{ code: 'MS0508', level: 'Info', summary: 'requests refused by authorization, counted by Envoy' }],
  needs: 'envoy',
  run(input) {
    const out: Finding[] = [];
    const root = input.meshConfig.rootNamespace;
    for (const ctx of input.contexts) {
      const objects = ctx.objects.map((o) => o.loaded.obj as KubeObject);
      for (const proxy of ctx.proxies) {
        const d = proxyDenials(proxy);
        if (!d) continue;
        const pod = ctx.kind('Pod').find((p) => p.name === proxy.pod && p.namespace === proxy.namespace);
        if (!pod) continue;
        const policies = policiesForWorkload(objects, { namespace: pod.namespace, labels: pod.labels, rootNamespace: root });
        const refusing = [...policies.filter((p) => policyAction(p.spec) === 'DENY'), ...policies.filter((p) => policyAction(p.spec) === 'ALLOW')];
        const names = refusing.map((p) => `AuthorizationPolicy ${p.metadata.namespace}/${p.metadata.name} (${policyAction(p.spec)}${policyAction(p.spec) === 'ALLOW' ? ': default deny' : ''})`);
        const why = names.length > 0 ? `${names.join(', ')} can refuse them` : 'no loaded AuthorizationPolicy applies to it (a CUSTOM provider, or Envoy runs a policy that is gone?)';
        const first = refusing[0];
        const origin = (first && ctx.kind('AuthorizationPolicy').find((o) => o.name === first.metadata.name && o.namespace === first.metadata.namespace)) || pod;
        out.push(msReport(NAME, origin, 'DeniedRequests', [
          `${proxy.namespace}/${proxy.pod}`, d.denied, d.denied + d.allowed,
          d.prefixes.every((p) => !p.startsWith('http.')) ? 'connections (closed by RBAC)' : 'requests (403 RBAC: access denied)', Math.round(d.seconds), d.prefixes.map(prefixText).join(', '), why,
        ], undefined, { proxy: `${proxy.namespace}/${proxy.pod}` }));
      }
    }
    return out;
  },
};
