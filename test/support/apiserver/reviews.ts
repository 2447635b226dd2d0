// SelfSubjectAccessReview and SelfSubjectRulesReview as kube-apiserver v1.21 answers them
// (../shared/conformance/kube-apiserver/07-authz): 201 with the review echoed (empty strings dropped),
// `creationTimestamp: null`, and `status`. A user without RBAC rules here is unrestricted (as system:masters: allowed,
// no reason); a user with rules is decided by them, and every authenticated user may read discovery.
import { ruleAllows, type AccessAttributes, type RbacRule } from './rbac.js';
import { status } from './status.js';

interface ReviewSpec { resourceAttributes?: AccessAttributes & Record<string, unknown>; nonResourceAttributes?: { path?: string; verb?: string }; namespace?: string }
interface Review { apiVersion?: string; kind?: string; spec?: ReviewSpec }

/** The paths system:discovery and system:public-info-viewer open to every authenticated user. */
const DISCOVERY_URLS = ['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/openapi', '/openapi/*', '/readyz', '/version', '/version/'];
const PUBLIC_URLS = ['/healthz', '/livez', '/readyz', '/version', '/version/'];
const DISCOVERY_REASON = 'RBAC: allowed by ClusterRoleBinding "system:discovery" of ClusterRole "system:discovery" to Group "system:authenticated"';

const urlAllowed = (urls: string[], path: string) => urls.some((u) => (u.endsWith('*') ? path.startsWith(u.slice(0, -1)) : u === path));
const dropEmpty = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== '' && v !== undefined));

/** The answer to POST .../selfsubjectaccessreviews at `version` by a user with `rules` (undefined: unrestricted). */
export function accessReview(version: string, review: Review, manager: string, rules: RbacRule[] | undefined): { code: number; body: unknown } {
  const spec = review.spec ?? {};
  const res = spec.resourceAttributes, nonRes = spec.nonResourceAttributes;
  if (!res === !nonRes) {
    const message = 'Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified';
    return { code: 422, body: status(422, 'Invalid', `.authorization.k8s.io "" is invalid: spec.resourceAttributes: ${message}`, { group: 'authorization.k8s.io', causes: [{ reason: 'FieldValueInvalid', message, field: 'spec.resourceAttributes' }] }) };
  }
  let allowed: boolean, reason: string | undefined;
  if (!rules) allowed = true;
  else if (nonRes) { allowed = nonRes.verb === 'get' && urlAllowed(DISCOVERY_URLS, nonRes.path ?? ''); reason = allowed ? DISCOVERY_REASON : undefined; }
  else { allowed = rules.some((r) => ruleAllows(r, res!)); reason = allowed ? 'RBAC: allowed by the user\'s role' : undefined; }
  const apiVersion = `authorization.k8s.io/${version}`;
  const echoed = res ? { resourceAttributes: dropEmpty(res) } : { nonResourceAttributes: dropEmpty(nonRes!) };
  return {
    code: 201,
    body: {
      kind: 'SelfSubjectAccessReview', apiVersion,
      metadata: { creationTimestamp: null, managedFields: [{ manager, operation: 'Update', apiVersion, time: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': {} } }] },
      spec: echoed, status: { allowed, ...(reason ? { reason } : {}) },
    },
  };
}

/** The answer to POST .../selfsubjectrulesreviews: the user's rules that apply in the namespace, and discovery. */
export function rulesReview(version: string, review: Review, rules: RbacRule[] | undefined): { code: number; body: unknown } {
  const ns = review.spec?.namespace;
  const own = (rules ?? [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }]).filter((r) => !r.namespaces || (ns !== undefined && r.namespaces.includes(ns)));
  return {
    code: 201,
    body: {
      kind: 'SelfSubjectRulesReview', apiVersion: `authorization.k8s.io/${version}`, metadata: { creationTimestamp: null }, spec: {},
      status: {
        resourceRules: [{ verbs: ['create'], apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'] },
          ...own.map((r) => ({ verbs: r.verbs, apiGroups: r.apiGroups, resources: r.resources, ...(r.resourceNames ? { resourceNames: r.resourceNames } : {}) }))],
        nonResourceRules: [{ verbs: ['get'], nonResourceURLs: DISCOVERY_URLS }, { verbs: ['get'], nonResourceURLs: PUBLIC_URLS }],
        incomplete: false,
      },
    },
  };
}
