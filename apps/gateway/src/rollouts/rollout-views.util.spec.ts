import { describe, expect, it } from 'vitest';
import type { RolloutEventView, RolloutView } from '@heliomesh/core';
import { measurementsOf, planSteps, progressOf, snapshotOf } from './rollout-views.util.js';

const view = (over: Partial<RolloutView> = {}): RolloutView => ({
  id: 'r1',
  cluster: 'sandbox',
  namespace: 'shop',
  service: 'reviews',
  serviceId: 's1',
  strategy: 'canary',
  stable: 'v1',
  canary: 'v2',
  phase: 'Progressing',
  phaseReason: null,
  step: { index: 1, total: 3, description: 'pause 5s' },
  canaryWeight: 20,
  route: { canaryWeight: 20 },
  failedChecks: 0,
  attempt: 1,
  version: 3,
  spec: {
    target: { namespace: 'shop', service: 'reviews' },
    stable: 'v1',
    canary: 'v2',
    strategy: {
      type: 'canary',
      steps: [{ setWeight: 20 }, { pause: { duration: '5s' } }, { setWeight: 60 }],
    },
    onFailure: 'rollback',
    webhooks: [],
  },
  webhooksSigned: false,
  nextTickAt: null,
  eta: '2026-01-01T00:01:00.000Z',
  createdBy: 'token:op@shop',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  finishedAt: null,
  ...over,
});

describe('planSteps', () => {
  it('expands the stored spec and marks done, current and pending steps', () => {
    const steps = planSteps(view());
    expect(steps.map((s) => [s.kind, s.state])).toEqual([
      ['route', 'done'],
      ['pause', 'current'],
      ['route', 'pending'],
    ]);
    expect(steps[0]).toMatchObject({
      canaryWeight: 20,
      source: expect.stringMatching(/^\$\.strategy\.steps/),
    });
    expect(steps[1]).toMatchObject({ durationSeconds: 5 });
  });

  it('marks every step done once the rollout promotes', () => {
    expect(planSteps(view({ phase: 'Succeeded' })).every((s) => s.state === 'done')).toBe(true);
  });
});

const event = (over: Partial<RolloutEventView> = {}): RolloutEventView => ({
  rolloutId: 'r1',
  seq: 7,
  tick: 3,
  attempt: 1,
  type: 'analysis',
  phase: 'Progressing',
  stepIndex: 2,
  canaryWeight: 20,
  actor: 'worker',
  message: 'analysis passed',
  data: {
    verdicts: [
      {
        metric: 'request-success-rate',
        judge: 'threshold',
        window: '1m',
        query: 'successRate',
        canary: { value: 99.5, samples: 1200 },
        threshold: { kind: 'range', min: 99, unit: '%' },
        outcome: 'pass',
        explanation: '99.5 % >= 99 %',
      },
    ],
  },
  occurredAt: '2026-01-01T00:00:30.000Z',
  ...over,
});

describe('measurements and progress', () => {
  it('turns each verdict of an analysis event into a measurement', () => {
    expect(measurementsOf(event())).toEqual([
      expect.objectContaining({
        seq: 7,
        metric: 'request-success-rate',
        canaryValue: 99.5,
        canarySamples: 1200,
        baselineValue: null,
        outcome: 'pass',
      }),
    ]);
    expect(measurementsOf(event({ type: 'route' }))).toEqual([]);
    expect(measurementsOf(event({ data: {} }))).toEqual([]);
  });

  it('gives progress the phase, weight, ETA and measurements, starting from a snapshot', () => {
    const p = progressOf(event(), { steps: 3, mirrorPercent: null, eta: '2026-01-01T00:01:00.000Z' });
    expect(p).toMatchObject({
      kind: 'analysis',
      seq: 7,
      phase: 'Progressing',
      canaryWeight: 20,
      steps: 3,
      eta: '2026-01-01T00:01:00.000Z',
    });
    expect(p.measurements).toHaveLength(1);
    expect(snapshotOf(view(), 6)).toMatchObject({
      kind: 'snapshot',
      seq: 6,
      stepIndex: 1,
      steps: 3,
      canaryWeight: 20,
    });
  });
});
