/** A small HTTP client for end-to-end tests of the REST API. */
export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
  text: string;
}

export class ApiClient {
  constructor(
    readonly baseUrl: string,
    readonly token?: string,
    readonly tenant?: string,
  ) {}

  /** The same client acting for `tenant` (platform tokens) or with another token. */
  as(token: string, tenant?: string): ApiClient {
    return new ApiClient(this.baseUrl, token, tenant);
  }

  forTenant(tenant: string): ApiClient {
    return new ApiClient(this.baseUrl, this.token, tenant);
  }

  async request<T = any>(
    method: string,
    path: string,
    opts: { json?: unknown; body?: string; contentType?: string; headers?: Record<string, string> } = {},
  ): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...opts.headers };
    if (this.token) headers['authorization'] = `Bearer ${this.token}`;
    if (this.tenant) headers['x-heliomesh-tenant'] = this.tenant;
    let body: string | undefined;
    if (opts.json !== undefined) {
      body = JSON.stringify(opts.json);
      headers['content-type'] = 'application/json';
    } else if (opts.body !== undefined) {
      body = opts.body;
      headers['content-type'] = opts.contentType ?? 'application/yaml';
    }
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      ...(body !== undefined ? { body } : {}),
    });
    const text = await res.text();
    let parsed: unknown = text;
    if ((res.headers.get('content-type') ?? '').includes('json') && text) parsed = JSON.parse(text);
    return { status: res.status, body: parsed as T, headers: res.headers, text };
  }

  get<T = any>(path: string, headers?: Record<string, string>) {
    return this.request<T>('GET', path, headers ? { headers } : {});
  }
  post<T = any>(path: string, json?: unknown, headers?: Record<string, string>) {
    return this.request<T>('POST', path, {
      ...(json !== undefined ? { json } : {}),
      ...(headers ? { headers } : {}),
    });
  }
  put<T = any>(path: string, json: unknown, headers?: Record<string, string>) {
    return this.request<T>('PUT', path, { json, ...(headers ? { headers } : {}) });
  }
  delete<T = any>(path: string, headers?: Record<string, string>) {
    return this.request<T>('DELETE', path, headers ? { headers } : {});
  }
}
