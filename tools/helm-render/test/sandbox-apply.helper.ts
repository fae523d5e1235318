import type { RenderedManifest } from '../src/index.js';

/**
 * Server-side apply against the Kubernetes sandbox over plain HTTP, the way kubectl does it:
 * the object as JSON (after reading the YAML with YAML 1.1 rules), PATCH with
 * application/apply-patch+yaml, a field manager, force, and strict field validation so an
 * unknown field is an error rather than silently dropped. Resource paths come from discovery.
 */

export interface ApiResource {
  name: string;
  kind: string;
  namespaced: boolean;
}

export interface Reply {
  status: number;
  body: any;
}

export class SandboxApi {
  private readonly discovery = new Map<string, ApiResource[] | null>();

  constructor(private readonly baseUrl: string) {}

  async request(
    method: string,
    path: string,
    body?: string,
    contentType = 'application/json',
  ): Promise<Reply> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { Accept: 'application/json', ...(body === undefined ? {} : { 'Content-Type': contentType }) },
      ...(body === undefined ? {} : { body }),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // a non-JSON body is returned as text
    }
    return { status: res.status, body: parsed };
  }

  /** The resource serving apiVersion/kind, or null when the sandbox does not serve it. */
  async resource(apiVersion: string, kind: string): Promise<ApiResource | null> {
    if (!this.discovery.has(apiVersion)) {
      const reply = await this.request(
        'GET',
        apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`,
      );
      this.discovery.set(apiVersion, reply.status === 200 ? (reply.body.resources as ApiResource[]) : null);
    }
    return this.discovery.get(apiVersion)?.find((r) => r.kind === kind && !r.name.includes('/')) ?? null;
  }

  async path(apiVersion: string, kind: string, name: string, namespace?: string): Promise<string> {
    const rt = await this.resource(apiVersion, kind);
    if (!rt) throw new Error(`the sandbox does not serve ${apiVersion} ${kind}`);
    const prefix = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    const ns = rt.namespaced ? `/namespaces/${namespace}` : '';
    return `${prefix}${ns}/${rt.name}/${name}`;
  }

  async apply(
    m: Pick<RenderedManifest, 'apiVersion' | 'kind' | 'name' | 'namespace' | 'object'>,
    manager = 'helm',
  ): Promise<Reply> {
    const path = await this.path(m.apiVersion, m.kind, m.name, m.namespace);
    const query = `fieldManager=${manager}&force=true&fieldValidation=Strict`;
    return this.request(
      'PATCH',
      `${path}?${query}`,
      JSON.stringify(m.object),
      'application/apply-patch+yaml',
    );
  }

  async get(apiVersion: string, kind: string, name: string, namespace?: string): Promise<Reply> {
    return this.request('GET', await this.path(apiVersion, kind, name, namespace));
  }

  async list(apiVersion: string, kind: string, namespace: string, labelSelector: string): Promise<Reply> {
    const rt = await this.resource(apiVersion, kind);
    const prefix = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    return this.request(
      'GET',
      `${prefix}/namespaces/${namespace}/${rt!.name}?labelSelector=${encodeURIComponent(labelSelector)}`,
    );
  }
}

export async function eventually<T>(
  probe: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
