import { IsomorphicFetchHttpLibrary, RequestContext, type KubeConfig } from '@kubernetes/client-node';
import { errorMessage } from '@heliomesh/util';
import { KubeError, codeForStatus, type StatusCause } from '../errors/kube-error.util.js';
import { isRecord } from '../kube.types.js';
import type { TokenBucket } from './rate-limiter.util.js';

export type HttpVerb = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface KubeRequest {
  method: HttpVerb;
  /** Absolute API path, e.g. `/apis/networking.istio.io/v1/namespaces/ns/virtualservices/x`. */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  /** Sent as JSON (which is also valid YAML for apply patches). */
  body?: unknown;
  contentType?: string;
  timeoutMs?: number;
}

export interface KubeResponse<T> {
  status: number;
  body: T;
}

export interface KubeApiClientOptions {
  /** Per-request deadline (ms); a request that hangs longer fails with KUBE_TIMEOUT. */
  requestTimeoutMs: number;
  userAgent: string;
}

/** Transport error codes (undici and Node) that mean "no answer from the server". */
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
]);

function transportCode(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

function isAbort(err: unknown): boolean {
  const name = (err as { name?: unknown }).name;
  return name === 'TimeoutError' || name === 'AbortError';
}

/** Retry-After is seconds (or an HTTP date); a missing or odd header gives undefined. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1000 : undefined;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** A KubeError from a non-2xx answer, keeping the Status reason, message and causes. */
export function statusError(status: number, text: string, retryAfter?: string): KubeError {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const st = isRecord(body) && body['kind'] === 'Status' ? body : undefined;
  const details = st && isRecord(st['details']) ? st['details'] : undefined;
  const causes = Array.isArray(details?.['causes']) ? (details['causes'] as StatusCause[]) : [];
  const message =
    typeof st?.['message'] === 'string' && st['message']
      ? st['message']
      : text.slice(0, 300) || `HTTP ${status}`;
  return new KubeError({
    code: codeForStatus(status),
    message,
    kubeStatus: status,
    ...(typeof st?.['reason'] === 'string' ? { reason: st['reason'] } : {}),
    causes,
    ...(retryAfter !== undefined ? { retryAfterMs: parseRetryAfter(retryAfter) } : {}),
  });
}

/**
 * One cluster's HTTP client: client-node's auth (tokens, token files, exec plugins, client
 * certificates) and transport, this cluster's rate limiter, a per-request deadline, and errors
 * turned into KubeError. Raw paths instead of the generated APIs keep any kind (built-in or CRD)
 * on one code path and skip client-node's model (de)serialisation (see the apply benchmark).
 */
export class KubeApiClient {
  private readonly http = new IsomorphicFetchHttpLibrary();
  /** client-node builds a fresh undici Agent per request for TLS clusters; the first one is reused so connections are kept alive. */
  private dispatcher: ReturnType<RequestContext['getDispatcher']>;
  private dispatcherKnown = false;
  private requests = 0;

  constructor(
    private readonly kc: KubeConfig,
    readonly server: string,
    private readonly limiter: TokenBucket,
    private readonly options: KubeApiClientOptions,
  ) {}

  get requestCount(): number {
    return this.requests;
  }

  async send<T = unknown>(req: KubeRequest): Promise<KubeResponse<T>> {
    await this.limiter.acquire();
    this.requests++;
    const ctx = await this.context(req);
    let status: number;
    let text: string;
    let headers: Record<string, string>;
    try {
      const res = await this.http.send(ctx).toPromise();
      status = res.httpStatusCode;
      headers = res.headers;
      text = await res.body.text();
    } catch (err) {
      throw this.transportError(req, err);
    }
    if (status < 200 || status > 299) throw statusError(status, text, headers['retry-after']);
    let body: unknown = text;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      // not JSON (e.g. /healthz answers plain text)
    }
    return { status, body: body as T };
  }

  private async context(req: KubeRequest): Promise<RequestContext> {
    const ctx = new RequestContext(this.server + req.path, req.method as never);
    for (const [k, v] of Object.entries(req.query ?? {}))
      if (v !== undefined) ctx.setQueryParam(k, String(v));
    ctx.setHeaderParam('Accept', 'application/json');
    ctx.setHeaderParam('User-Agent', this.options.userAgent);
    if (req.body !== undefined) {
      ctx.setHeaderParam('Content-Type', req.contentType ?? 'application/json');
      ctx.setBody(JSON.stringify(req.body));
    }
    try {
      await this.kc.applySecurityAuthentication(ctx);
    } catch (err) {
      throw new KubeError({
        code: 'KUBE_CONFIG_INVALID',
        message: `cannot authenticate to ${this.server}: ${errorMessage(err)}; check the credentials in the kubeconfig`,
        cause: err,
      });
    }
    if (this.dispatcherKnown) ctx.setDispatcher(this.dispatcher as never);
    else {
      this.dispatcher = ctx.getDispatcher();
      this.dispatcherKnown = true;
    }
    ctx.setSignal(AbortSignal.timeout(req.timeoutMs ?? this.options.requestTimeoutMs));
    return ctx;
  }

  private transportError(req: KubeRequest, err: unknown): KubeError {
    const what = `${req.method} ${this.server}${req.path}`;
    if (isAbort(err))
      return new KubeError({
        code: 'KUBE_TIMEOUT',
        message: `${what} got no answer within ${req.timeoutMs ?? this.options.requestTimeoutMs} ms; the API server is overloaded or unreachable`,
        cause: err,
      });
    const code = transportCode(err);
    return new KubeError({
      code: 'KUBE_UNREACHABLE',
      message: `cannot reach ${this.server} (${code && UNREACHABLE.has(code) ? code : errorMessage(err)}); check the server address and that the cluster is up`,
      cause: err,
    });
  }

  /** Closes the kept-alive connections. */
  async close(): Promise<void> {
    const d = this.dispatcher as { close?: () => Promise<void> } | undefined;
    this.dispatcher = undefined;
    this.dispatcherKnown = false;
    await d?.close?.().catch(() => undefined);
  }
}
