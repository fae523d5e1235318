import { describe, expect, it } from 'vitest';
import { analysis, event, rolloutView, verdict } from '../../test/rollout-fixtures.js';
import { palette, visibleWidth } from '../io/palette.util.js';
import { bar, eventLine, formatMeasured, progressLine, verdictSummary } from './rollout-format.util.js';

const p = palette(false);

describe('rollout formatting', () => {
  it('draws a bar of the canary weight, ASCII outside terminals', () => {
    expect(bar(0, 10, false)).toBe('[----------]');
    expect(bar(50, 10, false)).toBe('[#####-----]');
    expect(bar(100, 10, true)).toBe('[██████████]');
    expect(bar(140, 4, false)).toBe('[####]');
  });

  it('formats measurements in their unit', () => {
    expect(formatMeasured(99.8765, '%')).toBe('99.88 %');
    expect(formatMeasured(4.321, 'ms')).toBe('4.32 ms');
    expect(formatMeasured(38.27, 'ms')).toBe('38.3 ms');
    expect(formatMeasured(2035.4, 'ms')).toBe('2035 ms');
    expect(formatMeasured(null, 'ms')).toBe('no data');
  });

  it('shows weight, step, phase and the last measurements on the progress line', () => {
    const events = [
      analysis(1, 'hold', [verdict('success-rate', null, 'no-data', '%')]),
      analysis(2, 'continue', [
        verdict('success-rate', 99.9, 'pass', '%'),
        verdict('latency-p99', 38, 'pass', 'ms'),
      ]),
    ];
    expect(progressLine(rolloutView(), events, p, { unicode: false, columns: 200 })).toBe(
      'reviews v1→v2  [####----------------]   20 %  Progressing  step 2/4 analysis: 1 passing run  success-rate 99.9 % ✓ · latency-p99 38 ms ✓',
    );
    const waiting = rolloutView({ nextTickAt: '2026-01-01T00:00:07.200Z' });
    expect(
      progressLine(waiting, [], p, { unicode: false, columns: 200, now: Date.parse('2026-01-01T00:00:03Z') }),
    ).toBe(
      'reviews v1→v2  [####----------------]   20 %  Progressing  step 2/4 analysis: 1 passing run, next check in 5s',
    );
    // A line that would wrap cannot be redrawn in place: measurements go first, then the tail.
    expect(progressLine(rolloutView(), events, p, { unicode: false, columns: 100 })).toBe(
      'reviews v1→v2  [####----------------]   20 %  Progressing  step 2/4 analysis: 1 passing run',
    );
    const narrow = progressLine(rolloutView(), events, palette(true), { unicode: true, columns: 40 });
    expect(narrow).toBe(`reviews v1→v2  [████${'░'.repeat(16)}] …`);
    expect(visibleWidth(narrow)).toBe(39);
  });

  it('sums up a promotion with its evidence', () => {
    const events = [
      analysis(1, 'hold', [verdict('success-rate', null, 'no-data', '%', 0)]),
      analysis(2, 'continue', [
        verdict('success-rate', 100, 'pass', '%', 210.4),
        verdict('latency-p99', 184, 'pass', 'ms', 210.4),
      ]),
      analysis(
        3,
        'continue',
        [
          verdict('success-rate', 99.95, 'pass', '%', 500.2),
          verdict('latency-p99', 212, 'pass', 'ms', 500.2),
        ],
        50,
      ),
    ];
    const view = rolloutView({
      phase: 'Succeeded',
      canaryWeight: 100,
      phaseReason: { code: 'promoted', message: '' },
    });
    expect(verdictSummary(view, events, p)).toBe(
      '✔ shop/reviews v2 promoted to 100 %: success-rate 99.95 % (needs ≥ 99 %), latency-p99 212 ms (needs ≤ 500 ms); 2 analysis runs, 711 canary requests judged.',
    );
  });

  it('sums up a rollback with the weight it happened at and the failing measurements', () => {
    const events = [
      analysis(4, 'fail', [
        verdict('success-rate', 93.55, 'fail', '%', 119),
        verdict('latency-p99', 2035, 'fail', 'ms', 119),
      ]),
    ];
    const view = rolloutView({
      phase: 'RolledBack',
      canary: 'v3',
      stable: 'v2',
      canaryWeight: 0,
      phaseReason: { code: 'analysis-failed', message: 'The analysis failed.' },
    });
    expect(verdictSummary(view, events, p)).toBe(
      '✘ shop/reviews v3 rolled back at 20 % (analysis-failed): success-rate 93.55 % (needs ≥ 99 %), latency-p99 2035 ms (needs ≤ 500 ms); 1 analysis run, 119 canary requests judged.',
    );
    expect(
      verdictSummary(
        rolloutView({ phase: 'Aborted', phaseReason: { code: 'aborted', message: 'Aborted by token:ana.' } }),
        [],
        p,
      ),
    ).toBe('✘ shop/reviews v2 aborted (aborted): Aborted by token:ana. Traffic is back on v1.');
  });

  it('prints the events a human cares about, with their time', () => {
    expect(eventLine(event(7, { type: 'transition', message: 'Promoting v2.' }), p)).toBe(
      '00:00:07 Promoting v2.',
    );
    expect(eventLine(analysis(8, 'fail', [verdict('success-rate', 90, 'fail', '%')]), p)).toBe(
      '00:00:08 analysis at 20 %: fail (success-rate 90 % ✗)',
    );
    expect(eventLine(event(9, { type: 'route' }), p)).toBeUndefined();
  });
});
