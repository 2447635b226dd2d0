// One generator per authorization attribute: how istiod turns a value of a rule field or `when` key into an Envoy
// RBAC permission or principal. A generator throws when the attribute cannot be used there (an HTTP-only attribute
// on a TCP filter chain, a bad IP or port); the caller decides what that means for the rule.
import {
  cidrRange, containsPathTemplate, headerMatcher, headerMatcherWithRegex, metadataListOrValueMatcher, metadataMatcher,
  orValueMatcher, pathMatcher, pathTemplate, prefixMatcher, regexMatcher, stringMatcher, stringMatcherWithPrefix,
  stringOrValueMatcher, suffixMatcher, exactMatcher, type Json,
} from './matchers.js';

export interface Generator {
  /** Single-value generators: one permission or principal per value, OR-ed by the caller. */
  permission?(key: string, value: string, forTCP: boolean): Json;
  principal?(key: string, value: string, forTCP: boolean): Json;
  /** Extended generators: all values at once. */
  extendedPermission?(key: string, values: string[], forTCP: boolean): Json | undefined;
  extendedPrincipal?(key: string, values: string[], forTCP: boolean): Json | undefined;
}

export const SPIFFE = 'spiffe://';
const JWT_FILTER = 'envoy.filters.http.jwt_authn';
const JWT_PAYLOAD = 'payload';

/** Go's regexp.QuoteMeta. */
export function quoteMeta(s: string): string { return s.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&'); }

const unimplemented = (): never => { throw new Error('unimplemented'); };
const httpOnly = (key: string, forTCP: boolean) => { if (forTCP) throw new Error(`"${key}" is HTTP only`); };
const authenticated = (m: Json): Json => ({ authenticated: { principalName: m } });

export function principalAnd(ids: Json[]): Json { return { andIds: { ids } }; }
export function principalOr(ids: Json[]): Json { return { orIds: { ids } }; }
export function principalNot(id: Json): Json { return { notId: id }; }
export function permissionAnd(rules: Json[]): Json { return { andRules: { rules } }; }
export function permissionOr(rules: Json[]): Json { return { orRules: { rules } }; }
export function permissionNot(rule: Json): Json { return { notRule: rule }; }

function port(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) > 65535) throw new Error(`invalid port ${JSON.stringify(value)}`);
  return Number(value);
}

/** `[a][b]` → ['a', 'b']; `[a]` → ['a']. */
export function namesInBrackets(s: string, nested: boolean): string[] {
  const m = /^\[(.+)\]$/.exec(s);
  if (!m) throw new Error(`expecting [name], found ${JSON.stringify(s)}`);
  if (!nested) return [m[1]!];
  const parts = m[1]!.split('][');
  if (parts.some((p) => p === '' || p.includes('[') || p.includes(']'))) throw new Error(`invalid nested name ${JSON.stringify(s)}`);
  return parts;
}

function jwtClaim(claim: string, m: Json): Json { return { metadata: metadataMatcher(JWT_FILTER, [JWT_PAYLOAD, claim], { stringMatch: m }) }; }

export const destIP: Generator = { permission: (_k, v) => ({ destinationIp: cidrRange(v) }), principal: unimplemented };
export const destPort: Generator = { permission: (_k, v) => ({ destinationPort: port(v) }), principal: unimplemented };
export const connSNI: Generator = { permission: (_k, v) => ({ requestedServerName: stringMatcher(v) }), principal: unimplemented };

export const envoyFilter: Generator = {
  extendedPermission(key, values) {
    const parts = key.replace(/^experimental\./, '').replace(/\]$/, '').split('[');
    if (parts.length < 2) throw new Error(`invalid key: ${key}`);
    const filter = parts[0]!;
    const rest = parts.slice(1).join('[');
    const matchers = values.map((v) => (v.startsWith('[') && v.endsWith(']')
      ? { listMatch: { oneOf: { stringMatch: stringMatcher(v.replace(/^\[+|\]+$/g, '')) } } }
      : { stringMatch: stringMatcher(v) }));
    return { metadata: metadataMatcher(filter, [rest], orValueMatcher(matchers)) };
  },
  extendedPrincipal: unimplemented,
};

export const srcIP: Generator = { permission: unimplemented, principal: (_k, v) => ({ directRemoteIp: cidrRange(v) }) };
export const remoteIP: Generator = { permission: unimplemented, principal: (_k, v) => ({ remoteIp: cidrRange(v) }) };

export const srcNamespace: Generator = {
  permission: unimplemented,
  principal: (_k, v) => authenticated(regexMatcher(`.*/ns/${quoteMeta(v).replaceAll('\\*', '.*')}/.*`)),
};

/** `sa` (in the policy's namespace) or `ns/sa`. */
export function serviceAccountRegex(defaultNamespace: string, value: string): string {
  const i = value.indexOf('/');
  const [ns, sa] = i < 0 ? [defaultNamespace, value] : [value.slice(0, i), value.slice(i + 1)];
  return `spiffe://.+/ns/${ns}/(.+/|)sa/${sa}(/.+)?`;
}

export function srcServiceAccount(policyNamespace: string): Generator {
  return { permission: unimplemented, principal: (_k, v) => authenticated(regexMatcher(serviceAccountRegex(policyNamespace, v))) };
}

export const srcPrincipal: Generator = { permission: unimplemented, principal: (_k, v) => authenticated(stringMatcherWithPrefix(v, SPIFFE)) };

export const srcTrustDomain: Generator = {
  permission: unimplemented,
  principal: (_k, v) => authenticated(v.includes('*') ? regexMatcher(`${SPIFFE}${v.replaceAll('*', '[^/]*')}/.*`) : prefixMatcher(`${SPIFFE}${v}/`)),
};

const ANY = regexMatcher('.+');

export const requestPrincipal: Generator = {
  extendedPermission: unimplemented,
  extendedPrincipal(key, values, forTCP) {
    httpOnly(key, forTCP);
    const or = values.map((value) => {
      const idx = value.lastIndexOf('/');
      const found = idx >= 0;
      const [iss, sub] = found ? [value.slice(0, idx), value.slice(idx + 1)] : [value, ''];
      let mIss: Json;
      let mSub: Json;
      if (value === '*') [mIss, mSub] = [ANY, ANY];
      else if (value.startsWith('*')) {
        if (found) [mIss, mSub] = [iss === '*' ? ANY : suffixMatcher(iss.slice(1)), exactMatcher(sub)];
        else [mIss, mSub] = [ANY, suffixMatcher(value.slice(1))];
      } else if (value.endsWith('*')) {
        if (found) [mIss, mSub] = [exactMatcher(iss), sub === '*' ? ANY : prefixMatcher(sub.slice(0, -1))];
        else [mIss, mSub] = [prefixMatcher(value.slice(0, -1)), ANY];
      } else [mIss, mSub] = [exactMatcher(iss), exactMatcher(sub)];
      return principalAnd([jwtClaim('iss', mIss), jwtClaim('sub', mSub)]);
    });
    if (or.length === 0) return undefined;
    return or.length === 1 ? or[0] : principalOr(or);
  },
};

function claimsGenerator(claims: (key: string) => string[]): Generator {
  return {
    extendedPermission: unimplemented,
    extendedPrincipal(key, values, forTCP) {
      httpOnly(key, forTCP);
      return { metadata: metadataListOrValueMatcher(JWT_FILTER, [JWT_PAYLOAD, ...claims(key)], stringOrValueMatcher(values)) };
    },
  };
}

export const requestAudiences = claimsGenerator(() => ['aud']);
export const requestPresenter = claimsGenerator(() => ['azp']);
export const requestClaims = claimsGenerator((key) => namesInBrackets(key.slice('request.auth.claims'.length), true));

export const requestHeader: Generator = {
  permission: unimplemented,
  principal(key, v, forTCP) {
    httpOnly(key, forTCP);
    return { header: headerMatcher(namesInBrackets(key.slice('request.headers'.length), false)[0]!, v) };
  },
};

export const requestInlineHeader: Generator = {
  permission: unimplemented,
  principal(key, v, forTCP) {
    httpOnly(key, forTCP);
    return { header: headerMatcherWithRegex(namesInBrackets(key.slice('request.experimental.inline.headers'.length), false)[0]!, v) };
  },
};

export const host: Generator = {
  permission(key, v, forTCP) { httpOnly(key, forTCP); return { header: headerMatcher(':authority', v, true) }; },
  principal: unimplemented,
};

export const path: Generator = {
  permission(key, v, forTCP) {
    httpOnly(key, forTCP);
    if (containsPathTemplate(v)) {
      return { uriTemplate: { name: 'uri-template', typedConfig: { '@type': 'type.googleapis.com/envoy.extensions.path.match.uri_template.v3.UriTemplateMatchConfig', pathTemplate: pathTemplate(v) } } };
    }
    return { urlPath: pathMatcher(v) };
  },
  principal: unimplemented,
};

export const method: Generator = {
  permission(key, v, forTCP) { httpOnly(key, forTCP); return { header: headerMatcher(':method', v) }; },
  principal: unimplemented,
};

export { stringMatcher };
