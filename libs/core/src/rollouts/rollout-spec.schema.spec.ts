import { HeliomeshError } from '@heliomesh/util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planRollout } from './rollout-plan.util.js';
import { parseRolloutSpec, rolloutSpecJsonSchema } from './rollout-spec.util.js';

const analysis = {
  interval: '2s',
  metrics: [{ name: 'success', kind: 'request-success-rate', judge: { type: 'threshold', min: 99 } }],
};
const base = {
  target: { namespace: 'shop', service: 'reviews' },
  stable: 'v1',
  canary: 'v2',
  analysis,
};
const canary = { ...base, strategy: { type: 'canary', steps: [{ setWeight: 10 }, { analysis: {} }] } };

function rejection(input: unknown): HeliomeshError {
  try {
    parseRolloutSpec(input);
  } catch (err) {
    if (err instanceof HeliomeshError) return err;
    throw err;
  }
  throw new Error('expected the rollout to be rejected');
}

describe('parseRolloutSpec', () => {
  it('applies defaults', () => {
    const spec = parseRolloutSpec(canary);
    expect(spec.onFailure).toBe('rollback');
    expect(spec.webhooks).toEqual([]);
    expect(spec.strategy).toEqual({ type: 'canary', steps: [{ setWeight: 10 }, { analysis: { runs: 1 } }] });
    expect(spec.analysis).toMatchObject({ interval: '2s', minRequests: 100, failureLimit: 1 });
  });

  it('accepts every strategy, sticky sessions, a mirror phase, a bake and webhooks', () => {
    const specs = [
      { ...base, strategy: { type: 'canary', stepWeight: 10, maxWeight: 50 } },
      {
        ...base,
        analysis: undefined,
        strategy: { type: 'canary', stepWeight: 25, maxWeight: 100, interval: '5s' },
      },
      {
        ...canary,
        strategy: {
          ...canary.strategy,
          mirror: { percent: 100, iterations: 2 },
          sticky: { cookie: { name: 'canary', ttl: '1h' } },
        },
        bake: '30s',
        onFailure: 'freeze',
      },
      {
        ...base,
        strategy: { type: 'ab', match: { headers: { 'x-user': { exact: 'beta' } } }, iterations: 3 },
      },
      {
        ...base,
        strategy: { type: 'ab', match: { cookie: { name: 'flavour', value: 'canary' } }, iterations: 1 },
      },
      { ...base, strategy: { type: 'blue-green', iterations: 2, mirror: { percent: 50 } } },
      {
        ...canary,
        webhooks: [
          { name: 'load', type: 'pre-rollout', url: 'http://loadtester.test/gate' },
          {
            name: 'ok',
            type: 'confirm-promotion',
            url: 'https://gate.test/ok',
            timeout: '2s',
            retries: 0,
            metadata: { cmd: 'hey' },
          },
        ],
      },
    ];
    for (const input of specs) expect(() => parseRolloutSpec(input)).not.toThrow();
    const hooks = parseRolloutSpec(specs.at(-1)).webhooks;
    expect(hooks[0]).toMatchObject({ timeout: '5s', retries: 2 });
  });

  it.each([
    [{ ...canary, surprise: 1 }, '$.surprise', /unknown field "surprise"/],
    [{ ...canary, canary: 'v1' }, '$.canary', /another version/],
    [{ ...canary, analysis: undefined }, '$.strategy.steps[1].analysis', /needs an analysis spec/],
    [
      { ...canary, strategy: { type: 'canary', steps: [{ setWeight: 101 }] } },
      '$.strategy.steps[0].setWeight',
      /100/,
    ],
    [
      { ...canary, strategy: { type: 'canary', steps: [{ setWeight: 5, pause: {} }] } },
      '$.strategy.steps[0]',
      /exactly one/,
    ],
    [
      { ...canary, strategy: { type: 'canary', steps: [{ pause: { duration: '500ms' } }] } },
      '$.strategy.steps[0].pause.duration',
      /whole seconds/,
    ],
    [{ ...canary, strategy: { type: 'canary', stepWeight: 10 } }, '$.strategy.maxWeight', /needs maxWeight/],
    [
      { ...canary, strategy: { type: 'canary', stepWeight: 30, maxWeight: 20 } },
      '$.strategy.maxWeight',
      /at least stepWeight/,
    ],
    [
      { ...canary, strategy: { type: 'canary', steps: [{ setWeight: 1 }], stepWeight: 5, maxWeight: 10 } },
      '$.strategy',
      /either steps or/,
    ],
    [
      { ...canary, strategy: { type: 'canary', stepWeight: 5, maxWeight: 10, interval: '5s' } },
      '$.strategy.interval',
      /set twice/,
    ],
    [
      { ...base, analysis: undefined, strategy: { type: 'blue-green', iterations: 2 } },
      '$.strategy',
      /blue\/green rollout needs an analysis/,
    ],
    [
      { ...base, strategy: { type: 'ab', match: {}, iterations: 2 } },
      '$.strategy.match',
      /headers, a cookie/,
    ],
    [
      { ...base, strategy: { type: 'ab', match: { cookie: { name: 'a b', value: 'x' } }, iterations: 2 } },
      '$.strategy.match.cookie.name',
      /cookie name/,
    ],
    [
      {
        ...base,
        strategy: {
          type: 'ab',
          match: { cookie: { name: 'a', value: 'x' }, headers: { Cookie: { exact: 'a=x' } } },
          iterations: 2,
        },
      },
      '$.strategy.match.cookie',
      /not both/,
    ],
    [{ ...canary, strategy: { type: 'rainbow' } }, '$.strategy.type', /./],
    [
      { ...canary, webhooks: [{ name: 'x', type: 'rollout', url: 'ftp://x.test/' }] },
      '$.webhooks[0].url',
      /http/,
    ],
    [
      { ...canary, webhooks: [{ name: 'x', type: 'teardown', url: 'http://x.test/' }] },
      '$.webhooks[0].type',
      /./,
    ],
    [
      { ...canary, webhooks: [{ name: 'x', type: 'rollout', url: 'http://x.test/', timeout: '2m' }] },
      '$.webhooks[0].timeout',
      /at most 60s/,
    ],
    [
      {
        ...canary,
        webhooks: [
          { name: 'x', type: 'rollout', url: 'http://x.test/' },
          { name: 'x', type: 'rollback', url: 'http://x.test/' },
        ],
      },
      '$.webhooks[1].name',
      /used by webhooks\[0\]/,
    ],
    [
      {
        ...canary,
        bake: '10s',
        analysis: undefined,
        strategy: { type: 'canary', steps: [{ setWeight: 50 }] },
      },
      '$.bake',
      /needs an analysis/,
    ],
    [
      {
        ...canary,
        analysis: { metrics: [{ name: 'q', kind: 'custom', query: 'up', judge: { type: 'compare' } }] },
      },
      '$.analysis.metrics[0].judge.type',
      /threshold/,
    ],
    [{ ...canary, onFailure: 'explode' }, '$.onFailure', /./],
  ])('rejects %j at %s', (input, path, message) => {
    const err = rejection(input);
    expect(err.code).toBe('ROLLOUT_SPEC_INVALID');
    expect(err.status).toBe(422);
    expect(err.details.map((d) => d.path)).toContain(path);
    expect(err.details.find((d) => d.path === path)!.message).toMatch(message);
    expect(err.path).toBe(err.details[0]!.path);
  });

  it('never throws anything but a 422 HeliomeshError, whatever it is given', () => {
    const json = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        fc.constantFrom(null, true, 0, -1, 1.5, '', 'v1', '2s', 'canary', 'http://x.test/'),
        fc.string(),
        fc.double(),
        fc.array(tie('value'), { maxLength: 3 }),
        fc.dictionary(
          fc.constantFrom(
            'target',
            'stable',
            'canary',
            'strategy',
            'steps',
            'type',
            'setWeight',
            'webhooks',
            'analysis',
            '__proto__',
            'x',
          ),
          tie('value'),
          { maxKeys: 5 },
        ),
      ),
    })).value;
    fc.assert(
      fc.property(json, (input) => {
        try {
          parseRolloutSpec(input);
        } catch (err) {
          expect(err).toBeInstanceOf(HeliomeshError);
          expect((err as HeliomeshError).status).toBe(422);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('accepts every well-formed canary, and plans weights within 0-100 with analysis only when specified', () => {
    const step = fc.oneof(
      fc.integer({ min: 0, max: 100 }).map((w) => ({ setWeight: w })),
      fc
        .option(fc.integer({ min: 1, max: 600 }), { nil: undefined })
        .map((s) => ({ pause: s === undefined ? {} : { duration: `${s}s` } })),
      fc.integer({ min: 1, max: 5 }).map((runs) => ({ analysis: { runs } })),
    );
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 30 }), fc.boolean(), (steps, analysed) => {
        const input = {
          ...base,
          ...(analysed ? {} : { analysis: undefined }),
          strategy: { type: 'canary', steps: analysed ? steps : steps.filter((s) => !('analysis' in s)) },
        };
        if (input.strategy.steps.length === 0) return;
        const plan = planRollout(parseRolloutSpec(input));
        expect(plan.steps).toHaveLength(input.strategy.steps.length);
        for (const s of plan.steps) {
          if (s.kind === 'route') expect(s.route.canaryWeight).toBeGreaterThanOrEqual(0);
          if (s.kind === 'route') expect(s.route.canaryWeight).toBeLessThanOrEqual(100);
          if (s.kind === 'analysis') expect(analysed).toBe(true);
        }
      }),
    );
  });

  it('exports a JSON Schema for the body', () => {
    const schema = rolloutSpecJsonSchema();
    expect(schema['type']).toBe('object');
    expect(Object.keys(schema['properties'] as object)).toEqual(
      expect.arrayContaining([
        'target',
        'stable',
        'canary',
        'strategy',
        'analysis',
        'onFailure',
        'bake',
        'webhooks',
      ]),
    );
    expect(schema['additionalProperties']).toBe(false);
  });
});
