// Envoy matchers (type.matcher.v3, config.route.v3.HeaderMatcher, core.v3.CidrRange) as istiod writes them for
// authorization policies, in protobuf-JSON form with proto3 defaults left out.

export type Json = { [key: string]: unknown };

export function regexMatcher(regex: string): Json { return { safeRegex: { regex } }; }

function withCase(m: Json, ignoreCase: boolean): Json { return ignoreCase ? { ...m, ignoreCase: true } : m; }

export function exactMatcher(exact: string, ignoreCase = false): Json { return withCase({ exact }, ignoreCase); }
export function prefixMatcher(prefix: string, ignoreCase = false): Json { return withCase({ prefix }, ignoreCase); }
export function suffixMatcher(suffix: string, ignoreCase = false): Json { return withCase({ suffix }, ignoreCase); }

/** A string matcher for an Istio value with `*` at either end; `prefix` is put before the value (not for `*`). */
export function stringMatcherWithPrefix(v: string, prefix = ''): Json {
  if (v === '*') return regexMatcher('.+');
  if (v.startsWith('*')) return prefix === '' ? suffixMatcher(v.slice(1)) : regexMatcher(`${prefix}.*${v.slice(1)}`);
  if (v.endsWith('*')) return prefixMatcher(prefix + v.slice(0, -1));
  return exactMatcher(prefix + v);
}

export function stringMatcher(v: string): Json { return stringMatcherWithPrefix(v, ''); }

/** ValueMatchers OR-ed together; a single one stands alone. */
export function orValueMatcher(matchers: Json[]): Json {
  return matchers.length === 1 ? matchers[0]! : { orMatch: { valueMatchers: matchers } };
}

export function stringOrValueMatcher(values: string[]): Json {
  return orValueMatcher(values.map((v) => ({ stringMatch: stringMatcher(v) })));
}

/** A header matcher: `*` is presence, `*x` suffix, `x*` prefix, else exact. */
export function headerMatcher(name: string, v: string, ignoreCase = false): Json {
  if (v === '*') return { name, presentMatch: true };
  if (v.startsWith('*')) return { name, stringMatch: suffixMatcher(v.slice(1), ignoreCase) };
  if (v.endsWith('*')) return { name, stringMatch: prefixMatcher(v.slice(0, -1), ignoreCase) };
  return { name, stringMatch: exactMatcher(v, ignoreCase) };
}

function quoteMeta(s: string): string { return s.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&'); }

/** A header matcher that also finds the value inside a comma-separated header (RFC 7230). */
export function headerMatcherWithRegex(name: string, v: string): Json {
  if (v === '*') return { name, presentMatch: true };
  const r = v.startsWith('*') ? `.*${quoteMeta(v.slice(1))}` : v.endsWith('*') ? `${quoteMeta(v.slice(0, -1))}.*` : quoteMeta(v);
  return { name, safeRegexMatch: { regex: `^${r}$|^${r},.*|.*,${r},.*|.*,${r}$` } };
}

export function pathMatcher(path: string): Json { return { path: stringMatcher(path) }; }

export function containsPathTemplate(path: string): boolean { return path.includes('{*}') || path.includes('{**}'); }

export function pathTemplate(path: string): string { return path.replaceAll('{**}', '**').replaceAll('{*}', '*'); }

/** `10.0.0.1` → /32, `fd00::1` → /128, `10.0.0.0/8` as written. Throws on anything else. */
export function cidrRange(value: string): Json {
  const [addr, len, ...rest] = value.split('/');
  const v6 = (addr ?? '').includes(':');
  const ok = v6 ? /^[0-9a-fA-F:.]+$/.test(addr ?? '') : /^\d{1,3}(\.\d{1,3}){3}$/.test(addr ?? '') && (addr ?? '').split('.').every((o) => Number(o) <= 255);
  if (!ok || rest.length > 0) throw new Error(`invalid IP address ${JSON.stringify(value)}`);
  const max = v6 ? 128 : 32;
  const prefixLen = len === undefined ? max : Number(len);
  if (!Number.isInteger(prefixLen) || prefixLen < 0 || prefixLen > max || (len !== undefined && !/^\d+$/.test(len))) throw new Error(`invalid prefix length in ${JSON.stringify(value)}`);
  return { addressPrefix: addr, prefixLen };
}

export function metadataMatcher(filter: string, keys: string[], value: Json): Json {
  return { filter, path: keys.map((key) => ({ key })), value };
}

/** Matches a metadata value that is either a list with one element matching, or the value itself. */
export function metadataListOrValueMatcher(filter: string, keys: string[], value: Json): Json {
  return metadataMatcher(filter, keys, { orMatch: { valueMatchers: [{ listMatch: { oneOf: value } }, value] } });
}
