import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CollectorMetricsProvider, type MeshSelector } from '../src/index.js';

/**
 * The client's failure handling against a stand-in that answers what each test sets. The happy
 * path runs against the real collector in apps/metrics-collector's tests.
 */
interface Seen {
  method: string;
  url: string;
  body: unknown;
}

type Answer = (req: IncomingMessage, res: ServerResponse) => void;

const sel: MeshSelector = { kind: 'service', namespace: 'shop', service: 'reviews', version: 'v3' };

describe('CollectorMetricsProvider', () => {
  let server: Server;
  let base: string;
  let answer: Answer = (_req, res) => res.end();
  const seen: Seen[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString()));
      req.on('end', () => {
        seen.push({
          method: req.method!,
          url: req.url!,
          body: raw ? (JSON.parse(raw) as unknown) : undefined,
        });
        answer(req, res);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  const json =
    (status: number, body: unknown): Answer =>
    (_req, res) => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
  const client = (timeoutMs = 2_000) => new CollectorMetricsProvider({ baseUrl: `${base}/`, timeoutMs });

  it('sends each MetricsProvider method as the collector API expects', async () => {
    seen.length = 0;
    answer = json(200, { kind: 'value', value: 1 });
    const c = client();
    await c.successRate(sel, 60);
    await c.latencyQuantile(sel, 0.99, 30);
    await c.runQuery('sum(up)');
    answer = json(200, { kind: 'value', value: [] });
    await c.serviceStats({ namespace: 'shop' }, 120);
    await c.edges({}, 60);
    answer = json(200, { kind: 'value', value: { items: [], truncated: false } });
    await c.rollups({ namespace: 'shop', version: 'v3', from: '2025-11-27T10:00:00+01:00', limit: 5 });
    expect(seen).toEqual([
      { method: 'POST', url: '/v1/query', body: { method: 'successRate', selector: sel, windowSeconds: 60 } },
      {
        method: 'POST',
        url: '/v1/query',
        body: { method: 'latencyQuantile', selector: sel, windowSeconds: 30, q: 0.99 },
      },
      { method: 'POST', url: '/v1/query', body: { method: 'runQuery', promql: 'sum(up)' } },
      { method: 'GET', url: '/v1/services?window=120&namespace=shop', body: undefined },
      { method: 'GET', url: '/v1/edges?window=60', body: undefined },
      {
        method: 'GET',
        url: '/v1/rollups?namespace=shop&version=v3&from=2025-11-27T09%3A00%3A00.000Z&limit=5',
        body: undefined,
      },
    ]);
  });

  it("passes the collector's own no-data and provider errors through unchanged", async () => {
    answer = json(200, { kind: 'no-data', reason: 'no requests in the last 60s' });
    expect(await client().successRate(sel, 60)).toEqual({
      kind: 'no-data',
      reason: 'no requests in the last 60s',
    });
    const down = {
      code: 'PROVIDER_UNREACHABLE',
      provider: 'prometheus',
      message: 'Cannot reach Prometheus',
      query: 'q',
    };
    answer = json(200, { kind: 'provider-error', error: down });
    expect(await client().successRate(sel, 60)).toEqual({ kind: 'provider-error', error: down });
  });

  it.each([
    [
      'a 500',
      json(500, { error: { code: 'INTERNAL', message: 'boom', path: '$' } }),
      'PROVIDER_BAD_RESPONSE',
      'HTTP 500',
    ],
    [
      'a 502 from a proxy, in HTML',
      (_q: IncomingMessage, r: ServerResponse) => r.writeHead(502).end('<html>bad gateway</html>'),
      'PROVIDER_BAD_RESPONSE',
      'HTTP 502',
    ],
    ['a 503 while it starts or stops', json(503, {}), 'PROVIDER_UNREACHABLE', 'unavailable'],
    [
      'a 400 for a bad query',
      json(400, {
        error: { code: 'BODY_INVALID', message: 'must be at most 86400 seconds', path: '$.windowSeconds' },
      }),
      'QUERY_REJECTED',
      '$.windowSeconds',
    ],
    [
      'a login page with 200',
      (_q: IncomingMessage, r: ServerResponse) => r.writeHead(200).end('<html>sign in</html>'),
      'PROVIDER_BAD_RESPONSE',
      'HTTP 200',
    ],
    [
      'a number sent as a string',
      json(200, { kind: 'value', value: '92' }),
      'PROVIDER_BAD_RESPONSE',
      'not a measurement',
    ],
  ])('turns %s into a provider error without throwing', async (_name, handler, code, message) => {
    answer = handler;
    const m = await client().successRate(sel, 60);
    expect(m).toMatchObject({
      kind: 'provider-error',
      error: { code, provider: 'collector', message: expect.stringContaining(message) },
    });
  });

  it('times out a collector that does not answer', async () => {
    answer = () => undefined; // never responds
    const m = await client(200).requestRate(sel, 60);
    expect(m).toMatchObject({
      kind: 'provider-error',
      error: { code: 'PROVIDER_TIMEOUT', provider: 'collector' },
    });
    expect(await client(200).isOnline()).toBe(false);
  });

  it('reports a collector that is not there as unreachable', async () => {
    const gone = new CollectorMetricsProvider({ baseUrl: 'http://127.0.0.1:1' });
    expect(await gone.serviceStats({}, 60)).toMatchObject({
      kind: 'provider-error',
      error: { code: 'PROVIDER_UNREACHABLE', message: expect.stringContaining('http://127.0.0.1:1') },
    });
    expect(await gone.isOnline()).toBe(false);
  });

  it('restores +Inf in histograms and reads the status', async () => {
    answer = json(200, {
      kind: 'value',
      value: {
        count: 4,
        buckets: [
          { le: 250, count: 3 },
          { le: null, count: 4 },
        ],
      },
    });
    expect(await client().latencyHistogram(sel, 60)).toEqual({
      kind: 'value',
      value: {
        count: 4,
        buckets: [
          { le: 250, count: 3 },
          { le: Number.POSITIVE_INFINITY, count: 4 },
        ],
      },
    });
    answer = json(200, { provider: 'scrape', online: true, targets: [] });
    expect(await client().isOnline()).toBe(true);
  });
});
