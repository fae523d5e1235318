import { re2Error } from '@heliomesh/istio';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { abMatch, describeStep, planRollout, remainingMs, routeAt, settleMs } from './rollout-plan.util.js';
import { parseRolloutSpec } from './rollout-spec.util.js';

const analysis = {
  interval: '2s',
  metrics: [{ name: 'success', kind: 'request-success-rate', judge: { type: 'threshold', min: 99 } }],
};
const base = { target: { namespace: 'shop', service: 'reviews' }, stable: 'v1', canary: 'v2', analysis };
const plan = (strategy: unknown, extra: Record<string, unknown> = {}) =>
  planRollout(parseRolloutSpec({ ...base, strategy, ...extra }));

describe('planRollout', () => {
  it('expands the Flagger shorthand into a weight and an analysis per interval', () => {
    const p = plan({ type: 'canary', stepWeight: 20, maxWeight: 50 });
    expect(p.intervalMs).toBe(2_000);
    expect(p.steps.map((s) => (s.kind === 'route' ? s.route.canaryWeight : s.kind))).toEqual([
      20,
      'analysis',
      40,
      'analysis',
    ]);
  });

  it('waits an interval per weight when the shorthand has no analysis', () => {
    const p = plan(
      { type: 'canary', stepWeight: 50, maxWeight: 100, interval: '3s' },
      { analysis: undefined },
    );
    expect(p.intervalMs).toBe(3_000);
    expect(p.steps).toEqual([
      { kind: 'route', route: { canaryWeight: 50 }, source: '$.strategy.stepWeight' },
      { kind: 'pause', durationMs: 3_000, source: '$.strategy.interval' },
      { kind: 'route', route: { canaryWeight: 100 }, source: '$.strategy.stepWeight' },
      { kind: 'pause', durationMs: 3_000, source: '$.strategy.interval' },
    ]);
  });

  it('puts a mirror phase first and keeps sticky sessions on every route', () => {
    const p = plan({
      type: 'canary',
      steps: [{ setWeight: 10 }, { pause: {} }, { setWeight: 60 }, { analysis: { runs: 2 } }],
      mirror: { percent: 100, iterations: 3 },
      sticky: { cookie: { name: 'canary', ttl: '1h' } },
    });
    expect(p.steps.map((s) => s.kind)).toEqual(['route', 'analysis', 'route', 'pause', 'route', 'analysis']);
    expect(p.steps[0]).toMatchObject({ route: { canaryWeight: 0, mirrorPercent: 100 } });
    expect(p.steps[1]).toMatchObject({ runs: 3 });
    expect(p.steps[3]).toMatchObject({ durationMs: null });
    expect(routeAt(p, 1)).toEqual({
      canaryWeight: 0,
      mirrorPercent: 100,
      sticky: { cookie: { name: 'canary', ttl: '1h' } },
    });
    expect(routeAt(p, 5)).toEqual({ canaryWeight: 60, sticky: { cookie: { name: 'canary', ttl: '1h' } } });
  });

  it('runs A/B and blue/green as a routed, analysed phase before promotion', () => {
    const ab = plan({ type: 'ab', match: { headers: { 'x-user': { exact: 'beta' } } }, iterations: 4 });
    expect(ab.steps).toEqual([
      {
        kind: 'route',
        route: { canaryWeight: 0, match: { headers: { 'x-user': { exact: 'beta' } } } },
        source: '$.strategy.match',
      },
      { kind: 'analysis', runs: 4, source: '$.strategy.iterations' },
    ]);
    const bg = plan({ type: 'blue-green', iterations: 2, mirror: { percent: 100 } });
    expect(bg.steps[0]).toMatchObject({ route: { canaryWeight: 0, mirrorPercent: 100 } });
    expect(plan({ type: 'blue-green', iterations: 2 }).steps[0]).toMatchObject({
      route: { canaryWeight: 0 },
    });
  });

  it('settles a full interval only before an analysis, and estimates what is left', () => {
    const p = plan(
      {
        type: 'canary',
        steps: [
          { setWeight: 10 },
          { analysis: { runs: 3 } },
          { setWeight: 50 },
          { pause: { duration: '5s' } },
        ],
      },
      { bake: '10s' },
    );
    expect([0, 1, 2, 3].map((i) => settleMs(p, i))).toEqual([2_000, 0, 0, 0]);
    // settle 2 s + 2 more runs x 2 s + 0 + pause 5 s + promotion 2 s + bake 10 s
    expect(remainingMs(p, 0, true)).toBe(2_000 + 4_000 + 5_000 + 2_000 + 10_000);
    expect(remainingMs(p, 0, false)).toBe(13_000);
    const manual = plan({ type: 'canary', steps: [{ setWeight: 10 }, { pause: {} }] });
    expect(remainingMs(manual, 0, true)).toBeNull();
    expect(remainingMs(manual, 2, true)).toBe(2_000);
  });

  it('describes steps for people', () => {
    const p = plan({
      type: 'canary',
      steps: [{ setWeight: 10 }, { pause: {} }, { pause: { duration: '30s' } }, { analysis: { runs: 2 } }],
    });
    expect(p.steps.map(describeStep)).toEqual([
      'set route: canary 10 %',
      'pause until resumed',
      'pause 30s',
      'analysis: 2 passing runs',
    ]);
    expect(describeStep(undefined)).toBe('promotion');
  });
});

describe('abMatch', () => {
  it('turns a cookie into an RE2-valid regex on the Cookie header that matches only that cookie', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,12}$/),
        fc.stringMatching(/^[\x21\x23-\x2B\x2D-\x3A\x3C-\x5B\x5D-\x7E]{1,12}$/),
        (name, value) => {
          const regex = abMatch({ cookie: { name, value } }).headers!['cookie']!.regex!;
          expect(re2Error(regex)).toBeUndefined();
          const re = new RegExp(regex);
          expect(re.test(`${name}=${value}`)).toBe(true);
          expect(re.test(`session=1; ${name}=${value}; theme=dark`)).toBe(true);
          expect(re.test(`${name}=${value}x`)).toBe(false);
          expect(re.test(`x${name}=${value}`)).toBe(false);
        },
      ),
    );
  });

  it('keeps header conditions beside the cookie', () => {
    expect(abMatch({ headers: { 'x-user': { exact: 'beta' } }, cookie: { name: 'c', value: '1' } })).toEqual({
      headers: { 'x-user': { exact: 'beta' }, cookie: { regex: '^(.*?;\\s*)?c=1(;.*)?$' } },
    });
  });
});
