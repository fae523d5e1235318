import { startKubeSim, type KubeSim, type KubeSimOptions } from '../src/index.js';

export interface Reply {
  status: number;
  headers: Headers;
  body: unknown;
  text: string;
}

/** A raw HTTP client for the sandbox: what tests use when the exact wire exchange matters. */
export class RawApi {
  constructor(private readonly base: string) {}

  async request(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Reply> {
    const init: RequestInit = { method, headers: { Accept: 'application/json', ...headers } };
    if (body !== undefined) {
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
      (init.headers as Record<string, string>)['Content-Type'] ??= 'application/json';
    }
    const res = await fetch(`${this.base}${path}`, init);
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON (e.g. /healthz)
    }
    return { status: res.status, headers: res.headers, body: parsed, text };
  }

  get(path: string, headers?: Record<string, string>): Promise<Reply> {
    return this.request('GET', path, undefined, headers);
  }

  post(path: string, body: unknown, headers?: Record<string, string>): Promise<Reply> {
    return this.request('POST', path, body, headers);
  }

  put(path: string, body: unknown): Promise<Reply> {
    return this.request('PUT', path, body);
  }

  patch(path: string, contentType: string, body: unknown): Promise<Reply> {
    return this.request('PATCH', path, body, { 'Content-Type': contentType });
  }

  delete(path: string, body?: unknown): Promise<Reply> {
    return this.request('DELETE', path, body);
  }
}

export async function startSandbox(opts: KubeSimOptions = {}): Promise<{ sim: KubeSim; api: RawApi }> {
  const sim = await startKubeSim(opts);
  return { sim, api: new RawApi(sim.url) };
}

/** Polls until `check` returns a value (not undefined/false) or the deadline passes. */
export async function eventually<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Reads a watch stream line by line until `count` events or the timeout. */
export async function readWatch(
  url: string,
  count: number,
  timeoutMs = 3000,
  headers: Record<string, string> = {},
): Promise<Array<{ type: string; object: Record<string, unknown> }>> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const events: Array<{ type: string; object: Record<string, unknown> }> = [];
  try {
    const res = await fetch(url, { signal: controller.signal, headers });
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let buf = '';
    while (events.length < count) {
      const { value, done } = await reader.read();
      if (done) break;
      buf += decoder.decode(value, { stream: true });
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        events.push(JSON.parse(buf.slice(0, nl)) as { type: string; object: Record<string, unknown> });
        buf = buf.slice(nl + 1);
      }
    }
    controller.abort();
  } catch (err) {
    if (!(err instanceof Error && err.name === 'AbortError')) throw err;
  } finally {
    clearTimeout(timer);
  }
  return events;
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${Math.random().toString(36).slice(2, 8)}`;
}
