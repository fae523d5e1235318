import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { ClusterRegistry } from '../src/index.js';

// A CA, a server certificate for 127.0.0.1 signed by it, and an unrelated CA (test fixtures, valid for 100 years).
const fixtures = join(import.meta.dirname, 'fixtures', 'tls');
const pem = (file: string) => readFileSync(join(fixtures, file));

let server: Server;
let url: string;
let connections = 0;
const authorizations: Array<string | undefined> = [];

beforeAll(async () => {
  server = createServer({ key: pem('server.key'), cert: pem('server.crt') }, (req, res) => {
    authorizations.push(req.headers.authorization);
    res.setHeader('Content-Type', 'application/json');
    if (req.url === '/version')
      res.end(JSON.stringify({ gitVersion: 'v1.32.0-tls', major: '1', minor: '32' }));
    else if (req.url === '/apis') res.end(JSON.stringify({ kind: 'APIGroupList', groups: [] }));
    else {
      res.statusCode = 404;
      res.end(JSON.stringify({ kind: 'Status', status: 'Failure', reason: 'NotFound', code: 404 }));
    }
  });
  server.on('connection', () => connections++);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

function kubeconfig(cluster: Record<string, unknown>): string {
  return stringify({
    clusters: [{ name: 'c', cluster: { server: url, ...cluster } }],
    users: [{ name: 'u', user: { token: 'tls-token' } }],
    contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }],
    'current-context': 'x',
  });
}

describe('talking to a TLS API server', () => {
  it('verifies the server against certificate-authority-data and keeps one connection alive', async () => {
    const registry = new ClusterRegistry();
    registry.register('tls', {
      type: 'kubeconfig',
      kubeconfig: kubeconfig({ 'certificate-authority-data': pem('ca.crt').toString('base64') }),
    });
    const before = connections;
    const report = await registry.testConnection('tls');
    expect(report.version?.gitVersion).toBe('v1.32.0-tls');
    // Verified, authenticated, and (this fake has no Istio) the kinds reported missing.
    expect(report.error?.code).toBe('KUBE_ISTIO_MISSING');
    expect(authorizations.at(-1)).toBe('Bearer tls-token');
    expect(authorizations.length).toBeGreaterThanOrEqual(4);
    expect(connections - before).toBe(1);
    await registry.close();
  });

  it('refuses a server its CA did not sign, saying it is a TLS problem', async () => {
    const registry = new ClusterRegistry();
    registry.register('wrong-ca', {
      type: 'kubeconfig',
      kubeconfig: kubeconfig({ 'certificate-authority-data': pem('other-ca.crt').toString('base64') }),
    });
    const report = await registry.testConnection('wrong-ca');
    expect(report.ok).toBe(false);
    expect(report.error?.code).toBe('KUBE_TLS_ERROR');
    expect(report.error?.message).toMatch(/^TLS verification of https:\/\/127\.0\.0\.1:\d+ failed \(/);
    await registry.close();
  });

  it('skips verification only when the kubeconfig says insecure-skip-tls-verify', async () => {
    const registry = new ClusterRegistry();
    registry.register('insecure', {
      type: 'kubeconfig',
      kubeconfig: kubeconfig({ 'insecure-skip-tls-verify': true }),
    });
    expect((await registry.testConnection('insecure')).version?.gitVersion).toBe('v1.32.0-tls');
    await registry.close();
  });
});
