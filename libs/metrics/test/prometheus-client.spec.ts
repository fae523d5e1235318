import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrometheusMetricsProvider } from '../src/index.js';

/**
 * Answers Prometheus cannot be made to give on demand (timeouts, HTML from a wrong URL, odd
 * shapes), served over real HTTP by a stand-in. The success path runs against real Prometheus
 * in prometheus.spec.ts.
 */
const answers: Record<string, (res: ServerResponse, query: string) => void> = {
  'bad syntax': (res) =>
    res
      .writeHead(400)
      .end(JSON.stringify({ status: 'error', errorType: 'bad_data', error: 'parse error at char 5' })),
  'too slow': (res) =>
    res
      .writeHead(503)
      .end(JSON.stringify({ status: 'error', errorType: 'timeout', error: 'query timed out' })),
  hang: () => undefined,
  html: (res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>login</html>'),
  'odd shape': (res) =>
    res.end(JSON.stringify({ status: 'success', data: { resultType: 'vector', result: 'x' } })),
  'two series': (res) =>
    res.end(
      JSON.stringify({
        status: 'success',
        data: {
          resultType: 'vector',
          result: [
            { metric: { a: '1' }, value: [1, '1'] },
            { metric: { a: '2' }, value: [1, '2'] },
          ],
        },
      }),
    ),
  nan: (res) =>
    res.end(JSON.stringify({ status: 'success', data: { resultType: 'scalar', result: [1, 'NaN'] } })),
  inf: (res) =>
    res.end(
      JSON.stringify({
        status: 'success',
        data: { resultType: 'vector', result: [{ metric: {}, value: [1, '+Inf'] }] },
      }),
    ),
  echo: (res, query) =>
    res.end(
      JSON.stringify({
        status: 'success',
        data: { resultType: 'vector', result: [{ metric: {}, value: [1, String(query.length)] }] },
      }),
    ),
};

describe('PrometheusClient error handling over HTTP', () => {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const query = new URLSearchParams(body).get('query') ?? '';
      const answer =
        req.method === 'POST' && req.url === '/prom/api/v1/query' ? answers[query.split('|')[0]!] : undefined;
      if (answer) answer(res, query);
      else res.writeHead(404).end('not found');
    });
  });
  let provider: PrometheusMetricsProvider;

  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    provider = new PrometheusMetricsProvider({ baseUrl: `http://127.0.0.1:${port}/prom/`, timeoutMs: 300 });
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });

  it.each([
    ['bad syntax', 'QUERY_REJECTED', 'Prometheus rejected the query (bad_data: parse error at char 5).'],
    ['too slow', 'PROVIDER_TIMEOUT', 'Prometheus gave up on the query (timeout: query timed out).'],
    ['hang', 'PROVIDER_TIMEOUT', 'did not answer within 300 ms'],
    ['html', 'PROVIDER_BAD_RESPONSE', 'without an API response; check that the URL points at Prometheus'],
    ['odd shape', 'PROVIDER_BAD_RESPONSE', 'unexpected shape'],
    ['two series', 'QUERY_REJECTED', 'returned 2 series'],
  ])('%s -> %s', async (query, code, message) => {
    const r = await provider.runQuery(query);
    expect(r).toMatchObject({ kind: 'provider-error', error: { code, provider: 'prometheus', query } });
    expect(r.kind === 'provider-error' && r.error.message).toContain(message);
  });

  it('reads NaN and Inf as no-data', async () => {
    expect(await provider.runQuery('nan')).toMatchObject({ kind: 'no-data' });
    expect(await provider.runQuery('inf')).toMatchObject({
      kind: 'no-data',
      reason: 'the query returned Infinity (a division by zero)',
    });
  });

  it('posts the query form-encoded, so long and odd queries arrive intact', async () => {
    const query = 'echo|' + 'x{a="&=+%"}'.repeat(500);
    expect(await provider.runQuery(query)).toEqual({ kind: 'value', value: query.length, samples: 1 });
  });

  it('reports a refused connection as unreachable', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((r) => closed.close(() => r()));
    const down = new PrometheusMetricsProvider({ baseUrl: `http://127.0.0.1:${port}` });
    const r = await down.requestRate({ kind: 'workload', namespace: 'a', workload: 'b' }, 60);
    expect(r).toMatchObject({ kind: 'provider-error', error: { code: 'PROVIDER_UNREACHABLE' } });
    expect(r.kind === 'provider-error' && r.error.message).toContain('ECONNREFUSED');
    expect(await down.isOnline()).toBe(false);
  });
});
