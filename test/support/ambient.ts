// The recorded objects of an ambient cluster (../shared/conformance/kube-apiserver/10-cluster-b-ambient).
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { repoRoot } from './paths.js';
import type { KubeObject } from '../../src/model/resources.js';

export const AMBIENT_RECORDINGS = resolve(repoRoot, '../shared/conformance/kube-apiserver/10-cluster-b-ambient');

/** The objects of one recorded API answer (a List or one object); list items get `kind`. */
export function recorded(file: string, kind?: string): KubeObject[] {
  const ex = JSON.parse(readFileSync(join(AMBIENT_RECORDINGS, file), 'utf8')) as { response: { body: unknown } };
  const body = (typeof ex.response.body === 'string' ? JSON.parse(ex.response.body) : ex.response.body) as { items?: KubeObject[] } & KubeObject;
  return (body.items ?? [body]).map((o) => ({ ...o, kind: o.kind ?? kind ?? '', apiVersion: o.apiVersion ?? 'v1' }));
}
