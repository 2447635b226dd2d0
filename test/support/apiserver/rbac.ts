// RBAC of the test API server: per user, a rule list like a ClusterRole (or a Role when `namespaces` is set).
// Requests outside it get 403 with a Kubernetes Status. Discovery (/api, /apis, /version) and
// SelfSubjectAccessReview are open to every authenticated user, as the system:discovery and system:basic-user roles do.
import type { RequestInfo } from './faults.js';

export interface RbacRule {
  /** get, list, watch, patch, update, create, delete, or '*'. */
  verbs: string[];
  /** '' for the core group, or '*'. */
  apiGroups: string[];
  /** plural, 'pods/portforward', 'services/proxy', or '*'. */
  resources: string[];
  /** Only these object names (as in the URL, e.g. 'istiod:15014' for a service proxy). */
  resourceNames?: string[];
  /** A Role: only in these namespaces. Unset: cluster-wide (ClusterRole + ClusterRoleBinding). */
  namespaces?: string[];
}

/** The attributes RBAC decides on (what a SelfSubjectAccessReview's resourceAttributes hold). */
export interface AccessAttributes { verb: string; group?: string; resource?: string; subresource?: string; namespace?: string; name?: string }

const has = (list: string[], v: string) => list.includes('*') || list.includes(v);

export function ruleAllows(r: RbacRule, a: AccessAttributes): boolean {
  const res = a.subresource ? `${a.resource}/${a.subresource}` : a.resource ?? '';
  if (!has(r.verbs, a.verb) || !has(r.apiGroups, a.group ?? '') || !has(r.resources, res)) return false;
  if (r.resourceNames && (!a.name || !r.resourceNames.includes(a.name))) return false;
  if (r.namespaces && (!a.namespace || !r.namespaces.includes(a.namespace))) return false;
  return true;
}

/** Whether `rules` allow the request. Non-resource URLs and self-subject reviews are always allowed. */
export function rbacAllows(rules: RbacRule[], info: RequestInfo): boolean {
  if (!info.resource) return true;
  if (info.group === 'authorization.k8s.io' && info.verb === 'create' && /^selfsubject/.test(info.resource)) return true;
  return rules.some((r) => ruleAllows(r, info));
}
