import * as k8s from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { parseFaultSpec, type KubeSim } from '../src/index.js';
import { startSandbox } from './sandbox.helpers.js';

let sim: KubeSim | undefined;

afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

describe('fault injection', () => {
  it('parses the CLI form and rejects bad input with the expected form', () => {
    expect(parseFaultSpec('429=0.1,500=0.05,timeout=0.02,seed=7')).toEqual({
      429: 0.1,
      500: 0.05,
      timeout: 0.02,
      seed: 7,
    });
    expect(parseFaultSpec('')).toEqual({});
    expect(() => parseFaultSpec('429=2')).toThrow('must be between 0 and 1');
    expect(() => parseFaultSpec('404=0.1')).toThrow('unknown key "404"');
    expect(() => parseFaultSpec('429')).toThrow('is not KEY=NUMBER');
  });

  it('answers a configured fraction of API requests with 429 (Retry-After) or 500, never discovery', async () => {
    const started = await startSandbox({ faults: { 429: 0.3, 500: 0.2, seed: 42 } });
    sim = started.sim;
    const counts: Record<number, number> = {};
    for (let i = 0; i < 200; i++) {
      const r = await started.api.get('/api/v1/namespaces/default/configmaps');
      counts[r.status] = (counts[r.status] ?? 0) + 1;
      if (r.status === 429) {
        expect(r.headers.get('retry-after')).toBe('1');
        expect(r.body).toMatchObject({
          kind: 'Status',
          reason: 'TooManyRequests',
          code: 429,
          details: { retryAfterSeconds: 1 },
        });
      }
      if (r.status === 500)
        expect(r.body).toMatchObject({ kind: 'Status', reason: 'InternalError', code: 500 });
    }
    // Seeded dice: roughly 30 % and 20 %, and the injected counters agree with what the client saw.
    expect(counts[429]).toBeGreaterThan(40);
    expect(counts[429]).toBeLessThan(80);
    expect(counts[500]).toBeGreaterThan(20);
    expect(counts[500]).toBeLessThan(60);
    expect(sim.faults.injected()).toMatchObject({ 429: counts[429], 500: counts[500], timeout: 0 });
    for (const path of ['/version', '/healthz', '/api', '/apis', '/apis/apps/v1', '/openapi/v3'])
      for (let i = 0; i < 10; i++) expect((await started.api.get(path)).status).toBe(200);
    sim.faults.setRates({});
    expect((await started.api.get('/api/v1/namespaces/default/configmaps')).status).toBe(200);
  });

  it('fails discovery too when asked to', async () => {
    const started = await startSandbox({ faults: { 500: 1, includeDiscovery: true }, istio: false });
    sim = started.sim;
    expect((await started.api.get('/version')).status).toBe(500);
    expect((await started.api.get('/apis')).status).toBe(500);
  });

  it('leaves a request hanging until the client gives up', async () => {
    const started = await startSandbox();
    sim = started.sim;
    sim.faults.setRates({ timeout: 1 });
    const aborted = await fetch(`${sim.url}/api/v1/namespaces/default/configmaps`, {
      signal: AbortSignal.timeout(300),
    }).catch((e: unknown) => e);
    expect((aborted as Error).name).toBe('TimeoutError');
    expect(sim.faults.injected().timeout).toBe(1);
  });

  it('fails the next update of a named object with 409, once', async () => {
    const started = await startSandbox();
    sim = started.sim;
    const kc = new k8s.KubeConfig();
    kc.loadFromString(sim.kubeconfig);
    const core = kc.makeApiClient(k8s.CoreV1Api);
    await core.createNamespacedConfigMap({
      namespace: 'default',
      body: { metadata: { name: 'target' }, data: { a: '1' } },
    });
    await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'bystander' } } });
    sim.faults.failNextUpdate('ConfigMap', 'default', 'target');
    const patch = (name: string) =>
      core.patchNamespacedConfigMap({
        name,
        namespace: 'default',
        body: [{ op: 'add', path: '/data', value: { a: '2' } }],
      });
    await expect(patch('bystander')).resolves.toBeDefined();
    await expect(patch('target')).rejects.toMatchObject({ code: 409 });
    await expect(patch('target')).resolves.toMatchObject({ data: { a: '2' } });
    // Also applies to server-side apply, addressed by plural.
    sim.faults.failNextUpdate('configmaps', 'default', 'target');
    const objects = k8s.KubernetesObjectApi.makeApiClient(kc);
    const apply = () =>
      objects.patch(
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'target', namespace: 'default' },
          data: { a: '3' },
        },
        undefined,
        undefined,
        'test',
        true,
        k8s.PatchStrategy.ServerSideApply,
      );
    await expect(apply()).rejects.toMatchObject({ code: 409 });
    await expect(apply()).resolves.toMatchObject({ data: { a: '3' } });
    expect(sim.faults.injected().conflict).toBe(2);
  });
});
