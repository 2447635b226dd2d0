// Whether the kube user may edit weights in a namespace, asked with a SelfSubjectAccessReview (as `kubectl auth can-i`
// does), so the TUI and `weights` can say up front that editing is unavailable, and why.
import type { KubeClient } from '../kube/client.js';

export interface EditAccess {
  /** true: allowed; false: RBAC forbids it; undefined: could not be checked (the write itself will tell). */
  allowed: boolean | undefined;
  /** Why not, in one line, e.g. "forbidden: cannot patch virtualservices.networking.istio.io in namespace app". */
  reason?: string;
}

interface AccessReview { status?: { allowed?: boolean; denied?: boolean; reason?: string; evaluationError?: string } }

/** Can the context's user patch VirtualServices in `namespace`? Never rejects. */
export async function canEditWeights(client: Pick<KubeClient, 'request'>, namespace: string, group = 'networking.istio.io'): Promise<EditAccess> {
  const resourceAttributes = { namespace, verb: 'patch', group, resource: 'virtualservices' };
  try {
    const res = await client.request<AccessReview>('POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
      body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes } },
      what: { verb: 'create', resource: 'selfsubjectaccessreviews', group: 'authorization.k8s.io' },
    });
    if (res.body?.status?.allowed === true) return { allowed: true };
    if (res.body?.status?.allowed === false) return { allowed: false, reason: `forbidden: cannot patch virtualservices.${group} in namespace ${namespace}` };
    return { allowed: undefined, reason: 'the access review gave no answer' };
  } catch (err) {
    return { allowed: undefined, reason: `could not check access: ${err instanceof Error ? err.message : String(err)}` };
  }
}
