import { HeliomeshError } from '@heliomesh/util';
import { apiError, networkError } from './api-error.util.js';

/** Where and as whom the CLI talks to the policy API. */
export interface ApiTarget {
  server: string;
  token?: string;
  /** For platform admin tokens: the tenant to act in (X-Heliomesh-Tenant). */
  tenant?: string;
}

export interface RequestOptions {
  json?: unknown;
  yaml?: string;
  query?: Record<string, string | number | boolean | undefined>;
  headers?: Record<string, string>;
  /** X-Change-Reason: why, recorded in the audit log. */
  reason?: string;
  /** Statuses that are answers, not errors (e.g. 404 when looking something up). */
  accept?: number[];
}

export interface ApiResponse<T> {
  status: number;
  body: T;
  headers: Headers;
}

export type FetchFn = (input: string, init: RequestInit) => Promise<Response>;

const TIMEOUT_MS = 30_000;

/** The REST API (apps/policy-api/openapi.json), with errors turned into HeliomeshErrors that say what to do. */
export class ApiClient {
  constructor(
    readonly target: ApiTarget,
    private readonly fetchFn: FetchFn = (input, init) => fetch(input, init),
  ) {}

  get server(): string {
    return this.target.server;
  }

  async request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<ApiResponse<T>> {
    const url = new URL(
      path,
      this.target.server.endsWith('/') ? this.target.server : `${this.target.server}/`,
    );
    for (const [key, value] of Object.entries(opts.query ?? {}))
      if (value !== undefined) url.searchParams.set(key, String(value));
    const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
    if (this.target.token) headers['authorization'] = `Bearer ${this.target.token}`;
    if (this.target.tenant) headers['x-heliomesh-tenant'] = this.target.tenant;
    if (opts.reason) headers['x-change-reason'] = opts.reason;
    let body: string | undefined;
    if (opts.json !== undefined) {
      body = JSON.stringify(opts.json);
      headers['content-type'] = 'application/json';
    } else if (opts.yaml !== undefined) {
      body = opts.yaml;
      headers['content-type'] = 'application/yaml';
    }
    let res: Response;
    try {
      res = await this.fetchFn(url.toString(), {
        method,
        headers,
        ...(body !== undefined ? { body } : {}),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (err) {
      throw networkError(err, this.target.server);
    }
    const text = await res.text();
    const parsed = parseBody(text, res.headers.get('content-type'));
    if (!res.ok && !(opts.accept ?? []).includes(res.status))
      throw apiError(res.status, parsed, this.target.server);
    return { status: res.status, body: parsed as T, headers: res.headers };
  }

  async get<T>(path: string, query?: RequestOptions['query']): Promise<T> {
    return (await this.request<T>('GET', path, { query })).body;
  }

  async post<T>(path: string, json?: unknown, opts: Omit<RequestOptions, 'json'> = {}): Promise<T> {
    return (await this.request<T>('POST', path, { ...opts, json: json ?? {} })).body;
  }

  /** Every item of a paged list (`{ items, nextCursor }`), following the cursors. */
  async list<T>(path: string, query: RequestOptions['query'] = {}, max = 10_000): Promise<T[]> {
    const out: T[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.get<{ items: T[]; nextCursor?: string }>(path, {
        ...query,
        limit: 500,
        cursor,
      });
      out.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor && out.length < max);
    return out.slice(0, max);
  }
}

function parseBody(text: string, contentType: string | null): unknown {
  if (!text) return undefined;
  if (!(contentType ?? '').includes('json')) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HeliomeshError({
      code: 'UNEXPECTED_RESPONSE',
      status: 502,
      message:
        'The server sent malformed JSON; check that the URL is a Heliomesh API (heliomesh context current).',
    });
  }
}
