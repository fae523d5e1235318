import { HeliomeshError } from '@heliomesh/util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analysisSpecJsonSchema, parseAnalysisSpec } from './analysis-spec.schema.js';
import { templateVariables } from './builtin-metrics.js';
import { durationMs, durationSeconds } from './duration.util.js';

function errorOf(input: unknown): HeliomeshError {
  try {
    parseAnalysisSpec(input, ['spec', 'analysis']);
  } catch (err) {
    if (err instanceof HeliomeshError) return err;
    throw err;
  }
  throw new Error('expected the spec to be rejected');
}

const minimal = {
  metrics: [{ name: 'success', kind: 'request-success-rate', judge: { type: 'threshold', min: 99 } }],
};

describe('parseAnalysisSpec', () => {
  it('applies defaults', () => {
    expect(parseAnalysisSpec(minimal)).toEqual({
      interval: '1m',
      minRequests: 100,
      failureLimit: 1,
      consecutive: false,
      metrics: [{ name: 'success', kind: 'request-success-rate', judge: { type: 'threshold', min: 99 } }],
    });
    const compare = parseAnalysisSpec({
      metrics: [{ name: 'latency', kind: 'request-duration', judge: { type: 'compare' } }],
    });
    expect(compare.metrics[0]).toEqual({
      name: 'latency',
      kind: 'request-duration',
      quantile: 0.99,
      judge: { type: 'compare', confidence: 0.98 },
    });
  });

  it('accepts a full spec with a custom template', () => {
    const spec = parseAnalysisSpec({
      interval: '30s',
      window: '2m',
      minRequests: 50,
      failureLimit: 3,
      consecutive: true,
      noDataLimit: 10,
      metrics: [
        {
          name: 'errors',
          kind: 'request-success-rate',
          judge: { type: 'compare', confidence: 0.99, tolerance: 0.2 },
          window: '5m',
        },
        { name: 'p95', kind: 'request-duration', quantile: 0.95, judge: { type: 'threshold', max: 300 } },
        {
          name: 'queue-depth',
          kind: 'custom',
          query: 'max(queue_depth{namespace="{{ namespace }}",version="{{ version }}"}[{{ interval }}])',
          unit: 'jobs',
          judge: { type: 'threshold', max: 1000 },
          minRequests: 0,
        },
      ],
    });
    expect(spec.metrics.map((m) => m.name)).toEqual(['errors', 'p95', 'queue-depth']);
  });

  it.each([
    [{ ...minimal, extra: true }, '$.spec.analysis', 'Unrecognized key: "extra"'],
    [{ metrics: [] }, '$.spec.analysis.metrics', 'Too small'],
    [
      { ...minimal, interval: '1 minute' },
      '$.spec.analysis.interval',
      'Expected a duration such as 30s, 1m or 1h30m.',
    ],
    [
      { ...minimal, interval: '1500ms' },
      '$.spec.analysis.interval',
      'Expected whole seconds between 1s and 24h.',
    ],
    [{ ...minimal, failureLimit: -1 }, '$.spec.analysis.failureLimit', 'Too small'],
    [
      { metrics: [{ name: 'x', kind: 'request-success-rate', judge: { type: 'threshold' } }] },
      '$.spec.analysis.metrics[0].judge',
      'A threshold judge needs min, max or both.',
    ],
    [
      {
        metrics: [
          { name: 'x', kind: 'request-success-rate', judge: { type: 'threshold', min: 99.5, max: 99 } },
        ],
      },
      '$.spec.analysis.metrics[0].judge',
      'min must not be greater than max.',
    ],
    [
      {
        metrics: [
          { name: 'x', kind: 'request-success-rate', judge: { type: 'threshold', min: 0.99 * 1000 } },
        ],
      },
      '$.spec.analysis.metrics[0].judge.min',
      'A success rate is a percentage',
    ],
    [
      { metrics: [{ name: 'x', kind: 'request-success-rate', judge: { type: 'compare', confidence: 1 } }] },
      '$.spec.analysis.metrics[0].judge.confidence',
      'Too big',
    ],
    [
      { metrics: [{ name: 'x', kind: 'latency', judge: { type: 'compare' } }] },
      '$.spec.analysis.metrics[0].kind',
      'Invalid discriminator value',
    ],
    [
      { metrics: [{ name: 'Bad_Name', kind: 'request-success-rate', judge: { type: 'threshold', min: 1 } }] },
      '$.spec.analysis.metrics[0].name',
      'Expected a lowercase name',
    ],
    [
      { metrics: [{ name: 'c', kind: 'custom', query: 'up', judge: { type: 'compare' } }] },
      '$.spec.analysis.metrics[0].judge.type',
      'A custom metric supports only the threshold judge',
    ],
    [
      {
        metrics: [
          { name: 'c', kind: 'custom', query: 'up{a="{{ cluster }}"}', judge: { type: 'threshold', max: 1 } },
        ],
      },
      '$.spec.analysis.metrics[0].query',
      'Unknown template variable {{ cluster }}; known variables: namespace, service, version, canary, stable, interval, target.',
    ],
    [
      {
        metrics: [
          { name: 'c', kind: 'custom', query: 'up{a="{{ .Values }}"}', judge: { type: 'threshold', max: 1 } },
        ],
      },
      '$.spec.analysis.metrics[0].query',
      'Malformed placeholder {{ .Values }}',
    ],
  ])('rejects %j at %s', (input, path, message) => {
    const err = errorOf(input);
    expect(err.code).toBe('ANALYSIS_SPEC_INVALID');
    expect(err.status).toBe(400);
    expect(err.path).toBe(path);
    expect(err.message).toContain(message);
    expect(err.details[0]).toMatchObject({ code: 'ANALYSIS_SPEC_INVALID', path });
  });

  it('reports a duplicate metric name at the second use', () => {
    const err = errorOf({ metrics: [minimal.metrics[0], minimal.metrics[0]] });
    expect(err.path).toBe('$.spec.analysis.metrics[1].name');
    expect(err.message).toContain('already used by metrics[0]');
  });

  it('never throws anything but a HeliomeshError, on any input', () => {
    fc.assert(
      fc.property(fc.anything(), (input) => {
        try {
          parseAnalysisSpec(input);
        } catch (err) {
          expect(err).toBeInstanceOf(HeliomeshError);
        }
      }),
    );
  });

  it('accepts every template variable the engine fills, and the engine fills them all', () => {
    const vars = templateVariables({
      namespace: 'shop',
      service: 'cart',
      canaryVersion: 'v2',
      stableVersion: 'v1',
      canaryWorkload: 'cart-v2',
      window: '1m',
    });
    const query = Object.keys(vars)
      .map((k) => `{{ ${k} }}`)
      .join(' ');
    expect(() =>
      parseAnalysisSpec({
        metrics: [{ name: 'c', kind: 'custom', query, judge: { type: 'threshold', max: 1 } }],
      }),
    ).not.toThrow();
    expect(vars).toEqual({
      namespace: 'shop',
      service: 'cart',
      version: 'v2',
      canary: 'v2',
      stable: 'v1',
      interval: '1m',
      target: 'cart-v2',
    });
  });

  it('exports a JSON Schema of what users write', () => {
    const schema = analysisSpecJsonSchema();
    expect(schema['additionalProperties']).toBe(false);
    expect(schema['required']).toEqual(['metrics']);
    const props = schema['properties'] as Record<string, Record<string, unknown>>;
    expect(props['interval']).toMatchObject({ type: 'string', default: '1m' });
    expect(props['failureLimit']).toMatchObject({ type: 'integer', default: 1, minimum: 0 });
    expect(JSON.stringify(schema)).toContain('"const":"request-success-rate"');
  });
});

describe('durations', () => {
  it.each([
    ['30s', 30_000],
    ['1m', 60_000],
    ['1h30m', 5_400_000],
    ['500ms', 500],
    ['1m', 60_000],
    ['1d', undefined],
    ['', undefined],
    ['-1m', undefined],
  ])('%s = %s ms', (text, ms) => expect(durationMs(text)).toBe(ms));

  it('reads any sum of units back, and never throws on other text', () => {
    const unit = fc.constantFrom(['ms', 1], ['s', 1000], ['m', 60_000], ['h', 3_600_000]);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat({ max: 10_000 }), unit), { minLength: 1, maxLength: 4 }),
        (parts) => {
          const text = parts.map(([n, [u]]) => `${n}${u}`).join('');
          expect(durationMs(text)).toBe(parts.reduce((sum, [n, [, ms]]) => sum + n * (ms as number), 0));
        },
      ),
    );
    fc.assert(
      fc.property(fc.string(), (text) => {
        const ms = durationMs(text);
        expect(ms === undefined || Number.isSafeInteger(ms)).toBe(true);
      }),
    );
  });

  it('whole seconds only for windows', () => {
    expect(durationSeconds('1m30s')).toBe(90);
    expect(durationSeconds('1500ms')).toBeUndefined();
  });
});
