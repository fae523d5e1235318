import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { generateToken, isWellFormedToken } from '@heliomesh/auth';
import { clusterAccessEnv, env, loadConfig } from '@heliomesh/config';
import { coalesceValues, mergeUserValues, validateValues, type GoMap } from '../src/index.js';
import { REQUIRED_VALUES, heliomeshChart } from './chart.fixture.js';

/**
 * The forms values.schema.json accepts, compared with what the services themselves accept: a
 * value the chart lets through must never stop a service at start (or, for ADMIN_TOKEN, be
 * refused when policy-api registers it).
 */

const chart = await heliomeshChart();

/** Whether the schema accepts `patch` over the defaults, judged at `path` only. */
function schemaAccepts(patch: GoMap, path: string): boolean {
  const values = coalesceValues(mergeUserValues([REQUIRED_VALUES, patch]), chart.values);
  return !validateValues(chart.schema!, values).some((i) => i.path === path || i.path.startsWith(`${path}[`));
}

function serviceAccepts(schema: z.ZodObject, name: string, value: string): boolean {
  try {
    loadConfig(schema, { [name]: value });
    return true;
  } catch {
    return false;
  }
}

const sh = (script: string) => execFileSync('sh', ['-c', script], { encoding: 'utf8' }).trim();

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const NOISE = `${B64URL}+/=. :%@\u00e9`;
const charsOf = (alphabet: string, min: number, max: number) =>
  fc.string({ unit: fc.constantFrom(...alphabet), minLength: min, maxLength: max });

/** Mostly near-misses: the right shape with one thing wrong is where a pattern goes astray. */
function mutated(base: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.oneof(
    base,
    fc.tuple(base, fc.nat(), fc.constantFrom(...NOISE)).map(([s, i, c]) => {
      const at = s.length === 0 ? 0 : i % s.length;
      return s.slice(0, at) + c + s.slice(at + 1);
    }),
    fc.tuple(base, fc.nat()).map(([s, i]) => s.slice(0, s.length === 0 ? 0 : i % s.length)),
    fc.tuple(base, charsOf(NOISE, 1, 3)).map(([s, extra]) => s + extra),
    fc.string({ maxLength: 60 }),
  );
}

describe('auth.bootstrapAdminToken (ADMIN_TOKEN)', () => {
  const path = '$.auth.bootstrapAdminToken';
  const accepts = (token: string) => schemaAccepts({ auth: { bootstrapAdminToken: token } }, path);

  it('is accepted exactly when policy-api would register it (or empty)', () => {
    const tokens = mutated(
      fc.oneof(
        charsOf(B64URL, 40, 46).map((s) => `hm_${s}`),
        fc.constant(null).map(() => generateToken().secret),
      ),
    );
    fc.assert(
      fc.property(tokens, (token) => accepts(token) === (token === '' || isWellFormedToken(token))),
      { numRuns: 400 },
    );
  });

  it('is what the documented openssl command prints, every time', () => {
    for (let i = 0; i < 25; i++) {
      const token = sh(`echo "hm_$(openssl rand -base64 32 | tr '+/' '-_' | tr -d '=')"`);
      expect(token).toHaveLength(46);
      expect(isWellFormedToken(token), token).toBe(true);
      expect(accepts(token), token).toBe(true);
    }
  });
});

describe('auth.clusterSecretKey (CLUSTER_SECRET_KEY)', () => {
  const path = '$.auth.clusterSecretKey';
  const accepts = (key: string) => schemaAccepts({ auth: { clusterSecretKey: key } }, path);
  const services = z.object(clusterAccessEnv);

  it('is accepted exactly when the services accept it', () => {
    const keys = mutated(
      fc.oneof(
        fc.uint8Array({ minLength: 30, maxLength: 34 }).map((b) => Buffer.from(b).toString('base64')),
        fc
          .uint8Array({ minLength: 32, maxLength: 32 })
          .map((b) => Buffer.from(b).toString('base64').replace(/=+$/, '')),
        fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => `${Buffer.from(b).toString('base64')}=`),
        // Any length near 43 with any padding: where the byte count and the pattern can disagree.
        fc.tuple(charsOf(B64, 41, 45), fc.integer({ min: 0, max: 3 })).map(([s, pad]) => s + '='.repeat(pad)),
      ),
    );
    fc.assert(
      fc.property(keys, (key) => {
        // An empty value is "not set" to the services; the schema then requires existingSecret.
        if (key === '') return true;
        return accepts(key) === serviceAccepts(services, 'CLUSTER_SECRET_KEY', key);
      }),
      { numRuns: 400 },
    );
  });

  it('is what `openssl rand -base64 32` prints, every time', () => {
    for (let i = 0; i < 25; i++) {
      const key = sh('openssl rand -base64 32');
      expect(accepts(key), key).toBe(true);
      expect(serviceAccepts(services, 'CLUSTER_SECRET_KEY', key), key).toBe(true);
    }
  });
});

describe('URLs: metricsCollector.prometheus.url, .url and .scrape.targets', () => {
  const services = z.object({ URL: env.httpUrl('http://127.0.0.1:1') });
  const label = charsOf('abcdefghijklmnopqrstuvwxyz0123456789-', 1, 12).filter(
    (l) => !l.startsWith('-') && !l.endsWith('-'),
  );
  const host = fc.oneof(
    fc
      .tuple(fc.array(label, { maxLength: 4 }), charsOf('abcxyz', 1, 1), fc.option(label))
      .map(([labels, first, rest]) => [...labels, first + (rest ?? '')].join('.')),
    fc.ipV4(),
  );
  const wellFormed = fc
    .tuple(
      fc.constantFrom('http', 'https'),
      host,
      fc.option(fc.integer({ min: 1, max: 65535 })),
      fc.option(charsOf('abcz019/-._~?=&%', 0, 20)),
    )
    .map(
      ([scheme, h, port, path]) =>
        `${scheme}://${h}${port === null ? '' : `:${port}`}${path === null ? '' : `/${path}`}`,
    );
  /** Near the edges of what WHATWG URL parsing accepts: big ports and octets, numeric last labels. */
  const edgy = fc
    .tuple(
      fc.constantFrom('http', 'https', 'ftp', 'HTTP'),
      fc.oneof(
        host,
        fc.array(fc.integer({ min: 0, max: 999 }), { minLength: 1, maxLength: 5 }).map((o) => o.join('.')),
        fc.tuple(label, fc.integer({ min: 0, max: 999 })).map(([l, n]) => `${l}.${n}`),
        fc.constantFrom('', '[::1]', 'a..b', '0x1f', 'a.0x1f', 'a_b', 'xn--bcher-kva', 'a.', '.a'),
      ),
      fc.option(fc.integer({ min: 0, max: 99_999 })),
      fc.option(fc.constantFrom('/', '/metrics', '?q', '#f', '/a b', '/a,b', '/%zz', '\\x')),
    )
    .map(([scheme, h, port, rest]) => `${scheme}://${h}${port === null ? '' : `:${port}`}${rest ?? ''}`);
  const candidates = mutated(
    fc.oneof(wellFormed, edgy, fc.webUrl({ withQueryParameters: true, withFragments: true })),
  );

  it('a URL the schema accepts is one the services accept', () => {
    fc.assert(
      // Empty is a choice, not a URL: "derive it" for the collector URL, refused for Prometheus.
      fc.property(
        candidates.filter((url) => url !== ''),
        (url) => {
          const asPrometheus = schemaAccepts(
            { metricsCollector: { prometheus: { url } } },
            '$.metricsCollector.prometheus.url',
          );
          const asCollector = schemaAccepts({ metricsCollector: { url } }, '$.metricsCollector.url');
          expect(asCollector).toBe(asPrometheus);
          if (asPrometheus) expect(serviceAccepts(services, 'URL', url), url).toBe(true);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('accepts the usual in-cluster and external forms', () => {
    fc.assert(
      fc.property(wellFormed, (url) =>
        schemaAccepts({ metricsCollector: { prometheus: { url } } }, '$.metricsCollector.prometheus.url'),
      ),
      { numRuns: 200 },
    );
  });

  it('scrape targets the schema accepts survive the comma join one by one', () => {
    const targets = fc.uniqueArray(candidates, { minLength: 1, maxLength: 4 });
    fc.assert(
      fc.property(targets, (list) => {
        const patch = { metricsCollector: { provider: 'scrape', scrape: { targets: list } } };
        if (!schemaAccepts(patch, '$.metricsCollector.scrape.targets')) return;
        const split = list
          .join(',')
          .split(',')
          .map((s) => s.trim());
        expect(split).toEqual(list);
        for (const url of split) expect(serviceAccepts(services, 'URL', url), url).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
