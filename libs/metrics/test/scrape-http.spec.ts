import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScrapeCollector, ScrapeMetricsProvider, httpFetcher } from '../src/index.js';
import { startIstioMetricsServer, type RunningServer } from './support/istio-metrics.server.js';

const v1 = { kind: 'service', namespace: 'bookinfo', service: 'reviews', version: 'v1' } as const;

async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('ScrapeCollector over real HTTP', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startIstioMetricsServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('pulls on its interval and answers from what it pulled', async () => {
    const collector = new ScrapeCollector({
      targets: [{ name: 'mesh', url: server.url }],
      intervalMs: 100,
    });
    collector.start();
    try {
      await until(
        () =>
          collector.store.sampleCount > 0 &&
          [...collector.store.seriesNamed('istio_requests_total')][0]!.times.length >= 4,
      );
      const provider = new ScrapeMetricsProvider(collector);
      expect(await provider.isOnline()).toBe(true);
      const rate = await provider.successRate(v1, 5);
      expect(rate.kind).toBe('value');
      expect(rate.kind === 'value' && rate.value).toBeCloseTo((50 / 50.5) * 100, 6);
      const [health] = collector.targetHealth();
      expect(health).toMatchObject({ target: 'mesh', parseErrors: 0 });
      expect(health!.lastError).toBeUndefined();
    } finally {
      await collector.stop();
    }
  });

  it('records why a target failed: HTTP status, refused connection, oversized body', async () => {
    const big = createServer((_req, res) => res.end('x'.repeat(2048)));
    await new Promise<void>((r) => big.listen(0, '127.0.0.1', r));
    const bigUrl = `http://127.0.0.1:${(big.address() as AddressInfo).port}/`;
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const closedUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/metrics`;
    await new Promise<void>((r) => closed.close(() => r()));
    try {
      const collector = new ScrapeCollector({
        targets: [
          { name: 'missing', url: server.url.replace('/metrics', '/nope') },
          { name: 'refused', url: closedUrl },
          { name: 'big', url: bigUrl },
        ],
        fetcher: httpFetcher(1024),
      });
      const health = await collector.scrapeOnce();
      expect(health.map((h) => [h.target, h.lastError?.split(' ')[0]])).toEqual([
        ['missing', 'HTTP'],
        ['refused', 'fetch'],
        ['big', 'body'],
      ]);
      expect(health[0]!.lastError).toContain('HTTP 404');
      expect(collector.unavailableReason()).toContain('no scrape target answered');
    } finally {
      big.closeAllConnections();
      await new Promise<void>((r) => big.close(() => r()));
    }
  });
});
