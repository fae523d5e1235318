import { type Client, createClient, type FormattedExecutionResult } from 'graphql-ws';
import WebSocket from 'ws';

type Result<T> = FormattedExecutionResult<T, unknown>;

export interface GraphqlError {
  message: string;
  path?: Array<string | number>;
  extensions: { code: string; status: number; path: string; details?: unknown[]; requestId?: string };
}

export interface GraphqlResponse<T = any> {
  status: number;
  data: T;
  errors?: GraphqlError[];
  text: string;
}

/** A GraphQL-over-HTTP client with the REST API's headers (Authorization, X-Heliomesh-Tenant). */
export class GraphqlClient {
  constructor(
    readonly url: string,
    readonly token?: string,
    readonly tenant?: string,
  ) {}

  as(token: string | undefined, tenant?: string): GraphqlClient {
    return new GraphqlClient(this.url, token, tenant);
  }

  forTenant(tenant: string): GraphqlClient {
    return new GraphqlClient(this.url, this.token, tenant);
  }

  headers(extra: Record<string, string> = {}): Record<string, string> {
    return {
      'content-type': 'application/json',
      ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
      ...(this.tenant ? { 'x-heliomesh-tenant': this.tenant } : {}),
      ...extra,
    };
  }

  async query<T = any>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GraphqlResponse<T>> {
    return this.post(JSON.stringify({ query, ...(variables ? { variables } : {}) }), headers);
  }

  /** Sends a raw body, for malformed-request tests. */
  async post<T = any>(body: string, headers?: Record<string, string>): Promise<GraphqlResponse<T>> {
    const res = await fetch(`${this.url}/graphql`, { method: 'POST', headers: this.headers(headers), body });
    const text = await res.text();
    let parsed: { data?: T; errors?: GraphqlError[] } = {};
    try {
      parsed = JSON.parse(text) as typeof parsed;
    } catch {
      // a non-JSON answer is reported through `text`
    }
    return {
      status: res.status,
      data: parsed.data as T,
      ...(parsed.errors ? { errors: parsed.errors } : {}),
      text,
    };
  }

  /** A graphql-ws client (graphql-transport-ws protocol) authenticated with connection parameters. */
  ws(params?: Record<string, unknown>): Client {
    return createClient({
      url: `${this.url.replace(/^http/, 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      lazy: true,
      retryAttempts: 0,
      connectionParams: params ?? {
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
        ...(this.tenant ? { 'x-heliomesh-tenant': this.tenant } : {}),
      },
    });
  }
}

/**
 * A running subscription: results are collected as they arrive, and `next` waits for the next
 * one that `accept` takes (or fails after `timeoutMs` listing what did arrive).
 */
export class Subscription<T = any> {
  readonly results: Array<Result<T>> = [];
  private readonly waiters: Array<() => void> = [];
  private cursor = 0;
  done = false;
  failure: unknown;
  private readonly iterator: AsyncIterableIterator<Result<T>>;

  constructor(client: Client, query: string, variables: Record<string, unknown> = {}) {
    const iterator = client.iterate<T>({ query, variables });
    this.iterator = iterator;
    void (async () => {
      try {
        for await (const result of iterator) {
          this.results.push(result);
          this.wake();
        }
      } catch (err) {
        this.failure = err;
      }
      this.done = true;
      this.wake();
    })();
  }

  async next(accept: (r: Result<T>) => boolean = () => true, timeoutMs = 15_000): Promise<Result<T>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      while (this.cursor < this.results.length) {
        const r = this.results[this.cursor++]!;
        if (accept(r)) return r;
      }
      if (this.done)
        throw new Error(
          `subscription ended: ${JSON.stringify(this.failure ?? null)} after ${JSON.stringify(this.results)}`,
        );
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(`no matching result within ${timeoutMs} ms; got ${JSON.stringify(this.results)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 250));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async stop(): Promise<void> {
    await this.iterator.return?.();
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }
}
