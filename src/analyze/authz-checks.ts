// The authorization and mTLS checks, registered together.
import type { Check } from './types.js';
import { authzPoliciesCheck } from './authz-policies.js';
import { authzPrincipalSaCheck } from './authz-principal-sa.js';
import { authzHostMatchCheck } from './authz-host-match.js';
import { authzDenyShadowsAllowCheck } from './authz-deny-shadows-allow.js';
import { authzAllowNothingCheck } from './authz-allow-nothing.js';
import { mtlsMismatchCheck } from './mtls-mismatch.js';
import { authzDriftCheck } from './authz-drift.js';
import { authzDeniedRequestsCheck } from './authz-denied-requests.js';

export const AUTHZ_CHECKS: Check[] = [
  authzPoliciesCheck, authzPrincipalSaCheck, authzHostMatchCheck, authzDenyShadowsAllowCheck, authzAllowNothingCheck,
  mtlsMismatchCheck, authzDriftCheck, authzDeniedRequestsCheck,
];
