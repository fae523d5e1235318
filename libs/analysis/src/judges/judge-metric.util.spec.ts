import { describe, expect, it } from 'vitest';
import { parseAnalysisSpec } from '../spec/analysis-spec.schema.js';
import { judgeMetric, planMeasurement } from './judge-metric.util.js';

const spec = parseAnalysisSpec({
  interval: '30s',
  minRequests: 20,
  metrics: [
    { name: 'success', kind: 'request-success-rate', judge: { type: 'threshold', min: 99 } },
    { name: 'errors', kind: 'request-success-rate', judge: { type: 'compare' }, window: '5m' },
    { name: 'p99', kind: 'request-duration', judge: { type: 'threshold', max: 500 } },
    { name: 'latency', kind: 'request-duration', quantile: 0.9, judge: { type: 'compare', tolerance: 0.1 } },
    {
      name: 'depth',
      kind: 'custom',
      query: 'max(q{ns="{{ namespace }}"})',
      judge: { type: 'threshold', max: 10 },
    },
  ],
});
const [success, errors, p99, latency, depth] = spec.metrics as [
  (typeof spec.metrics)[number],
  (typeof spec.metrics)[number],
  (typeof spec.metrics)[number],
  (typeof spec.metrics)[number],
  (typeof spec.metrics)[number],
];

describe('planMeasurement', () => {
  it('tells the engine what to measure, over which window', () => {
    expect(planMeasurement(spec, success)).toEqual({
      kind: 'scalar',
      source: { kind: 'success-rate' },
      needsRequestCount: false,
      window: '30s',
      windowSeconds: 30,
      minRequests: 20,
    });
    expect(planMeasurement(spec, errors)).toEqual({
      kind: 'request-counts',
      window: '5m',
      windowSeconds: 300,
      minRequests: 20,
    });
    expect(planMeasurement(spec, p99)).toMatchObject({
      kind: 'scalar',
      source: { kind: 'latency-quantile', quantile: 0.99 },
    });
    expect(planMeasurement(spec, latency)).toMatchObject({ kind: 'latency-histogram', quantile: 0.9 });
    expect(planMeasurement(spec, depth)).toMatchObject({
      kind: 'scalar',
      source: { kind: 'custom', template: 'max(q{ns="{{ namespace }}"})' },
      needsRequestCount: true,
    });
  });
});

describe('judgeMetric', () => {
  it('runs the judge the metric names, with the metric defaults', () => {
    const v = judgeMetric(spec, p99, {
      kind: 'scalar',
      query: 'histogram_quantile(0.99, ...)',
      canary: { kind: 'value', value: 612.5, requestCount: 400 },
    });
    expect(v).toMatchObject({
      metric: 'p99',
      judge: 'threshold',
      window: '30s',
      outcome: 'fail',
      explanation: 'Canary p99 latency 613 ms over 30s (400 requests) is above the maximum of 500 ms.',
    });
    const c = judgeMetric(spec, errors, {
      kind: 'request-counts',
      query: 'request-counts',
      canary: { requests: { kind: 'value', value: 1000 }, errors: { kind: 'value', value: 0 } },
      baseline: { requests: { kind: 'value', value: 1000 }, errors: { kind: 'value', value: 0 } },
    });
    expect(c).toMatchObject({
      outcome: 'pass',
      threshold: { kind: 'compare', test: 'fisher-exact', confidence: 0.98, tolerance: 0.1 },
    });
    const l = judgeMetric(spec, latency, {
      kind: 'latency-histogram',
      query: 'latency-histogram',
      canary: { kind: 'no-data', reason: 'x' },
      baseline: { kind: 'no-data', reason: 'x' },
    });
    expect(l).toMatchObject({ outcome: 'no-data', threshold: { test: 'mann-whitney', tolerance: 0.1 } });
  });

  it('refuses inputs that do not match the plan', () => {
    expect(() =>
      judgeMetric(spec, errors, { kind: 'scalar', query: 'q', canary: { kind: 'value', value: 1 } }),
    ).toThrow('the plan needs "request-counts" inputs, got "scalar"');
  });
});
