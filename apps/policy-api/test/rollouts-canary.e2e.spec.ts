import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '@heliomesh/testing';
import { defaultWeights, getVirtualService } from './platform-harness.js';
import {
  eventsOf,
  observedSplit,
  type RolloutPlatform,
  startRollout,
  startRolloutPlatform,
  SUCCESS_AND_LATENCY,
  waitForRollout,
} from './rollouts-harness.js';

let r: RolloutPlatform;

beforeAll(async () => {
  r = await startRolloutPlatform('canary-team');
}, 120_000);

afterAll(async () => {
  await r?.stop();
});

const analysis = {
  interval: '2s',
  window: '2s',
  minRequests: 50,
  failureLimit: 0,
  metrics: SUCCESS_AND_LATENCY,
};

/** Waits until the cluster routes `weight` % of reviews' default route to `canary`. */
async function vsAt(canary: string, weight: number): Promise<void> {
  await eventually(
    async () => {
      const weights = defaultWeights(await getVirtualService(r.p, 'shop', 'heliomesh-reviews'));
      return (weights?.[canary] ?? 0) === weight && weights !== undefined;
    },
    30_000,
    25,
  );
}

describe('a canary of reviews on the demo shop', () => {
  it('promotes healthy v2 step by step to 100 %, the mesh following each step, and makes it stable', async () => {
    const { id } = await startRollout(r.t.operator, {
      target: { namespace: 'shop', service: 'reviews' },
      stable: 'v1',
      canary: 'v2',
      strategy: {
        type: 'canary',
        steps: [{ setWeight: 20 }, { analysis: { runs: 2 } }, { setWeight: 60 }, { analysis: { runs: 2 } }],
      },
      analysis,
    });
    for (const weight of [20, 60]) {
      await vsAt('v2', weight);
      // Let mesh-sim's informer see the new route, then watch about 10 simulated seconds of shopping.
      await new Promise((res) => setTimeout(res, 200));
      const { shares, total } = await observedSplit(r.mesh, 'reviews', ['v1', 'v2', 'v3'], 1_000);
      expect(total).toBeGreaterThan(300);
      expect(shares['v2']).toBeGreaterThan(weight - 8);
      expect(shares['v2']).toBeLessThan(weight + 8);
      expect(shares['v3']).toBe(0);
    }
    const done = await waitForRollout(r.t.viewer, id, (v) => v.phase === 'Succeeded', 60_000);
    expect(done).toMatchObject({ canaryWeight: 100, failedChecks: 0 });

    // The engine measured the same split through the scrape provider, step by step.
    const events = await eventsOf(r.t.viewer, id);
    const analysed = events.filter((e) => e.type === 'analysis');
    // No data (a window without two scrapes under load) holds; nothing may fail.
    expect(
      analysed.map((e) => e.data.decision).filter((d: string) => d !== 'hold' && d !== 'continue'),
    ).toEqual([]);
    for (const weight of [20, 60]) {
      const passed = analysed.filter((e) => e.canaryWeight === weight && e.data.decision === 'continue');
      expect(passed).toHaveLength(2);
      for (const e of passed)
        expect(
          e.data.verdicts.map((v: { metric: string; outcome: string }) => [v.metric, v.outcome]),
        ).toEqual([
          ['success-rate', 'pass'],
          ['latency-p99', 'pass'],
        ]);
      // The second run's window lies wholly at this weight.
      expect(Math.abs(passed[1]!.data.observedSplit.canaryShare - weight)).toBeLessThan(8);
    }
    expect(new Set(analysed.map((e) => e.canaryWeight))).toEqual(new Set([20, 60]));

    // v2 is the stable version now: the release is pinned in a policy and the mesh sends it everything.
    await vsAt('v2', 100);
    const policies = await r.t.viewer.get('/v1/policies?namespace=shop');
    expect(policies.body.items).toContainEqual(
      expect.objectContaining({
        name: 'reviews-release',
        spec: { weights: [{ version: 'v2', weight: 100 }] },
      }),
    );
    await new Promise((res) => setTimeout(res, 300));
    const after = await observedSplit(r.mesh, 'reviews', ['v1', 'v2', 'v3'], 700);
    expect(after.shares['v2']).toBe(100);
  }, 120_000);

  it('rolls slow, failing v3 back at its first analysis, and traffic returns to stable', async () => {
    const { id } = await startRollout(r.t.operator, {
      target: { namespace: 'shop', service: 'reviews' },
      stable: 'v2',
      canary: 'v3',
      strategy: {
        type: 'canary',
        steps: [{ setWeight: 20 }, { analysis: {} }, { setWeight: 50 }, { analysis: {} }],
      },
      analysis,
    });
    const done = await waitForRollout(r.t.viewer, id, (v) => v.phase === 'RolledBack', 60_000);
    expect(done).toMatchObject({
      canaryWeight: 0,
      failedChecks: 2,
      phaseReason: { code: 'analysis-failed' },
    });
    const events = await eventsOf(r.t.viewer, id);
    const analysed = events.filter((e) => e.type === 'analysis');
    // The first judged run fails it (runs before it could only hold for want of data).
    expect(analysed.map((e) => e.data.decision)).toEqual([...analysed.slice(1).map(() => 'hold'), 'fail']);
    const verdicts = analysed.at(-1)!.data.verdicts as Array<{
      metric: string;
      outcome: string;
      canary: { value: number; samples: number };
    }>;
    expect(verdicts.map((v) => [v.metric, v.outcome])).toEqual([
      ['success-rate', 'fail'],
      ['latency-p99', 'fail'],
    ]);
    expect(verdicts[0]!.canary.value).toBeLessThan(97);
    expect(verdicts[1]!.canary.value).toBeGreaterThan(500);
    expect(events.map((e) => e.canaryWeight)).not.toContain(50);

    // The audit log holds the decision with the measurements behind it.
    const audit = await r.t.viewer.get(`/v1/audit?resourceId=${id}&action=rollout.analysis-failed`);
    expect(audit.body.items).toHaveLength(1);
    expect(audit.body.items[0].data.verdicts[0]).toMatchObject({
      metric: 'success-rate',
      query: 'request-success-rate',
      window: '2s',
    });

    // The release policy of the last rollout (v2) governs again: v3 gets nothing.
    await vsAt('v3', 0);
    await new Promise((res) => setTimeout(res, 300));
    const after = await observedSplit(r.mesh, 'reviews', ['v1', 'v2', 'v3'], 700);
    expect(after.shares).toEqual({ v1: 0, v2: 100, v3: 0 });
  }, 120_000);
});
