// Self-signed TLS material for the test API server, made once per process with the openssl CLI.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TlsMaterial { cert: string; key: string }

let cached: TlsMaterial | undefined;

/** A P-256 certificate for 127.0.0.1 and localhost that also serves as its own CA. */
export function testCertificate(): TlsMaterial {
  if (cached) return cached;
  const dir = mkdtempSync(join(tmpdir(), 'meshscope-tls-'));
  try {
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '2', '-subj', '/CN=meshscope-test-apiserver',
      '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost', '-addext', 'basicConstraints=critical,CA:TRUE',
    ], { stdio: 'pipe' });
    cached = { cert: readFileSync(join(dir, 'cert.pem'), 'utf8'), key: readFileSync(join(dir, 'key.pem'), 'utf8') };
    return cached;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
