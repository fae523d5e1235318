import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Applier, Pruner, type KubeObject } from '../src/index.js';
import { destinationRule, startSandbox, virtualService, type Sandbox } from './support/sandbox.js';

let sb: Sandbox;
const acme = { tenant: 'acme' };
// Ten attempts: at a 30 % fault rate one operation fails them all with probability 0.3^10 (6e-6).
const retry = { attempts: 10, baseDelayMs: 20, maxDelayMs: 300 };

beforeAll(async () => {
  // Hanging requests are given up after 300 ms; 429s ask for a 1 s pause, which is honoured. The
  // seed fixes the fault dice, so every fault type is hit in every run (6, 8 and 6 times).
  sb = await startSandbox(
    { faults: { retryAfterSeconds: 1, seed: 7 } },
    { rateLimit: { qps: Infinity, burst: 1 }, requestTimeoutMs: 300 },
  );
});

afterEach(() => {
  sb.sim.faults.clear();
});

afterAll(async () => {
  await sb.stop();
});

function specOf(o: KubeObject | undefined): unknown {
  return o?.['spec'];
}

describe('retries against kube-sim fault injection', () => {
  it('applies and prunes correctly while 30 % of requests answer 429, 500 or hang', async () => {
    const ns = await sb.namespace('flaky');
    const stale = Array.from({ length: 6 }, (_, i) => virtualService(ns, `stale-${i}`, acme));
    const desired = Array.from({ length: 12 }, (_, i) =>
      i % 2 ? destinationRule(ns, `svc-${i}`, acme) : virtualService(ns, `svc-${i}`, acme),
    );
    const applier = new Applier(sb.registry, { retry, prefetchThreshold: 1_000 });
    await applier.applyAll('sim', stale);

    sb.sim.faults.setRates({ 429: 0.1, 500: 0.1, timeout: 0.1 });
    const report = await applier.applyAll('sim', desired);
    const pruned = await new Pruner(sb.registry, { retry }).prune(
      'sim',
      { tenant: 'acme', namespaces: [ns] },
      desired,
    );
    const injected = sb.sim.faults.injected();
    sb.sim.faults.clear();

    expect(report.failed).toBe(0);
    expect(report.created).toBe(12);
    expect(pruned.failed).toEqual([]);
    expect(pruned.deleted.map((r) => r.name).sort()).toEqual(stale.map((o) => o.metadata.name).sort());
    // Every fault type was really hit, so every retry path ran.
    expect(injected[429]).toBeGreaterThan(0);
    expect(injected[500]).toBeGreaterThan(0);
    expect(injected.timeout).toBeGreaterThan(0);

    for (const o of desired) {
      const live = await sb.cluster.objects.get({
        apiVersion: o.apiVersion,
        kind: o.kind,
        namespace: ns,
        name: o.metadata.name,
      });
      expect(specOf(live)).toEqual(specOf(o));
    }
    const vs = await sb.cluster.objects.list(
      { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService' },
      { namespace: ns },
    );
    expect(vs.items.map((o) => o.metadata.name).sort()).toEqual([
      'svc-0',
      'svc-10',
      'svc-2',
      'svc-4',
      'svc-6',
      'svc-8',
    ]);
    sb.sim.resetStats();
    expect((await applier.applyAll('sim', desired)).unchanged).toBe(12);
    expect(sb.sim.stats().writes).toBe(0);
  });

  it('retries a 409 Conflict on the write and succeeds', async () => {
    const ns = await sb.namespace('conflict');
    const vs = virtualService(ns, 'reviews', acme);
    const applier = new Applier(sb.registry, { retry });
    await applier.apply('sim', vs);
    sb.sim.faults.failNextUpdate('VirtualService', ns, 'reviews');
    const result = await applier.apply('sim', virtualService(ns, 'reviews', acme, 10));
    expect(result.outcome).toBe('configured');
    expect(result.writes).toBe(2);
    expect(sb.sim.faults.injected().conflict).toBe(1);
  });

  it('gives up after the bound with an error naming the object and the last status', async () => {
    const ns = await sb.namespace('down');
    const applier = new Applier(sb.registry, { retry: { attempts: 3, baseDelayMs: 10, maxDelayMs: 50 } });
    sb.sim.faults.setRates({ 500: 1 });
    sb.sim.resetStats();
    const report = await applier.applyAll('sim', [virtualService(ns, 'reviews', acme)]);
    const [result] = report.results;
    expect(result!.outcome).toBe('failed');
    expect(result!.error?.code).toBe('KUBE_RETRIES_EXHAUSTED');
    expect(result!.error?.status).toBe(503);
    expect(result!.error?.message).toMatch(
      new RegExp(
        `^gave up on read VirtualService ${ns}/reviews after 3 attempts; last error \\(HTTP 500 InternalError\\): `,
      ),
    );
    expect(sb.sim.stats().byVerb).toEqual({ get: 3 });
  });

  it('gives up on hanging requests too, within attempts x timeout', async () => {
    const ns = await sb.namespace('hang');
    const applier = new Applier(sb.registry, { retry: { attempts: 2, baseDelayMs: 10, maxDelayMs: 20 } });
    sb.sim.faults.setRates({ timeout: 1 });
    const started = Date.now();
    const result = await applier.apply('sim', virtualService(ns, 'reviews', acme));
    expect(result.error?.code).toBe('KUBE_RETRIES_EXHAUSTED');
    expect((result.error?.cause as { code?: string }).code).toBe('KUBE_TIMEOUT');
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
