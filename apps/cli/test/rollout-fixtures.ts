import type { MetricVerdict, RolloutEvent, RolloutView } from '../src/api/api.types.js';

export function rolloutView(over: Partial<RolloutView> = {}): RolloutView {
  return {
    id: '3f2c6a1e-0000-4000-8000-000000000001',
    cluster: 'sandbox',
    namespace: 'shop',
    service: 'reviews',
    serviceId: 'svc-1',
    strategy: 'canary',
    stable: 'v1',
    canary: 'v2',
    phase: 'Progressing',
    phaseReason: null,
    step: { index: 1, total: 4, description: 'analysis: 1 passing run' },
    canaryWeight: 20,
    route: null,
    failedChecks: 0,
    attempt: 1,
    version: 3,
    spec: {},
    nextTickAt: null,
    eta: null,
    createdBy: 'token:ci@demo',
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: null,
    ...over,
  };
}

export function verdict(
  metric: string,
  value: number | null,
  outcome: MetricVerdict['outcome'],
  unit: '%' | 'ms',
  samples = 200,
): MetricVerdict {
  return {
    metric,
    judge: 'threshold',
    window: '10s',
    query: metric,
    canary: { value, samples },
    threshold: unit === '%' ? { kind: 'range', min: 99, unit } : { kind: 'range', max: 500, unit },
    outcome,
    explanation: '',
  };
}

export function event(seq: number, over: Partial<RolloutEvent> = {}): RolloutEvent {
  return {
    rolloutId: '3f2c6a1e-0000-4000-8000-000000000001',
    seq,
    tick: seq,
    attempt: 1,
    type: 'step',
    phase: 'Progressing',
    stepIndex: 0,
    canaryWeight: 20,
    actor: 'engine',
    message: `event ${seq}`,
    data: {},
    occurredAt: `2026-01-01T00:00:${String(seq).padStart(2, '0')}.000Z`,
    ...over,
  };
}

export function analysis(
  seq: number,
  decision: string,
  verdicts: MetricVerdict[],
  canaryWeight = 20,
): RolloutEvent {
  return event(seq, { type: 'analysis', canaryWeight, data: { decision, verdicts } });
}
