import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  eventually,
  setUpTenant,
  TcpProxy,
  TEST_REDIS_URL,
  type TenantSetup,
  viaProxy,
} from '@heliomesh/testing';
import { defaultWeights, getVirtualService, type Platform, startPlatform } from './platform-harness.js';

const redis = new URL(TEST_REDIS_URL);
const proxy = new TcpProxy(redis.hostname, Number(redis.port || 6379));
let p: Platform;
let t: TenantSetup;

beforeAll(async () => {
  await proxy.start();
  p = await startPlatform({ redisUrl: viaProxy(TEST_REDIS_URL, proxy) });
  t = await setUpTenant(p.admin, {
    tenant: 'outage',
    cluster: 'sandbox',
    kubeconfig: p.sandbox.kubeconfig,
    namespaces: ['shop'],
  });
}, 120_000);

afterAll(async () => {
  await proxy.restore().catch(() => undefined);
  await p?.stop();
  await proxy.cut();
});

describe('with Redis down', () => {
  it('still accepts a write, and applies it once Redis is back', async () => {
    await proxy.cut();
    const created = await t.operator.post('/v1/policies', {
      name: 'ratings-split',
      kind: 'TrafficSplit',
      target: { namespace: 'shop', service: 'reviews' },
      spec: {
        weights: [
          { version: 'v1', weight: 70 },
          { version: 'v3', weight: 30 },
        ],
      },
    });
    expect(created.status, created.text).toBe(201);
    // Nothing can reach the queue: the change waits in the outbox.
    await new Promise((r) => setTimeout(r, 1_500));
    expect(await getVirtualService(p, 'shop', 'heliomesh-reviews')).toBeUndefined();
    expect((await t.operator.get(`/v1/policies/${created.body.policy.id}`)).body.status.phase).toBe(
      'Pending',
    );

    await proxy.restore();
    const vs = await eventually(
      async () => {
        const found = await getVirtualService(p, 'shop', 'heliomesh-reviews');
        return defaultWeights(found)?.['v3'] === 30 && found;
      },
      20_000,
      100,
    );
    expect(defaultWeights(vs)).toEqual({ v1: 70, v3: 30 });
    await eventually(
      async () =>
        (await t.operator.get(`/v1/policies/${created.body.policy.id}`)).body.status.phase === 'Applied',
      10_000,
    );
  });
});
