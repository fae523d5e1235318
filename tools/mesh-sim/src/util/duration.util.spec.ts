import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { durationProblem, formatDurationMs, parseDurationMs } from './duration.util.js';

const UNITS: Array<[string, number]> = [
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1000],
  ['ms', 1],
];

describe('parseDurationMs', () => {
  it('reads the forms Istio configs use', () => {
    expect(parseDurationMs('10s')).toBe(10_000);
    expect(parseDurationMs('1.5s')).toBe(1500);
    expect(parseDurationMs('100ms')).toBe(100);
    expect(parseDurationMs('1m30s')).toBe(90_000);
    expect(parseDurationMs('2h')).toBe(7_200_000);
    expect(parseDurationMs('0.000340s')).toBeCloseTo(0.34);
  });

  it('rejects what is not a duration', () => {
    for (const text of ['', '10', 's', '10 s', '-1s', '1d', '1s ', 'abc', '1.2.3s'])
      expect(parseDurationMs(text)).toBeUndefined();
  });

  it('sums any sequence of number+unit parts (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 10_000 }), fc.constantFrom(...UNITS)), {
          minLength: 1,
          maxLength: 4,
        }),
        (parts) => {
          const text = parts.map(([n, [unit]]) => `${n}${unit}`).join('');
          const expected = parts.reduce((sum, [n, [, ms]]) => sum + n * ms, 0);
          expect(parseDurationMs(text)).toBe(expected);
        },
      ),
    );
  });

  it('never throws on arbitrary input (property)', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const ms = parseDurationMs(text);
        expect(ms === undefined || (Number.isFinite(ms) && ms >= 0)).toBe(true);
      }),
    );
  });

  it('round-trips through formatDurationMs (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000_000 }), (ms) => {
        expect(parseDurationMs(formatDurationMs(ms))).toBe(ms);
      }),
    );
  });
});

describe('durationProblem (istio-semantics §1.9: >= 1 ms, millisecond precision)', () => {
  it('accepts whole milliseconds from 1 ms', () => {
    expect(durationProblem(1)).toBeUndefined();
    expect(durationProblem(parseDurationMs('2.5s'))).toBeUndefined();
  });

  it('rejects sub-millisecond values and precision', () => {
    expect(durationProblem(parseDurationMs('500us'))).toMatch(/at least 1ms/);
    expect(durationProblem(parseDurationMs('1.0005s'))).toMatch(/millisecond precision/);
    expect(durationProblem(undefined)).toMatch(/not a duration/);
  });
});
