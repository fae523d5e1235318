import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assessAnalysis, type AnalysisRun } from './assess-analysis.util.js';
import type { MetricVerdict, VerdictOutcome } from './verdict.types.js';

function verdict(metric: string, outcome: VerdictOutcome): MetricVerdict {
  return {
    metric,
    judge: 'threshold',
    window: '1m',
    query: metric,
    canary: { value: null, samples: null },
    threshold: { kind: 'range', min: 1, unit: '' },
    outcome,
    explanation: outcome,
  };
}

/** Runs from a compact notation: 'pf' = metric a passed, metric b failed. */
function runs(...ticks: string[]): AnalysisRun[] {
  const code: Record<string, VerdictOutcome> = { p: 'pass', f: 'fail', n: 'no-data', e: 'provider-error' };
  return ticks.map((t) => ({
    verdicts: [...t].map((c, i) => verdict(String.fromCharCode(97 + i), code[c]!)),
  }));
}

describe('assessAnalysis', () => {
  it.each([
    [[], 0, false, 'hold'],
    [['pp'], 0, false, 'continue'],
    [['pf'], 0, false, 'fail'],
    [['pf'], 1, false, 'hold'],
    [['pf', 'pp', 'pf'], 1, false, 'fail'],
    [['pf', 'pp', 'pf'], 1, true, 'hold'],
    [['pf', 'pf'], 1, true, 'fail'],
    [['pn'], 0, false, 'hold'],
    [['pe'], 0, false, 'pause'],
    [['ee', 'ee', 'ee'], 0, false, 'pause'],
    [['fe'], 0, false, 'fail'],
    [['fp', 'ep'], 1, false, 'pause'],
    [['nf'], 1, false, 'hold'],
    [['fn', 'nn', 'pp'], 1, true, 'continue'],
  ])('%j with failureLimit %i (consecutive %s) -> %s', (ticks, failureLimit, consecutive, decision) => {
    expect(assessAnalysis(runs(...ticks), { failureLimit, consecutive }).decision).toBe(decision);
  });

  it('explains a failure with the counts and the limit', () => {
    expect(assessAnalysis(runs('pf', 'pf'), { failureLimit: 1 })).toEqual({
      decision: 'fail',
      failures: { a: 0, b: 2 },
      metrics: ['b'],
      reason: 'The analysis failed: b failed 2 times, more than the failure limit of 1.',
    });
    expect(assessAnalysis(runs('pe'), { failureLimit: 1 }).reason).toBe(
      'Paused: the metrics provider failed for b; fix the provider and resume (this is not a failed check).',
    );
    expect(assessAnalysis(runs('pf'), { failureLimit: 1 }).reason).toBe(
      'Holding: failed check within the limit (b 1 of 1 allowed).',
    );
  });

  it('pauses after noDataLimit runs in a row without data, and not before', () => {
    expect(assessAnalysis(runs('pn', 'pn'), { failureLimit: 0, noDataLimit: 3 }).decision).toBe('hold');
    const paused = assessAnalysis(runs('pn', 'pn', 'pn'), { failureLimit: 0, noDataLimit: 3 });
    expect(paused.decision).toBe('pause');
    expect(paused.reason).toBe(
      'Paused: no data for b in the last 3 runs; check that traffic reaches the canary.',
    );
    expect(assessAnalysis(runs('pn', 'pp', 'pn'), { failureLimit: 0, noDataLimit: 2 }).decision).toBe('hold');
  });

  it('no-data and provider errors are never failed checks', () => {
    const outcome = fc.constantFrom<VerdictOutcome>('pass', 'no-data', 'provider-error');
    fc.assert(
      fc.property(fc.array(fc.array(outcome, { minLength: 1, maxLength: 3 }), { maxLength: 20 }), (ticks) => {
        const history = ticks.map((t) => ({ verdicts: t.map((o, i) => verdict(`m${i}`, o)) }));
        const a = assessAnalysis(history, { failureLimit: 0 });
        expect(a.decision).not.toBe('fail');
        expect(Object.values(a.failures).every((n) => n === 0)).toBe(true);
      }),
    );
  });

  it('more failures never make the decision more lenient', () => {
    const rank = { continue: 0, hold: 1, pause: 1, fail: 2 };
    const outcome = fc.constantFrom<VerdictOutcome>('pass', 'fail');
    fc.assert(
      fc.property(
        fc.array(outcome, { minLength: 1, maxLength: 15 }),
        fc.nat({ max: 3 }),
        fc.nat(),
        (ticks, limit, flip) => {
          const history = (t: VerdictOutcome[]) => t.map((o) => ({ verdicts: [verdict('m', o)] }));
          const worse = [...ticks];
          worse[flip % worse.length] = 'fail';
          expect(
            rank[assessAnalysis(history(worse), { failureLimit: limit }).decision],
          ).toBeGreaterThanOrEqual(rank[assessAnalysis(history(ticks), { failureLimit: limit }).decision]);
        },
      ),
    );
  });
});
