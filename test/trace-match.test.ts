// Unit tests of the trace matchers: Istio StringMatch / HTTPMatchRequest / L4, Envoy domains, routes, filter chains.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  gatewayHostMatch, hostWithoutPort, httpMatchFailures, inCidr, l4MatchFailures, stringMatch, type RequestView,
} from '../src/trace/match-istio.js';
import {
  domainMatch, filterChainMatchFailure, headerMatchFailure, pathMatchFailure, routeMatchFailures, selectVirtualHost,
} from '../src/trace/match-envoy.js';
import type { EnvoyRoute, EnvoyVirtualHost } from '../src/model/envoy/types.js';

function view(over: Partial<RequestView> = {}): RequestView {
  return {
    authority: 'reviews', path: '/api/v1/items', query: { page: '2' }, method: 'GET', scheme: 'http',
    headers: { 'end-user': 'jason', ':authority': 'reviews', host: 'reviews', ':path': '/api/v1/items?page=2', ':method': 'GET' },
    port: 9080, sourceLabels: { app: 'productpage', version: 'v1' }, sourceNamespace: 'default', gateways: ['mesh'], ...over,
  };
}

test('Istio StringMatch: exact, prefix, regex (full match), presence, ignore case', () => {
  assert.equal(stringMatch({ exact: '/a' }, '/a'), true);
  assert.equal(stringMatch({ exact: '/a' }, '/ab'), false);
  assert.equal(stringMatch({ prefix: '/api' }, '/api/v1'), true);
  assert.equal(stringMatch({ prefix: '/api' }, '/ap'), false);
  assert.equal(stringMatch({ regex: '/api/v[0-9]+/.*' }, '/api/v1/items'), true);
  assert.equal(stringMatch({ regex: 'v1' }, '/api/v1/items'), false, 'RE2 regex must match the whole value');
  assert.equal(stringMatch({}, 'anything'), true, 'an empty match means present');
  assert.equal(stringMatch({}, undefined), false);
  assert.equal(stringMatch({ prefix: '/API' }, '/api/x', true), true);
  assert.equal(stringMatch({ regex: '(' }, '('), false, 'an invalid regex never matches');
});

test('HTTPMatchRequest: every failing condition is named', () => {
  assert.deepEqual(httpMatchFailures({ headers: { 'end-user': { exact: 'jason' } } }, view(), 'default'), []);
  assert.deepEqual(httpMatchFailures({ headers: { 'end-user': { exact: 'jason' } } }, view({ headers: {} }), 'default'),
    ['header end-user (absent) ≠ exact "jason"']);
  const fails = httpMatchFailures({
    uri: { prefix: '/ratings' }, method: { exact: 'POST' }, port: 80, sourceLabels: { app: 'reviews' }, gateways: ['istio-system/gw'],
  }, view(), 'default');
  assert.deepEqual(fails, [
    'uri "/api/v1/items" ≠ prefix "/ratings"', 'method "GET" ≠ exact "POST"', 'port 9080 ≠ 80',
    'sourceLabels app=reviews, source has app=productpage', 'gateways [istio-system/gw] do not include mesh',
  ]);
  assert.deepEqual(httpMatchFailures({ uri: { exact: '/API/V1/ITEMS' }, ignoreUriCase: true }, view(), 'default'), []);
  assert.deepEqual(httpMatchFailures({ uri: { regex: '/api/.*' }, queryParams: { page: { exact: '2' } } }, view(), 'default'), []);
  assert.deepEqual(httpMatchFailures({ queryParams: { page: { exact: '3' } } }, view(), 'default'), ['query page "2" ≠ exact "3"']);
  assert.equal(httpMatchFailures({ withoutHeaders: { 'end-user': { exact: 'jason' } } }, view(), 'default').length, 1);
  assert.deepEqual(httpMatchFailures({ gateways: ['mesh'] }, view(), 'default'), []);
  assert.deepEqual(httpMatchFailures({ gateways: ['gw'] }, view({ gateways: ['default/gw'] }), 'default'), [], 'short gateway names resolve in the VirtualService namespace');
  assert.deepEqual(httpMatchFailures({ authority: { exact: 'a.nginx.com' } }, view({ authority: 'b.nginx.com' }), 'default'), ['authority "b.nginx.com" ≠ exact "a.nginx.com"']);
});

test('L4 / TLS match attributes and CIDRs', () => {
  assert.deepEqual(l4MatchFailures({ port: 31400 }, view({ port: 31400 }), 'default'), []);
  assert.deepEqual(l4MatchFailures({ port: 31400 }, view({ port: 9000 }), 'default'), ['port 9000 ≠ 31400']);
  assert.deepEqual(l4MatchFailures({ destinationSubnets: ['10.96.0.0/16'] }, view(), 'default', '10.96.150.3'), []);
  assert.equal(l4MatchFailures({ destinationSubnets: ['10.96.0.0/16'] }, view(), 'default', '10.97.0.1').length, 1);
  assert.deepEqual(l4MatchFailures({ sniHosts: ['*.global'] }, view({ sni: 'outbound_.9080_.v2_.reviews.default.global' }), 'default'), []);
  assert.equal(l4MatchFailures({ sniHosts: ['a.com'] }, view(), 'default')[0], 'sniHosts a.com: the request has no SNI');
  assert.equal(inCidr('172.29.2.201', '172.29.0.0/16'), true);
  assert.equal(inCidr('172.30.2.201', '172.29.0.0/16'), false);
  assert.equal(inCidr('1.2.3.4', '0.0.0.0/0'), true);
});

test('Gateway server hosts: exact and wildcard; Host header port stripping', () => {
  assert.equal(gatewayHostMatch('b.nginx.com', 'b.nginx.com'), 'exact');
  assert.equal(gatewayHostMatch('*.nginx.com', 'b.nginx.com'), 'wildcard');
  assert.equal(gatewayHostMatch('*', 'anything.example'), 'wildcard');
  assert.equal(gatewayHostMatch('a.nginx.com', 'b.nginx.com'), undefined);
  assert.equal(gatewayHostMatch('*.global', 'outbound_.9080_.v2_.reviews.default.global'), 'wildcard');
  assert.equal(hostWithoutPort('reviews:9080'), 'reviews');
  assert.equal(hostWithoutPort('[::1]:80'), '[::1]');
  assert.equal(hostWithoutPort('reviews'), 'reviews');
});

test('Envoy domains: exact, *suffix, prefix*, * (wildcards cover at least one character)', () => {
  assert.equal(domainMatch('reviews', 'reviews'), 'exact');
  assert.equal(domainMatch('REVIEWS.default', 'reviews.default'), 'exact');
  assert.equal(domainMatch('*.nginx.com', 'b.nginx.com'), 'suffix');
  assert.equal(domainMatch('*.nginx.com', '.nginx.com'), undefined);
  assert.equal(domainMatch('*-svc.example', 'a-svc.example'), 'suffix');
  assert.equal(domainMatch('reviews*', 'reviews:9080'), 'prefix');
  assert.equal(domainMatch('reviews*', 'reviews'), undefined);
  assert.equal(domainMatch('*', 'x'), 'any');
  assert.equal(domainMatch('reviews:9080', 'reviews'), undefined);
});

test('Envoy virtual host selection: exact > longest suffix > longest prefix > *', () => {
  const vh = (name: string, ...domains: string[]): EnvoyVirtualHost => ({ name, domains, routes: [] });
  const hosts = [vh('any', '*'), vh('prefix', 'api*'), vh('short-suffix', '*.com'), vh('long-suffix', '*.example.com'), vh('exact', 'api.example.com', 'api.example.com:80')];
  assert.equal(selectVirtualHost(hosts, 'api.example.com').vhost?.name, 'exact');
  assert.equal(selectVirtualHost(hosts, 'api.example.com:80').vhost?.name, 'exact');
  assert.equal(selectVirtualHost(hosts, 'www.example.com').vhost?.name, 'long-suffix');
  assert.equal(selectVirtualHost(hosts, 'www.other.com').vhost?.name, 'short-suffix');
  assert.equal(selectVirtualHost(hosts, 'api.internal').vhost?.name, 'prefix');
  assert.equal(selectVirtualHost(hosts, 'db.internal').vhost?.name, 'any');
  const noAny = hosts.slice(1, 2);
  assert.equal(selectVirtualHost(noAny, 'db.internal').vhost, undefined);
  assert.equal(selectVirtualHost([vh('b', 'b.nginx.com')], 'b.nginx.com:80', true).vhost?.name, 'b', 'ignore_port_in_host_matching strips the port');
  assert.equal(selectVirtualHost([vh('b', 'b.nginx.com')], 'b.nginx.com:80', false).vhost, undefined);
});

function route(match: Record<string, unknown>): EnvoyRoute {
  return { match: { headers: [], ...(match as object) }, virtualService: '', action: 'route', raw: { match }, cluster: 'c' } as EnvoyRoute;
}

test('Envoy route match: prefix, path, safe_regex, path_separated_prefix, case sensitivity', () => {
  assert.equal(pathMatchFailure({ headers: [], prefix: '/api' }, '/api/v1'), undefined);
  assert.match(pathMatchFailure({ headers: [], prefix: '/ratings' }, '/api')!, /does not start with/);
  assert.equal(pathMatchFailure({ headers: [], path: '/api' }, '/api'), undefined);
  assert.ok(pathMatchFailure({ headers: [], path: '/api' }, '/api/'));
  assert.equal(pathMatchFailure({ headers: [], regex: '/api/v[0-9]+/.*' }, '/api/v1/items'), undefined);
  assert.ok(pathMatchFailure({ headers: [], regex: 'v1' }, '/api/v1'), 'safe_regex is a full match');
  assert.equal(pathMatchFailure({ headers: [], pathSeparatedPrefix: '/api' }, '/api/x'), undefined);
  assert.ok(pathMatchFailure({ headers: [], pathSeparatedPrefix: '/api' }, '/apix'));
  assert.equal(pathMatchFailure({ headers: [], prefix: '/API', caseSensitive: false }, '/api/x'), undefined);
  assert.ok(pathMatchFailure({ headers: [], prefix: '/API' }, '/api/x'));
});

test('Envoy header matchers: exact, string_match, present, invert, regex, pseudo-headers; query parameters', () => {
  const v = view();
  assert.equal(headerMatchFailure({ name: 'end-user', string_match: { exact: 'jason' } }, v), undefined);
  assert.equal(headerMatchFailure({ name: 'end-user', exact_match: 'jason' }, v), undefined);
  assert.equal(headerMatchFailure({ name: 'end-user', string_match: { exact: 'bob' } }, v), 'header end-user "jason" ≠ exact "bob"');
  assert.equal(headerMatchFailure({ name: 'x-missing', present_match: true }, v), 'header x-missing (absent) ≠ present');
  assert.equal(headerMatchFailure({ name: 'x-missing', present_match: true, invert_match: true }, v), undefined);
  assert.equal(headerMatchFailure({ name: 'end-user', safe_regex_match: { regex: 'ja.*' } }, v), undefined);
  assert.equal(headerMatchFailure({ name: 'end-user', string_match: { prefix: 'JA', ignore_case: true } }, v), undefined);
  assert.equal(headerMatchFailure({ name: ':authority', string_match: { exact: 'reviews' } }, v), undefined);
  assert.equal(headerMatchFailure({ name: ':method', string_match: { exact: 'POST' } }, v), 'header :method "GET" ≠ exact "POST"');
  assert.deepEqual(routeMatchFailures(route({ prefix: '/', headers: [{ name: 'end-user', string_match: { exact: 'jason' } }] }), v), []);
  assert.deepEqual(routeMatchFailures(route({ prefix: '/', query_parameters: [{ name: 'page', string_match: { exact: '3' } }] }), v), ['query page "2" ≠ exact "3"']);
  assert.deepEqual(routeMatchFailures(route({ prefix: '/x', headers: [{ name: 'end-user', string_match: { exact: 'bob' } }] }), v).length, 2);
});

test('Envoy filter chain match: port, prefix ranges, SNI, transport, ALPN', () => {
  const conn = { port: 15443, sni: 'outbound_.9080_.v2_.reviews.default.global', transport: 'tls', alpn: [] as string[] };
  assert.equal(filterChainMatchFailure({ server_names: ['*.global'] }, conn), undefined);
  assert.match(filterChainMatchFailure({ server_names: ['*.local'] }, conn)!, /SNI/);
  assert.match(filterChainMatchFailure({ destination_port: 15001 }, conn)!, /destination port/);
  assert.equal(filterChainMatchFailure({ transport_protocol: 'raw_buffer', application_protocols: ['http/1.1', 'h2c'] }, { port: 80, transport: 'raw_buffer', alpn: ['http/1.1'] }), undefined);
  assert.match(filterChainMatchFailure({ application_protocols: ['http/1.1'] }, { port: 80, transport: 'raw_buffer', alpn: [] })!, /application protocols/);
  assert.equal(filterChainMatchFailure({ prefix_ranges: [{ address_prefix: '10.96.0.0', prefix_len: 16 }] }, { port: 80, ip: '10.96.1.2', transport: 'raw_buffer', alpn: [] }), undefined);
});
