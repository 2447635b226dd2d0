// Tests fail closed: a missing conformance corpus is a failure that names it, never a skip (CI has ../shared).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CORPUS_ROOT, requireCorpus } from './support/paths.js';

test('a missing corpus fails with a message naming it and what it is for', () => {
  assert.throws(() => requireCorpus('/nonexistent/shared/conformance/crds', 'the CRD manifests'), {
    message: 'the conformance corpus /nonexistent/shared/conformance/crds is missing (the CRD manifests); it lives next to the repository as ../shared/conformance',
  });
});

test('the corpus is here', () => {
  requireCorpus(CORPUS_ROOT, 'every conformance test');
});
