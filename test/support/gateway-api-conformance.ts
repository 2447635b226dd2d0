// Replays the Gateway API conformance corpus (../shared/conformance/gateway-api): builds each test's objects as the
// README says and scores a trace's intent against each request's expectation.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../../src/model/resources.js';
import type { GatewayApiIntent } from '../../src/trace/gateway-api.js';
import { repoRoot } from './paths.js';

export const GATEWAY_API_CORPUS = resolve(repoRoot, '../shared/conformance/gateway-api');
const CLASS = 'gateway-conformance';

export interface CorpusTest { dir: string; name: string; expected: any }

export function corpusTests(): CorpusTest[] {
  const out: CorpusTest[] = [];
  const walk = (dir: string, prefix: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (!e.isDirectory()) continue;
      const d = join(dir, e.name);
      if (existsSync(join(d, 'expected.json'))) out.push({ dir: d, name: `${prefix}${e.name}`, expected: JSON.parse(readFileSync(join(d, 'expected.json'), 'utf8')) });
      else walk(d, `${prefix}${e.name}/`);
    }
  };
  walk(join(GATEWAY_API_CORPUS, 'tests'), '');
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

function docs(file: string): KubeObject[] {
  const text = readFileSync(file, 'utf8').replaceAll('{GATEWAY_CLASS_NAME}', CLASS);
  return parseAllDocuments(text).map((d) => d.toJS()).filter((o) => o && typeof o === 'object' && o.kind && o.kind !== 'Secret');
}

const key = (o: { kind: string; name?: string; namespace?: string; metadata?: { name: string; namespace?: string } }) =>
  `${o.kind}/${o.metadata?.namespace ?? o.namespace ?? ''}/${o.metadata?.name ?? o.name}`;

/** The objects of one test: base manifests, the test's own, a GatewayClass, run-time creations in order. */
export function corpusObjects(t: CorpusTest): KubeObject[] {
  const objs = [
    ...docs(join(GATEWAY_API_CORPUS, 'base/manifests.yaml')),
    ...docs(join(GATEWAY_API_CORPUS, 'base/mesh/manifests.yaml')),
    ...(t.expected.manifestFiles ?? []).flatMap((f: string) => docs(join(t.dir, f))),
    { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: CLASS }, spec: { controllerName: 'istio.io/gateway-controller' } },
  ] as KubeObject[];
  const applied = (t.expected.mutate?.apply ?? []) as KubeObject[];
  const order = (t.expected.mutate?.creationOrder ?? []) as string[];
  applied.forEach((o, i) => {
    const idx = order.findIndex((n) => n.endsWith(o.metadata.name));
    o.metadata.creationTimestamp = new Date(Date.UTC(2030, 0, 1, 0, 0, (idx >= 0 ? idx : i) + 1)).toISOString();
    objs.push(o);
  });
  return objs;
}

export function withoutDeleted(objs: KubeObject[], mutate: { delete?: any[] } | undefined): KubeObject[] {
  const gone = new Set((mutate?.delete ?? []).map(key));
  return gone.size ? objs.filter((o) => !gone.has(key(o))) : objs;
}

/** Why a predicted intent does not meet the request's expectation ([] when it does). */
export function scoreIntent(intent: GatewayApiIntent, expect: any): string[] {
  const problems: string[] = [];
  const routed = intent.verdict === 'routed';
  if (expect.rejected) {
    if (routed) problems.push('routed, expected rejected');
    return problems;
  }
  const want = expect.status;
  const status = intent.status ?? (routed ? 200 : intent.verdict === 'no-route' ? 404 : intent.verdict === 'denied' ? 403 : intent.verdict === 'error' ? 500 : 200);
  if (want === null || want === 101) { if (!routed) problems.push(`${intent.verdict}, expected routed`); }
  else {
    const codes = Array.isArray(want) ? want : [want];
    if (!codes.includes(intent.status === null && routed ? 200 : status)) problems.push(`status ${status}, expected ${codes.join('|')}`);
  }
  const live = intent.destinations.filter((d) => d.weight > 0 || intent.destinations.length === 1);
  if (expect.reachesBackend === false && intent.destinations.length) problems.push('has destinations, expected none');
  const reaches = routed && (want === null || want === 101 || (Array.isArray(want) ? want : [want]).some((c: number) => c === 200 || c === 204));
  if (reaches && expect.weights) {
    const total = live.reduce((s, d) => s + d.weight, 0);
    for (const [svc, share] of Object.entries(expect.weights as Record<string, number>)) {
      const got = live.filter((d) => d.service === svc).reduce((s, d) => s + d.weight, 0) / (total || 1);
      if (Math.abs(got - share) > 0.001) problems.push(`${svc} share ${got.toFixed(3)}, expected ${share}`);
    }
  } else if (reaches) {
    const svc = expect.viaService ?? expect.backend;
    for (const d of live) {
      if (svc && d.service !== svc) problems.push(`destination ${d.service ?? d.host}, expected ${svc}`);
      if (expect.namespace && d.namespace !== expect.namespace) problems.push(`namespace ${d.namespace}, expected ${expect.namespace}`);
    }
    if (expect.backendOneOf) for (const d of live) if (!expect.backendOneOf.includes(d.service)) problems.push(`destination ${d.service} not one of ${expect.backendOneOf.join(', ')}`);
  }
  if (intent.redirect && expect.redirect) {
    const r = expect.redirect;
    if (r.scheme && r.scheme !== intent.redirect.scheme) problems.push(`redirect scheme ${intent.redirect.scheme}, expected ${r.scheme}`);
    if (r.host && r.host !== intent.redirect.host) problems.push(`redirect host ${intent.redirect.host}, expected ${r.host}`);
    if (r.path && r.path !== intent.redirect.path) problems.push(`redirect path ${intent.redirect.path}, expected ${r.path}`);
    if ((r.port === null || r.port === undefined ? null : Number(r.port)) !== (intent.redirect.port ?? null)) problems.push(`redirect port ${intent.redirect.port}, expected ${r.port}`);
  }
  if (intent.rewrite && expect.rewrite) {
    if (expect.rewrite.path && expect.rewrite.path !== intent.rewrite.path) problems.push(`rewrite path ${intent.rewrite.path}, expected ${expect.rewrite.path}`);
    if (expect.rewrite.host && expect.rewrite.host !== intent.rewrite.host) problems.push(`rewrite host ${intent.rewrite.host}, expected ${expect.rewrite.host}`);
  }
  return problems;
}
