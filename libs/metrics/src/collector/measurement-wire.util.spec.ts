import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  hasArrays,
  histogramFromWire,
  isCountRecord,
  isFiniteNumber,
  isWireHistogram,
  readMeasurement,
} from './measurement-wire.util.js';

describe('readMeasurement', () => {
  it('reads the three kinds and keeps only the error fields it knows', () => {
    expect(readMeasurement({ kind: 'value', value: 92.5, requestCount: 40 }, isFiniteNumber)).toEqual({
      kind: 'value',
      value: 92.5,
      requestCount: 40,
    });
    expect(readMeasurement({ kind: 'no-data', reason: 'idle', extra: 1 }, isFiniteNumber)).toEqual({
      kind: 'no-data',
      reason: 'idle',
    });
    expect(
      readMeasurement(
        {
          kind: 'provider-error',
          error: { code: 'QUERY_REJECTED', message: 'm', provider: 'prometheus', query: 'q', stack: 'x' },
        },
        isFiniteNumber,
      ),
    ).toEqual({
      kind: 'provider-error',
      error: { code: 'QUERY_REJECTED', message: 'm', provider: 'prometheus', query: 'q' },
    });
  });

  it.each([
    [{ kind: 'value', value: '92.5' }],
    [{ kind: 'value', value: 1, requestCount: 'many' }],
    [{ kind: 'value' }],
    [{ kind: 'no-data' }],
    [{ kind: 'provider-error', error: { code: 'OOPS', message: 'm', provider: 'p' } }],
    [{ kind: 'provider-error', error: { code: 'UNSUPPORTED', message: 1, provider: 'p' } }],
    [{ kind: 'maybe', value: 1 }],
    [[{ kind: 'value', value: 1 }]],
    [null],
  ])('refuses %j', (body) => {
    expect(readMeasurement(body, isFiniteNumber)).toBeUndefined();
  });

  it('checks the outer shape of structured values', () => {
    expect(isCountRecord({ '-': 3, UO: 1 })).toBe(true);
    expect(isCountRecord({ '-': '3' })).toBe(false);
    expect(hasArrays('nodes', 'edges')({ nodes: [{}], edges: [] })).toBe(true);
    expect(hasArrays('nodes', 'edges')({ nodes: [1], edges: [] })).toBe(false);
    expect(
      isWireHistogram({
        count: 3,
        buckets: [
          { le: 1, count: 2 },
          { le: null, count: 3 },
        ],
      }),
    ).toBe(true);
    expect(isWireHistogram({ count: 3, buckets: [{ le: '+Inf', count: 3 }] })).toBe(false);
  });

  it('turns the null bound JSON makes of +Inf back into Infinity', () => {
    const wire = JSON.parse(
      JSON.stringify({
        count: 3,
        buckets: [
          { le: 1, count: 2 },
          { le: Number.POSITIVE_INFINITY, count: 3 },
        ],
      }),
    ) as Record<string, unknown>;
    expect(histogramFromWire(wire)).toEqual({
      count: 3,
      buckets: [
        { le: 1, count: 2 },
        { le: Number.POSITIVE_INFINITY, count: 3 },
      ],
    });
  });

  it('property: never throws on any JSON, and whatever it accepts is one of the three kinds', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (body) => {
        const m = readMeasurement(body, isFiniteNumber);
        if (m === undefined) return;
        expect(['value', 'no-data', 'provider-error']).toContain(m.kind);
        if (m.kind === 'value') expect(Number.isFinite(m.value)).toBe(true);
      }),
    );
  });

  it('property: every measurement the collector can send survives the JSON round trip', () => {
    const measurement = fc.oneof(
      fc.record({ kind: fc.constant('value'), value: fc.double({ noNaN: true, noDefaultInfinity: true }) }),
      fc.record({ kind: fc.constant('no-data'), reason: fc.string() }),
      fc.record({
        kind: fc.constant('provider-error'),
        error: fc.record(
          {
            code: fc.constantFrom(
              'PROVIDER_UNREACHABLE',
              'PROVIDER_TIMEOUT',
              'PROVIDER_BAD_RESPONSE',
              'QUERY_REJECTED',
              'UNSUPPORTED',
            ),
            message: fc.string(),
            provider: fc.string(),
            query: fc.string(),
          },
          { requiredKeys: ['code', 'message', 'provider'] },
        ),
      }),
    );
    fc.assert(
      fc.property(measurement, (m) => {
        const wire = JSON.parse(JSON.stringify(m)) as unknown;
        // -0 becomes 0 in JSON; everything else comes back as sent.
        expect(readMeasurement(wire, isFiniteNumber)).toEqual(wire);
      }),
    );
  });
});
