import type { FetchFn } from '../src/api/api-client.service.js';

export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  body?: string;
}

export interface FakeReply {
  status?: number;
  json?: unknown;
  text?: string;
  contentType?: string;
}

/**
 * An in-memory HTTP API for unit tests of the CLI: `handler` answers each request; every request
 * is recorded. A handler may throw to play a network failure.
 */
export function fakeFetch(handler: (req: FakeRequest) => FakeReply): FetchFn & { calls: FakeRequest[] } {
  const calls: FakeRequest[] = [];
  const fn = (input: string, init: RequestInit): Promise<Response> => {
    const url = new URL(input);
    const req: FakeRequest = {
      method: init.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: Object.fromEntries(Object.entries((init.headers ?? {}) as Record<string, string>)),
      ...(typeof init.body === 'string' ? { body: init.body } : {}),
    };
    calls.push(req);
    try {
      const reply = handler(req);
      const body = reply.json !== undefined ? JSON.stringify(reply.json) : (reply.text ?? '');
      return Promise.resolve(
        new Response(body, {
          status: reply.status ?? 200,
          headers: {
            'content-type':
              reply.contentType ?? (reply.json !== undefined ? 'application/json' : 'text/plain'),
          },
        }),
      );
    } catch (err) {
      return Promise.reject(err);
    }
  };
  return Object.assign(fn, { calls });
}

/** A fetch failure as undici reports a refused connection. */
export function connectionRefused(): Error {
  return Object.assign(new TypeError('fetch failed'), {
    cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
  });
}

export const apiErrorReply = (
  status: number,
  code: string,
  message: string,
  path = '$',
  details?: unknown[],
): FakeReply => ({
  status,
  json: { error: { code, message, path, requestId: 'req-1', ...(details ? { details } : {}) } },
});
