import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { ClusterRegistry, KubeError } from '../src/index.js';
import { startSandbox, type Sandbox } from './support/sandbox.js';

let sb: Sandbox;
let bare: Sandbox;
let fake: {
  server: Server;
  url: string;
  port: number;
  seen: Array<{ path: string; headers: IncomingHttpHeaders }>;
};
let closedPort: number;
let dir: string;

/** A tiny API server: public /version, /apis only with the right bearer token, no Istio groups. */
async function startRecordingServer(token: string): Promise<typeof fake> {
  const seen: typeof fake.seen = [];
  const server = createServer((req, res) => {
    seen.push({ path: req.url ?? '', headers: req.headers });
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.url === '/version') return json(200, { gitVersion: 'v1.31.0-fake', major: '1', minor: '31' });
    if (req.headers.authorization !== `Bearer ${token}`)
      return json(401, {
        kind: 'Status',
        apiVersion: 'v1',
        status: 'Failure',
        message: 'Unauthorized',
        reason: 'Unauthorized',
        code: 401,
      });
    if (req.url === '/apis') return json(200, { kind: 'APIGroupList', apiVersion: 'v1', groups: [] });
    return json(404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404 });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}`, port, seen };
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

function kubeconfig(
  contexts: Array<{ name: string; server: string; token: string }>,
  current?: string,
): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: contexts.map((c) => ({ name: c.name, cluster: { server: c.server } })),
    users: contexts.map((c) => ({ name: c.name, user: { token: c.token } })),
    contexts: contexts.map((c) => ({
      name: c.name,
      context: { cluster: c.name, user: c.name, namespace: `ns-${c.name}` },
    })),
    ...(current ? { 'current-context': current } : {}),
  });
}

beforeAll(async () => {
  [sb, bare, fake, closedPort] = await Promise.all([
    startSandbox(),
    startSandbox({ istio: false }),
    startRecordingServer('good-token'),
    freePort(),
  ]);
  dir = mkdtempSync(join(tmpdir(), 'kube-sa-'));
});

afterAll(async () => {
  await Promise.all([sb.stop(), bare.stop(), new Promise((r) => fake.server.close(r))]);
  rmSync(dir, { recursive: true, force: true });
});

describe('ClusterRegistry', () => {
  it('registers from the kubeconfig kube-sim wrote and tests the connection', async () => {
    const registry = new ClusterRegistry();
    const cluster = registry.register('dev', { type: 'sandbox', kubeconfig: sb.sim.kubeconfig });
    expect(cluster.server).toBe(sb.sim.url);
    const report = await registry.testConnection('dev');
    expect(report).toMatchObject({ cluster: 'dev', server: sb.sim.url, ok: true, istio: { served: true } });
    expect(report.version?.gitVersion).toMatch(/^v1\.32\./);
    expect(report.istio?.kinds.map((k) => k.kind)).toEqual([
      'VirtualService',
      'DestinationRule',
      'AuthorizationPolicy',
      'EnvoyFilter',
      'WasmPlugin',
    ]);
    await registry.close();
  });

  it('picks the named context of a kubeconfig string, else its current-context', async () => {
    const registry = new ClusterRegistry();
    const text = kubeconfig(
      [
        { name: 'broken', server: `http://127.0.0.1:${closedPort}`, token: 'x' },
        { name: 'sim', server: sb.sim.url, token: 'y' },
      ],
      'broken',
    );
    const byName = registry.register('a', { type: 'kubeconfig', kubeconfig: text, context: 'sim' });
    expect(byName.server).toBe(sb.sim.url);
    expect(byName.defaultNamespace).toBe('ns-sim');
    expect((await registry.testConnection('a')).ok).toBe(true);
    expect(registry.register('b', { type: 'kubeconfig', kubeconfig: text }).server).toBe(
      `http://127.0.0.1:${closedPort}`,
    );
    expect(() => registry.register('c', { type: 'kubeconfig', kubeconfig: text, context: 'prod' })).toThrow(
      expect.objectContaining({
        code: 'KUBE_CONFIG_INVALID',
        path: '$.contexts',
        message: expect.stringContaining('broken, sim'),
      }),
    );
    await registry.close();
  });

  it('refuses exec plugins and file paths in an uploaded kubeconfig, accepts them when trusted', () => {
    const registry = new ClusterRegistry();
    const text = stringify({
      clusters: [{ name: 'c', cluster: { server: 'https://k8s.example:6443' } }],
      users: [
        {
          name: 'u',
          user: {
            exec: { apiVersion: 'client.authentication.k8s.io/v1', command: 'rm', args: ['-rf', '/'] },
          },
        },
      ],
      contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }],
      'current-context': 'x',
    });
    expect(() => registry.register('up', { type: 'kubeconfig', kubeconfig: text })).toThrow(
      expect.objectContaining({ code: 'KUBE_CONFIG_INVALID', status: 400, path: '$.users[0].user.exec' }),
    );
    expect(registry.register('local', { type: 'kubeconfig', kubeconfig: text, trusted: true }).server).toBe(
      'https://k8s.example:6443',
    );
  });

  it('reports an unreachable server clearly, without throwing', async () => {
    const registry = new ClusterRegistry();
    registry.register('gone', { type: 'sandbox', url: `http://127.0.0.1:${closedPort}` });
    const report = await registry.testConnection('gone');
    expect(report.ok).toBe(false);
    expect(report.error?.code).toBe('KUBE_UNREACHABLE');
    expect(report.error?.message).toContain(`cannot reach http://127.0.0.1:${closedPort} (ECONNREFUSED)`);
  });

  it('reports rejected credentials as unauthorized even though /version is public', async () => {
    const registry = new ClusterRegistry();
    registry.register('fake', {
      type: 'kubeconfig',
      kubeconfig: kubeconfig([{ name: 'f', server: fake.url, token: 'wrong' }], 'f'),
    });
    const report = await registry.testConnection('fake');
    expect(report.version?.gitVersion).toBeUndefined();
    expect(report.error).toEqual({
      code: 'KUBE_UNAUTHORIZED',
      message: `${fake.url} rejected the credentials (401 Unauthorized); the token or client certificate is wrong or expired`,
    });
  });

  it('reports a cluster without the Istio CRDs, naming what is missing', async () => {
    const registry = new ClusterRegistry();
    registry.register('plain', { type: 'sandbox', url: bare.sim.url });
    const report = await registry.testConnection('plain');
    expect(report.ok).toBe(false);
    expect(report.version).toBeDefined();
    expect(report.istio?.served).toBe(false);
    expect(report.error?.code).toBe('KUBE_ISTIO_MISSING');
    expect(report.error?.message).toContain('VirtualService (networking.istio.io/v1)');
  });

  it('uses in-cluster service account files: the token (trimmed) as bearer, the namespace file', async () => {
    writeFileSync(join(dir, 'token'), 'good-token\n');
    writeFileSync(join(dir, 'namespace'), 'heliomesh-system');
    writeFileSync(join(dir, 'ca.crt'), '');
    const registry = new ClusterRegistry();
    const cluster = registry.register('self', {
      type: 'in-cluster',
      tokenPath: join(dir, 'token'),
      caPath: join(dir, 'ca.crt'),
      namespacePath: join(dir, 'namespace'),
      env: { KUBERNETES_SERVICE_HOST: '127.0.0.1', KUBERNETES_SERVICE_PORT: String(fake.port) },
      scheme: 'http',
    });
    expect(cluster.defaultNamespace).toBe('heliomesh-system');
    const report = await registry.testConnection('self');
    // Authenticated discovery passed; the fake server simply has no Istio.
    expect(report.error?.code).toBe('KUBE_ISTIO_MISSING');
    expect(fake.seen.filter((r) => r.path === '/apis').at(-1)?.headers.authorization).toBe(
      'Bearer good-token',
    );
  });

  it('reads a kubeconfig file, resolving its relative paths against its own directory', async () => {
    writeFileSync(join(dir, 'file-token'), 'good-token');
    const file = join(dir, 'config');
    writeFileSync(
      file,
      stringify({
        clusters: [{ name: 'c', cluster: { server: fake.url } }],
        users: [{ name: 'u', user: { 'token-file': 'file-token' } }],
        contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }],
        'current-context': 'x',
      }),
    );
    const registry = new ClusterRegistry();
    registry.register('file', { type: 'kubeconfig-file', path: file });
    expect((await registry.testConnection('file')).error?.code).toBe('KUBE_ISTIO_MISSING');
    expect(fake.seen.filter((r) => r.path === '/apis').at(-1)?.headers.authorization).toBe(
      'Bearer good-token',
    );
    expect(() => registry.register('none', { type: 'kubeconfig-file', path: join(dir, 'missing') })).toThrow(
      expect.objectContaining({
        code: 'KUBE_CONFIG_INVALID',
        message: expect.stringContaining('cannot read the kubeconfig'),
      }),
    );
  });

  it('explains what is missing outside a pod', () => {
    const registry = new ClusterRegistry();
    expect(() => registry.register('x', { type: 'in-cluster', env: {} })).toThrow(/KUBERNETES_SERVICE_HOST/);
    expect(() =>
      registry.register('y', {
        type: 'in-cluster',
        env: { KUBERNETES_SERVICE_HOST: '10.0.0.1', KUBERNETES_SERVICE_PORT: '443' },
        tokenPath: join(dir, 'nope'),
      }),
    ).toThrow(/cannot read the service account token/);
  });

  it('gives each cluster its own rate limiter', async () => {
    const registry = new ClusterRegistry();
    const slow = registry.register(
      'slow',
      { type: 'sandbox', url: sb.sim.url },
      { rateLimit: { qps: 50, burst: 2 } },
    );
    const fast = registry.register('fast', { type: 'sandbox', url: sb.sim.url });
    await Promise.all(Array.from({ length: 6 }, () => slow.api.send({ method: 'GET', path: '/version' })));
    await Promise.all(Array.from({ length: 6 }, () => fast.api.send({ method: 'GET', path: '/version' })));
    expect(slow.limiter.stats()).toMatchObject({ acquired: 6, delayed: 4 });
    expect(fast.limiter.stats()).toMatchObject({ acquired: 6, delayed: 0 });
    await registry.close();
  });

  it('names unknown clusters and bad cluster names', () => {
    const registry = new ClusterRegistry();
    expect(() => registry.get('nope')).toThrow(
      expect.objectContaining({ code: 'KUBE_CLUSTER_UNKNOWN', status: 404 }),
    );
    expect(() => registry.register('Bad Name!', { type: 'sandbox', url: sb.sim.url })).toThrow(KubeError);
  });
});
