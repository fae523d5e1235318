import { describe, expect, it } from 'vitest';
import { apiErrorReply, fakeFetch } from '../../test/fake-api.js';
import { ApiClient } from './api-client.service.js';

describe('ApiClient', () => {
  it('sends the token, the tenant and the reason, and follows list cursors to the end', async () => {
    const fetch = fakeFetch((req) => {
      const cursor = req.query.get('cursor');
      return { json: cursor ? { items: [3] } : { items: [1, 2], nextCursor: 'c2' } };
    });
    const api = new ApiClient({ server: 'http://api.test/', token: 'hm_t', tenant: 'demo' }, fetch);
    expect(await api.list<number>('/v1/services', { namespace: 'shop', cluster: undefined })).toEqual([
      1, 2, 3,
    ]);
    expect(fetch.calls.map((c) => c.query.toString())).toEqual([
      'namespace=shop&limit=500',
      'namespace=shop&limit=500&cursor=c2',
    ]);
    expect(fetch.calls[0]!.headers).toMatchObject({
      authorization: 'Bearer hm_t',
      'x-heliomesh-tenant': 'demo',
    });
    await api.post('/v1/rollouts/x/pause', {}, { reason: 'maintenance window' });
    expect(fetch.calls.at(-1)!.headers['x-change-reason']).toBe('maintenance window');
  });

  it('keeps the API error code, path and details, and adds what to do for a server failure', async () => {
    const api = new ApiClient(
      { server: 'http://api.test' },
      fakeFetch(() =>
        apiErrorReply(422, 'POLICY_INVALID', 'The policy is not valid.', '$.spec.weights', [
          { code: 'HM0001', path: '$.spec.weights', message: 'Required' },
        ]),
      ),
    );
    await expect(api.get('/v1/policies')).rejects.toMatchObject({
      code: 'POLICY_INVALID',
      status: 422,
      path: '$.spec.weights',
      details: [{ code: 'HM0001', path: '$.spec.weights', message: 'Required' }],
    });
    const failing = new ApiClient(
      { server: 'http://api.test' },
      fakeFetch(() => apiErrorReply(500, 'INTERNAL', 'Something failed.')),
    );
    await expect(failing.get('/v1/policies')).rejects.toThrow(
      'Something failed. (request id req-1: quote it when you report this)',
    );
  });

  it('recognises an answer that is not from a Heliomesh API', async () => {
    const html = new ApiClient(
      { server: 'http://web.test' },
      fakeFetch(() => ({ status: 404, text: '<html>nope</html>', contentType: 'text/html' })),
    );
    await expect(html.get('/v1/policies')).rejects.toMatchObject({
      code: 'UNEXPECTED_RESPONSE',
      message: expect.stringContaining('answered 404 without a Heliomesh error body'),
    });
    const garbled = new ApiClient(
      { server: 'http://web.test' },
      fakeFetch(() => ({ text: '{"items": [', contentType: 'application/json' })),
    );
    await expect(garbled.get('/v1/policies')).rejects.toMatchObject({ code: 'UNEXPECTED_RESPONSE' });
  });

  it('treats the statuses a caller accepts as answers', async () => {
    const api = new ApiClient(
      { server: 'http://api.test' },
      fakeFetch(() => apiErrorReply(401, 'AUTH_INVALID', 'no')),
    );
    expect((await api.request('GET', '/v1/clusters', { accept: [401] })).status).toBe(401);
  });
});
