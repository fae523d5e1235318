import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '@heliomesh/testing';
import { defaultWeights, getVirtualService } from './platform-harness.js';
import {
  callService,
  eventsOf,
  type RolloutPlatform,
  startRollout,
  startRolloutPlatform,
  SUCCESS_AND_LATENCY,
  waitForRollout,
} from './rollouts-harness.js';

let r: RolloutPlatform;
const VERSIONS = ['v1', 'v2', 'v3'];
const target = { namespace: 'shop', service: 'reviews' };
const analysis = {
  interval: '2s',
  window: '2s',
  minRequests: 20,
  failureLimit: 0,
  metrics: SUCCESS_AND_LATENCY,
};

beforeAll(async () => {
  r = await startRolloutPlatform('strategies-team');
}, 120_000);

afterAll(async () => {
  await r?.stop();
});

// A failed test must not leave a rollout holding the service for the next one.
afterEach(async () => {
  const active = await r.t.viewer.get('/v1/rollouts?active=true');
  for (const rollout of active.body.items ?? []) {
    await r.t.operator.post(`/v1/rollouts/${rollout.id}/abort`, { reason: 'test cleanup' });
    await waitForRollout(r.t.viewer, rollout.id, (v) => v.phase === 'Aborted', 30_000);
  }
});

interface HttpRouteLike {
  name?: string;
  match?: unknown[];
  mirror?: { subset?: string };
  mirrorPercentage?: { value: number };
  route?: Array<{ destination: { subset?: string }; weight?: number }>;
}

/** The reviews VirtualService's http routes once `predicate` holds for them. */
async function routesWhen(predicate: (http: HttpRouteLike[]) => boolean): Promise<HttpRouteLike[]> {
  return eventually(
    async () => {
      const vs = await getVirtualService(r.p, 'shop', 'heliomesh-reviews');
      const http = (vs?.spec.http ?? []) as HttpRouteLike[];
      return predicate(http) && http;
    },
    30_000,
    25,
  );
}

/** mesh-sim compiles config on its next request; this waits until it routes like the cluster says. */
async function settled(): Promise<void> {
  await new Promise((res) => setTimeout(res, 300));
}

describe('strategies on the demo shop', () => {
  it('A/B: only requests matching the header reach the canary, then it is promoted', async () => {
    const { id } = await startRollout(r.t.operator, {
      target,
      stable: 'v1',
      canary: 'v2',
      strategy: { type: 'ab', match: { headers: { 'x-user': { exact: 'beta' } } }, iterations: 2 },
      analysis,
    });
    await routesWhen((http) => http.some((h) => h.match && h.route?.[0]?.destination.subset === 'v2'));
    await settled();
    expect(callService(r.mesh, 'product', 'reviews', { 'x-user': 'beta' }, 200, VERSIONS)).toEqual({
      v1: 0,
      v2: 200,
      v3: 0,
    });
    expect(callService(r.mesh, 'product', 'reviews', {}, 200, VERSIONS)).toEqual({ v1: 200, v2: 0, v3: 0 });
    expect(callService(r.mesh, 'product', 'reviews', { 'x-user': 'alpha' }, 100, VERSIONS)).toEqual({
      v1: 100,
      v2: 0,
      v3: 0,
    });
    const done = await waitForRollout(
      r.t.viewer,
      id,
      (v) => ['Succeeded', 'RolledBack', 'Failed'].includes(v.phase),
      60_000,
    );
    expect(done.phase).toBe('Succeeded');
    const analysed = (await eventsOf(r.t.viewer, id)).filter(
      (e) => e.type === 'analysis' && e.data.decision === 'continue',
    );
    expect(analysed).toHaveLength(2);
    // The beta shoppers (10 % of traffic, headers propagated) were the canary's only users. An
    // analysis window holds a few hundred requests, so the share wanders a few points around 10;
    // a weighted split instead of the header match would put it near 50.
    for (const e of analysed) expect(e.data.observedSplit.canaryShare).toBeGreaterThan(3);
    for (const e of analysed) expect(e.data.observedSplit.canaryShare).toBeLessThan(25);
  }, 90_000);

  it('blue/green: the new version gets a mirrored copy while it is analysed, then all traffic', async () => {
    const { id } = await startRollout(r.t.operator, {
      target,
      stable: 'v2',
      canary: 'v1',
      strategy: { type: 'blue-green', iterations: 2, mirror: { percent: 100 } },
      analysis,
    });
    const http = await routesWhen((h) => h.some((x) => x.mirror?.subset === 'v1'));
    expect(defaultWeights({ metadata: { name: '' }, spec: { http } } as never)).toEqual({ v2: 100, v1: 0 });
    await settled();
    // Each request is served by v2 and copied to v1 (fire and forget, counted at v1).
    expect(callService(r.mesh, 'product', 'reviews', {}, 150, VERSIONS)).toEqual({ v1: 150, v2: 150, v3: 0 });
    const analysed = await eventually(async () => {
      const events = (await eventsOf(r.t.viewer, id)).filter(
        (e) => e.type === 'analysis' && e.data.decision === 'continue',
      );
      return events.length > 0 && events;
    }, 30_000);
    expect(analysed[0]!.canaryWeight).toBe(0);
    expect(analysed[0]!.data.verdicts[0].canary.samples).toBeGreaterThan(20);
    const done = await waitForRollout(
      r.t.viewer,
      id,
      (v) => ['Succeeded', 'RolledBack'].includes(v.phase),
      60_000,
    );
    expect(done.phase).toBe('Succeeded');
    await routesWhen(
      (h) =>
        defaultWeights({ metadata: { name: '' }, spec: { http: h } } as never)?.['v1'] === 100 &&
        !h.some((x) => x.mirror),
    );
    await settled();
    expect(callService(r.mesh, 'product', 'reviews', {}, 100, VERSIONS)).toEqual({ v1: 100, v2: 0, v3: 0 });
  }, 90_000);

  it('canary with a mirror phase: analysed on copied traffic before it gets any real share', async () => {
    const { id } = await startRollout(r.t.operator, {
      target,
      stable: 'v1',
      canary: 'v2',
      strategy: {
        type: 'canary',
        mirror: { percent: 50, iterations: 1 },
        steps: [{ setWeight: 50 }, { analysis: {} }],
      },
      analysis,
    });
    await routesWhen((h) => h.some((x) => x.mirror?.subset === 'v2' && x.mirrorPercentage?.value === 50));
    await settled();
    const mirrored = callService(r.mesh, 'product', 'reviews', {}, 400, VERSIONS);
    expect(mirrored.v1).toBe(400);
    expect(mirrored.v2).toBeGreaterThan(150);
    expect(mirrored.v2).toBeLessThan(250);
    const done = await waitForRollout(
      r.t.viewer,
      id,
      (v) => ['Succeeded', 'RolledBack'].includes(v.phase),
      60_000,
    );
    expect(done.phase).toBe('Succeeded');
    const weights = (await eventsOf(r.t.viewer, id))
      .filter((e) => e.type === 'route')
      .map((e) => e.data.route);
    expect(weights).toEqual([
      { canaryWeight: 0, mirrorPercent: 50 },
      { canaryWeight: 50 },
      { canaryWeight: 100 },
    ]);
  }, 90_000);

  it('holds a canary that gets no traffic instead of failing it', async () => {
    const { id } = await startRollout(r.t.operator, {
      target,
      stable: 'v2',
      canary: 'v1',
      strategy: { type: 'ab', match: { headers: { 'x-nobody': { exact: 'sends-this' } } }, iterations: 1 },
      analysis,
    });
    const held = await eventually(async () => {
      const events = (await eventsOf(r.t.viewer, id)).filter((e) => e.type === 'analysis');
      return events.length >= 3 && events;
    }, 30_000);
    for (const e of held) {
      expect(e.data.decision).toBe('hold');
      expect(e.data.verdicts.map((v: { outcome: string }) => v.outcome)).toEqual(['no-data', 'no-data']);
    }
    expect(held[0]!.message).toMatch(/the step holds until traffic arrives/);
    expect(await waitForRollout(r.t.viewer, id, () => true)).toMatchObject({
      phase: 'Progressing',
      failedChecks: 0,
    });
    expect(
      (await r.t.operator.post(`/v1/rollouts/${id}/abort`, { reason: 'nobody sends the header' })).status,
    ).toBe(200);
    await waitForRollout(r.t.viewer, id, (v) => v.phase === 'Aborted', 30_000);
  }, 90_000);

  it('keeps sticky users on their version, pauses while the metrics provider is down, and resumes by itself', async () => {
    const { id } = await startRollout(r.t.operator, {
      target,
      stable: 'v1',
      canary: 'v2',
      strategy: {
        type: 'canary',
        steps: [{ setWeight: 30 }, { analysis: { runs: 3 } }],
        sticky: { cookie: { name: 'hm-version', ttl: '1h' } },
      },
      analysis,
    });
    await eventually(
      async () =>
        (await eventsOf(r.t.viewer, id)).some((e) => e.type === 'analysis' && e.data.decision === 'continue'),
      30_000,
    );
    // The proxy sets hm-version=<version> on the weighted route; a request carrying it stays there.
    expect(callService(r.mesh, 'product', 'reviews', { cookie: 'hm-version=v2' }, 100, VERSIONS)).toEqual({
      v1: 0,
      v2: 100,
      v3: 0,
    });
    expect(
      callService(r.mesh, 'product', 'reviews', { cookie: 'a=1; hm-version=v1' }, 100, VERSIONS),
    ).toEqual({
      v1: 100,
      v2: 0,
      v3: 0,
    });
    const fresh = callService(r.mesh, 'product', 'reviews', {}, 400, VERSIONS);
    expect(fresh.v2).toBeGreaterThan(80);
    expect(fresh.v2).toBeLessThan(160);
    await r.metricsProxy.cut();
    try {
      const paused = await waitForRollout(r.t.viewer, id, (v) => v.phase === 'Paused', 30_000);
      expect(paused).toMatchObject({
        failedChecks: 0,
        canaryWeight: 30,
        phaseReason: { code: 'provider-error' },
      });
      expect(paused.phaseReason.message).toMatch(/PROVIDER_UNREACHABLE|unreachable|could not/i);
      // Still paused a few intervals later: it keeps checking, it does not fail.
      await new Promise((res) => setTimeout(res, 4_500));
      expect(await waitForRollout(r.t.viewer, id, () => true)).toMatchObject({
        phase: 'Paused',
        failedChecks: 0,
      });
    } finally {
      await r.metricsProxy.restore();
    }
    const done = await waitForRollout(
      r.t.viewer,
      id,
      (v) => ['Succeeded', 'RolledBack'].includes(v.phase),
      60_000,
    );
    expect(done).toMatchObject({ phase: 'Succeeded', failedChecks: 0 });
    const messages = (await eventsOf(r.t.viewer, id)).map((e) => e.message);
    expect(messages).toContainEqual(expect.stringMatching(/metrics provider answers again; resuming/));
    const verdict = (await eventsOf(r.t.viewer, id)).find(
      (e) => e.type === 'analysis' && e.data.decision === 'pause',
    )!;
    expect(verdict.data.verdicts[0]).toMatchObject({ outcome: 'provider-error' });
  }, 120_000);
});
