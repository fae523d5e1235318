import { afterEach, describe, expect, it } from 'vitest';
import type { Harness, HarnessFactory } from './harness.js';
import {
  authorizationPolicy,
  bucket,
  localRateLimit,
  requests,
  subsetsRule,
  topology,
  virtualService,
} from './scenario-objects.js';

/**
 * The semantics tests. Each runs mesh-sim in simulated time against a harness (in-memory
 * source, or kube-sim with the objects applied through the Kubernetes API) and asserts both the
 * engine's view (stats) and the exported Istio metrics scraped from /metrics.
 */
export function describeSemantics(
  label: string,
  factory: HarnessFactory,
  namespaceFor: (name: string) => string,
): void {
  describe(`mesh-sim semantics (${label})`, () => {
    let h: Harness | undefined;
    afterEach(async () => {
      await h?.stop();
      h = undefined;
    });

    const reviews = (ns: string, versions: object[], clients: object[]) =>
      topology(ns, [{ name: 'reviews', versions: versions as never }], clients as never);

    it('splits 90/10 within ±2 % over 20,000 requests (§1.3 w/Σw)', async () => {
      const ns = namespaceFor('split');
      h = await factory(
        reviews(
          ns,
          [{ name: 'v1' }, { name: 'v2' }],
          [{ name: 'sleep', target: { service: 'reviews' }, rps: 1000, arrival: 'uniform' }],
        ),
      );
      await h.apply(subsetsRule(ns, 'reviews', ['v1', 'v2']));
      await h.apply(
        virtualService(ns, 'reviews', 'reviews', [
          {
            route: [
              { destination: { host: 'reviews', subset: 'v1' }, weight: 90 },
              { destination: { host: 'reviews', subset: 'v2' }, weight: 10 },
            ],
          },
        ]),
      );
      h.sim.advance(20_000);
      expect(h.sim.stats().entry.requests).toBe(20_000);
      const m = await h.metrics();
      const v1 = requests(m, { reporter: 'destination', destination_workload: 'reviews-v1' });
      const v2 = requests(m, { reporter: 'destination', destination_workload: 'reviews-v2' });
      expect(v1 + v2).toBe(20_000);
      expect(Math.abs(v1 / 20_000 - 0.9)).toBeLessThan(0.02);
      expect(requests(m, { reporter: 'source', source_workload: 'sleep', response_code: '200' })).toBe(
        20_000,
      );
    });

    it('routes only requests with the matching header (§1.2)', async () => {
      const ns = namespaceFor('header');
      h = await factory(
        reviews(
          ns,
          [{ name: 'v1' }, { name: 'v2' }],
          [
            {
              name: 'beta',
              target: { service: 'reviews' },
              rps: 100,
              requests: [{ headers: { 'x-user': 'beta' } }],
            },
            {
              name: 'plain',
              target: { service: 'reviews' },
              rps: 300,
              requests: [{ headers: { 'x-user': 'betamax' } }, {}],
            },
          ],
        ),
      );
      await h.apply(subsetsRule(ns, 'reviews', ['v1', 'v2']));
      await h.apply(
        virtualService(ns, 'reviews', 'reviews', [
          {
            match: [{ headers: { 'x-user': { exact: 'beta' } } }],
            route: [{ destination: { host: 'reviews', subset: 'v2' } }],
          },
          { route: [{ destination: { host: 'reviews', subset: 'v1' } }] },
        ]),
      );
      h.sim.advance(10_000);
      const m = await h.metrics();
      const dest = (src: string, dst: string) =>
        requests(m, { reporter: 'destination', source_workload: src, destination_workload: dst });
      expect(dest('beta', 'reviews-v2')).toBeGreaterThan(800);
      expect(dest('beta', 'reviews-v1')).toBe(0);
      expect(dest('plain', 'reviews-v1')).toBeGreaterThan(2500);
      expect(dest('plain', 'reviews-v2')).toBe(0);
    });

    it('aborts about half the requests with 503 FI at 50 % (§1.6)', async () => {
      const ns = namespaceFor('abort');
      h = await factory(
        reviews(ns, [{ name: 'v1' }], [{ name: 'sleep', target: { service: 'reviews' }, rps: 400 }]),
      );
      await h.apply(
        virtualService(ns, 'reviews', 'reviews', [
          {
            fault: { abort: { httpStatus: 503, percentage: { value: 50 } } },
            route: [{ destination: { host: 'reviews' } }],
          },
        ]),
      );
      h.sim.advance(10_000);
      const stats = h.sim.stats();
      const total = stats.entry.requests;
      expect(stats.entry.byFlags['FI']! / total).toBeGreaterThan(0.47);
      expect(stats.entry.byFlags['FI']! / total).toBeLessThan(0.53);
      const m = await h.metrics();
      const aborted = requests(m, { reporter: 'source', response_code: '503', response_flags: 'FI' });
      expect(aborted).toBe(stats.entry.byFlags['FI']);
      // An abort never reaches the server: no destination sample, and destination labels are unknown.
      expect(requests(m, { reporter: 'source', response_flags: 'FI', destination_workload: 'unknown' })).toBe(
        aborted,
      );
      expect(requests(m, { reporter: 'destination' })).toBe(total - aborted);
      expect(
        requests(m, {
          reporter: 'source',
          response_flags: 'FI',
          destination_service: `reviews.${ns}.svc.cluster.local`,
        }),
      ).toBe(aborted);
    });

    it('shifts the source latency histogram by the injected delay, not the server one (§1.6)', async () => {
      const ns = namespaceFor('delay');
      h = await factory(
        reviews(
          ns,
          [{ name: 'v1', latency: { distribution: 'uniform', min: 2, max: 8 } }],
          [{ name: 'sleep', target: { service: 'reviews' }, rps: 200, arrival: 'uniform' }],
        ),
      );
      h.sim.advance(5_000);
      const before = await h.metrics();
      await h.apply(
        virtualService(ns, 'reviews', 'reviews', [
          {
            fault: { delay: { fixedDelay: '300ms', percentage: { value: 100 } } },
            route: [{ destination: { host: 'reviews' } }],
          },
        ]),
      );
      h.sim.advance(5_000);
      const after = await h.metrics();
      const src = { reporter: 'source', source_workload: 'sleep' };
      const dst = { reporter: 'destination', source_workload: 'sleep' };
      const metric = 'istio_request_duration_milliseconds';
      const delta = (le: string, labels: Record<string, string>) =>
        bucket(after, metric, le, labels) - bucket(before, metric, le, labels);
      expect(bucket(before, metric, '10', src)).toBe(1000);
      // Afterwards every source sample lies in (250, 500] ms; the server still answers within 10 ms.
      expect(delta('250', src)).toBe(0);
      expect(delta('500', src)).toBe(1000);
      expect(delta('10', dst)).toBe(1000);
      expect(requests(after, { reporter: 'source', response_flags: 'DI' })).toBe(1000);
    });

    it('mirrors to the target, doubling its inbound count without touching responses (§1.7)', async () => {
      const ns = namespaceFor('mirror');
      h = await factory(
        reviews(
          ns,
          [{ name: 'v1' }, { name: 'v2', latency: 2000, errorRate: 1, errorCode: 500 }],
          [{ name: 'sleep', target: { service: 'reviews' }, rps: 200, arrival: 'uniform' }],
        ),
      );
      await h.apply(subsetsRule(ns, 'reviews', ['v1', 'v2']));
      await h.apply(
        virtualService(ns, 'reviews', 'reviews', [
          {
            route: [{ destination: { host: 'reviews', subset: 'v1' } }],
            mirror: { host: 'reviews', subset: 'v2' },
          },
        ]),
      );
      h.sim.advance(10_000);
      const m = await h.metrics();
      const sent = requests(m, { reporter: 'source', source_workload: 'sleep' });
      expect(sent).toBe(2000);
      // v2 answers every mirrored copy with a slow 500, yet the caller sees only fast 200s.
      expect(
        requests(m, { reporter: 'source', response_code: '200', destination_workload: 'reviews-v1' }),
      ).toBe(sent);
      expect(bucket(m, 'istio_request_duration_milliseconds', '25', { reporter: 'source' })).toBe(sent);
      expect(
        requests(m, { reporter: 'destination', destination_workload: 'reviews-v2', response_code: '500' }),
      ).toBe(sent);
      expect(requests(m, { reporter: 'destination', destination_service_name: 'reviews' })).toBe(2 * sent);
      expect(h.sim.stats().mirrored).toBe(sent);
    });

    it('denies a DENY-listed client with 403 and no flag (§3)', async () => {
      const ns = namespaceFor('deny');
      h = await factory(
        reviews(
          ns,
          [{ name: 'v1' }],
          [
            { name: 'sleep', target: { service: 'reviews' }, rps: 100 },
            { name: 'other', target: { service: 'reviews' }, rps: 100 },
          ],
        ),
      );
      await h.apply(
        authorizationPolicy(ns, 'deny-sleep', {
          selector: { matchLabels: { app: 'reviews' } },
          action: 'DENY',
          rules: [{ from: [{ source: { principals: [`cluster.local/ns/${ns}/sa/sleep`] } }] }],
        }),
      );
      h.sim.advance(5_000);
      const m = await h.metrics();
      const sleep = requests(m, { reporter: 'source', source_workload: 'sleep' });
      expect(sleep).toBeGreaterThan(400);
      expect(
        requests(m, {
          reporter: 'source',
          source_workload: 'sleep',
          response_code: '403',
          response_flags: '-',
        }),
      ).toBe(sleep);
      expect(
        requests(m, {
          reporter: 'destination',
          source_workload: 'sleep',
          response_code: '403',
          response_flags: '-',
          destination_workload: 'reviews-v1',
        }),
      ).toBe(sleep);
      const other = requests(m, { reporter: 'source', source_workload: 'other' });
      expect(requests(m, { reporter: 'source', source_workload: 'other', response_code: '200' })).toBe(other);
    });

    it('denies what no ALLOW rule matches once an ALLOW policy exists (§3)', async () => {
      const ns = namespaceFor('allow');
      h = await factory(
        reviews(
          ns,
          [{ name: 'v1' }],
          [
            { name: 'sleep', target: { service: 'reviews' }, rps: 100 },
            { name: 'trusted', target: { service: 'reviews' }, rps: 100 },
          ],
        ),
      );
      h.sim.advance(2_000);
      const open = await h.metrics();
      expect(requests(open, { reporter: 'source', response_code: '403' })).toBe(0);
      await h.apply(
        authorizationPolicy(ns, 'allow-trusted', {
          selector: { matchLabels: { app: 'reviews' } },
          action: 'ALLOW',
          rules: [
            {
              from: [{ source: { principals: [`cluster.local/ns/${ns}/sa/trusted`] } }],
              to: [{ operation: { methods: ['GET'] } }],
            },
          ],
        }),
      );
      h.sim.advance(5_000);
      const m = await h.metrics();
      const denied = requests(m, { reporter: 'source', source_workload: 'sleep', response_code: '403' });
      expect(denied).toBe(
        requests(m, { reporter: 'source', source_workload: 'sleep' }) -
          requests(open, { reporter: 'source', source_workload: 'sleep' }),
      );
      expect(denied).toBeGreaterThan(400);
      expect(requests(m, { reporter: 'source', source_workload: 'trusted', response_code: '403' })).toBe(0);
    });

    it('rate limits 10/s with burst 20 per pod: the excess gets 429 RL (§4.2)', async () => {
      const ns = namespaceFor('ratelimit');
      h = await factory(
        reviews(
          ns,
          [{ name: 'v1' }],
          [{ name: 'sleep', target: { service: 'reviews' }, rps: 50, arrival: 'uniform' }],
        ),
      );
      await h.apply(localRateLimit(ns, 'reviews', 20, 10, '1s'));
      h.sim.advance(10_000);
      const stats = h.sim.stats();
      expect(stats.entry.requests).toBe(500);
      // Bucket starts full (20) and refills 10/s continuously: 20 + 10 × 10 s admitted.
      expect(stats.entry.byCode['200']).toBeGreaterThanOrEqual(119);
      expect(stats.entry.byCode['200']).toBeLessThanOrEqual(121);
      const m = await h.metrics();
      const limited = 500 - stats.entry.byCode['200']!;
      expect(requests(m, { reporter: 'destination', response_code: '429', response_flags: 'RL' })).toBe(
        limited,
      );
      expect(requests(m, { reporter: 'source', response_code: '429', response_flags: '-' })).toBe(limited);
    });

    it('ejects the failing pod and brings it back after the ejection time (§2.4)', async () => {
      const ns = namespaceFor('outlier');
      h = await factory(
        reviews(
          ns,
          [{ name: 'v1' }, { name: 'v2', errorRate: 1, errorCode: 503 }],
          [{ name: 'sleep', target: { service: 'reviews' }, rps: 50, arrival: 'uniform' }],
        ),
      );
      await h.apply(
        subsetsRule(ns, 'reviews', [], {
          outlierDetection: {
            consecutive5xxErrors: 3,
            interval: '1s',
            baseEjectionTime: '10s',
            maxEjectionPercent: 100,
          },
        }),
      );
      const failing = async () =>
        requests(await h!.metrics(), { reporter: 'destination', destination_workload: 'reviews-v2' });
      const perSecond: number[] = [];
      let last = 0;
      for (let s = 0; s < 40; s++) {
        h.sim.advance(1_000);
        const now = await failing();
        perSecond.push(now - last);
        last = now;
      }
      const ejectedAt = perSecond.findIndex((n, i) => i > 0 && n === 0);
      expect(ejectedAt).toBeGreaterThan(0);
      expect(ejectedAt).toBeLessThanOrEqual(2);
      const back = perSecond.findIndex((n, i) => i > ejectedAt && n > 0);
      // First ejection lasts baseEjectionTime (10 s), released on the next 1 s interval tick.
      expect(back - ejectedAt).toBeGreaterThanOrEqual(9);
      expect(back - ejectedAt).toBeLessThanOrEqual(11);
      // Ejected again at once (k = 2): the second ejection lasts 20 s.
      expect(perSecond.slice(back + 1, back + 19).every((n) => n === 0)).toBe(true);
      expect(
        requests(await h.metrics(), {
          reporter: 'destination',
          destination_workload: 'reviews-v1',
          response_code: '200',
        }),
      ).toBeGreaterThan(1500);
    });

    it('answers 404 NR when a bound VirtualService has no matching rule (§1.2)', async () => {
      const ns = namespaceFor('noroute');
      h = await factory(
        reviews(ns, [{ name: 'v1' }], [{ name: 'sleep', target: { service: 'reviews' }, rps: 100 }]),
      );
      await h.apply(
        virtualService(ns, 'reviews', 'reviews', [
          {
            match: [{ headers: { 'x-user': { exact: 'beta' } } }],
            route: [{ destination: { host: 'reviews' } }],
          },
        ]),
      );
      h.sim.advance(5_000);
      const stats = h.sim.stats();
      expect(stats.entry.byFlags['NR']).toBe(stats.entry.requests);
      const m = await h.metrics();
      expect(
        requests(m, {
          reporter: 'source',
          response_code: '404',
          response_flags: 'NR',
          destination_workload: 'unknown',
        }),
      ).toBe(stats.entry.requests);
      expect(requests(m, { reporter: 'destination' })).toBe(0);
    });
  });
}
