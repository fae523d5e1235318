import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { envoyFilterSpecSchema } from '../config/extensions.schema.js';
import { compileEnvoyFilter } from './rate-limit.compiler.js';
import { TokenBucket } from './token-bucket.util.js';
import type { SpecProblem } from './validation.types.js';

const value = (bucket: object, enabled = 100, enforced = 100) => ({
  stat_prefix: 'http_local_rate_limiter',
  token_bucket: bucket,
  filter_enabled: { runtime_key: 'e', default_value: { numerator: enabled, denominator: 'HUNDRED' } },
  filter_enforced: { runtime_key: 'f', default_value: { numerator: enforced, denominator: 'HUNDRED' } },
});

function compile(patches: object[]) {
  const problems: SpecProblem[] = [];
  const ef = compileEnvoyFilter(
    envoyFilterSpecSchema.parse({ workloadSelector: { labels: { app: 'reviews' } }, configPatches: patches }),
    { uid: 'u', name: 'rl', namespace: 'shop' },
    problems,
  );
  return { ef, problems };
}

const filterPatch = (typedConfig: object) => ({
  applyTo: 'HTTP_FILTER',
  match: {
    context: 'SIDECAR_INBOUND',
    listener: { filterChain: { filter: { name: 'envoy.filters.network.http_connection_manager' } } },
  },
  patch: {
    operation: 'INSERT_BEFORE',
    value: { name: 'envoy.filters.http.local_ratelimit', typed_config: typedConfig },
  },
});

describe('local rate limit EnvoyFilter (istio-semantics §4.1)', () => {
  it('reads the canonical TypedStruct shape', () => {
    const { ef, problems } = compile([
      filterPatch({
        '@type': 'type.googleapis.com/udpa.type.v1.TypedStruct',
        type_url: 'type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit',
        value: value({ max_tokens: 20, tokens_per_fill: 10, fill_interval: '1s' }),
      }),
    ]);
    expect(problems).toEqual([]);
    expect(ef.insertsFilter).toBe(true);
    expect(ef.filterLimits).toEqual([
      {
        id: 'u#0',
        bucketKey: 'u#0|20|10|1000',
        port: undefined,
        maxTokens: 20,
        tokensPerFill: 10,
        fillIntervalMs: 1000,
        enabled: 1,
        enforced: 1,
        status: 429,
      },
    ]);
    expect(ef.selector).toEqual({ app: 'reviews' });
  });

  it('reads a direct LocalRateLimit Any and the per-route variant', () => {
    const { ef } = compile([
      filterPatch({
        '@type': 'type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit',
        stat_prefix: 'x',
      }),
      {
        applyTo: 'HTTP_ROUTE',
        match: {
          context: 'SIDECAR_INBOUND',
          routeConfiguration: { vhost: { name: 'inbound|http|9080', route: { action: 'ANY' } } },
        },
        patch: {
          operation: 'MERGE',
          value: {
            typed_per_filter_config: {
              'envoy.filters.http.local_ratelimit': {
                '@type': 'type.googleapis.com/udpa.type.v1.TypedStruct',
                type_url:
                  'type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit',
                value: {
                  ...value({ max_tokens: 5, tokens_per_fill: 5, fill_interval: '60s' }),
                  status: { code: 'ServiceUnavailable' },
                },
              },
            },
          },
        },
      },
    ]);
    expect(ef.filterLimits).toEqual([]);
    expect(ef.routeLimits).toMatchObject([{ port: 9080, maxTokens: 5, fillIntervalMs: 60_000, status: 503 }]);
  });

  it('defaults filter_enabled and filter_enforced to 0 % and ignores other patches', () => {
    const { ef } = compile([
      filterPatch({
        '@type': 'type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit',
        token_bucket: { max_tokens: 1, fill_interval: '1s' },
      }),
      { applyTo: 'CLUSTER', patch: { operation: 'MERGE', value: {} } },
    ]);
    expect(ef.filterLimits[0]).toMatchObject({ enabled: 0, enforced: 0, tokensPerFill: 1 });
    expect(ef.ignoredPatches).toBe(1);
  });

  it('reports a bad token bucket with its path', () => {
    const { problems } = compile([
      filterPatch({ '@type': 'x.LocalRateLimit', token_bucket: { max_tokens: 0, fill_interval: '1s' } }),
    ]);
    expect(problems[0]!.path).toEqual([
      'configPatches',
      0,
      'patch',
      'value',
      'typed_config',
      'token_bucket',
      'max_tokens',
    ]);
  });
});

describe('TokenBucket (§4.2)', () => {
  it('starts full and refills continuously', () => {
    const b = new TokenBucket(20, 10, 1000, 0);
    let admitted = 0;
    for (let t = 0; t < 10_000; t += 20) if (b.tryConsume(t)) admitted++;
    expect(admitted).toBe(20 + 100 - 1);
  });

  it('never admits more than max_tokens + rate × elapsed (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 10, max: 5000 }),
        fc.array(fc.integer({ min: 0, max: 500 }), { maxLength: 300 }),
        (max, perFill, interval, gaps) => {
          const b = new TokenBucket(max, perFill, interval, 0);
          let t = 0;
          let admitted = 0;
          for (const gap of gaps) {
            t += gap;
            if (b.tryConsume(t)) admitted++;
          }
          expect(admitted).toBeLessThanOrEqual(max + Math.floor((t * perFill) / interval));
          expect(b.available).toBeLessThanOrEqual(max);
        },
      ),
    );
  });
});
