import http from 'node:http';
import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
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

/** OpenSSL and Node codes of a certificate that does not verify. */
function isTlsFailure(code: string): boolean {
  return /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|HOSTNAME_MISMATCH)/.test(
    code,
  );
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

/** TLS settings client-node derives from the kubeconfig (CA, client certificate, verification). */
const TLS_FIELDS = ['ca', 'cert', 'key', 'pfx', 'passphrase', 'rejectUnauthorized', 'servername'] as const;

type RequestOptions = https.RequestOptions & { headers: Record<string, string> };

/**
 * One cluster's HTTP client: client-node's auth (tokens, token files, exec plugins, client
 * certificates) through its request options, this cluster's rate limiter, a per-request deadline,
 * and errors turned into KubeError. Raw paths instead of the generated APIs keep any kind (built-in
 * or CRD) on one code path, and Node's http client with one keep-alive agent per cluster instead of
 * client-node's fetch transport (which builds a new undici Agent per request for TLS clusters):
 * measured 2-3x the requests per second (see the apply benchmark).
 */
export class KubeApiClient {
  private agent: http.Agent | undefined;
  private readonly url: URL;
  private readonly tls: boolean;
  private requests = 0;

  constructor(
    private readonly kc: KubeConfig,
    readonly server: string,
    private readonly limiter: TokenBucket,
    private readonly options: KubeApiClientOptions,
  ) {
    this.url = new URL(server);
    this.tls = this.url.protocol === 'https:';
  }

  get requestCount(): number {
    return this.requests;
  }

  async send<T = unknown>(req: KubeRequest): Promise<KubeResponse<T>> {
    await this.limiter.acquire();
    this.requests++;
    const opts = await this.requestOptions(req);
    const payload = req.body === undefined ? undefined : JSON.stringify(req.body);
    if (payload !== undefined) {
      opts.headers['Content-Type'] = req.contentType ?? 'application/json';
      opts.headers['Content-Length'] = String(Buffer.byteLength(payload));
    }
    const target = new URL(this.url.pathname.replace(/\/$/, '') + req.path, this.url);
    for (const [k, v] of Object.entries(req.query ?? {}))
      if (v !== undefined) target.searchParams.set(k, String(v));
    let answer: { status: number; text: string; retryAfter?: string };
    try {
      answer = await this.exchange(target, opts, payload, req.timeoutMs ?? this.options.requestTimeoutMs);
    } catch (err) {
      throw this.transportError(req, err);
    }
    const { status, text } = answer;
    if (status < 200 || status > 299) throw statusError(status, text, answer.retryAfter);
    let body: unknown = text;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      // not JSON (e.g. /healthz answers plain text)
    }
    return { status, body: body as T };
  }

  private async requestOptions(req: KubeRequest): Promise<RequestOptions> {
    const opts: RequestOptions = {
      method: req.method,
      headers: { Accept: 'application/json', 'User-Agent': this.options.userAgent },
    };
    try {
      // Per request, so rotated tokens and refreshed exec credentials are picked up.
      await this.kc.applyToHTTPSOptions(opts);
    } catch (err) {
      throw new KubeError({
        code: 'KUBE_CONFIG_INVALID',
        message: `cannot authenticate to ${this.server}: ${errorMessage(err)}; check the credentials in the kubeconfig`,
        cause: err,
      });
    }
    opts.agent = this.agentFor(opts);
    return opts;
  }

  /**
   * One keep-alive agent per cluster, built from the first request's TLS settings. client-node's
   * own agent is kept when the kubeconfig names a proxy (it is a proxy agent then).
   */
  private agentFor(opts: RequestOptions): http.Agent {
    if (this.kc.getCurrentCluster()?.proxyUrl) return opts.agent as http.Agent;
    if (!this.agent) {
      const tls: Record<string, unknown> = {};
      for (const f of TLS_FIELDS) if (opts[f] !== undefined) tls[f] = opts[f];
      const base = { keepAlive: true, maxSockets: 64, maxFreeSockets: 16 };
      this.agent = this.tls ? new https.Agent({ ...base, ...tls }) : new http.Agent(base);
    }
    return this.agent;
  }

  private exchange(
    target: URL,
    opts: RequestOptions,
    payload: string | undefined,
    timeoutMs: number,
  ): Promise<{ status: number; text: string; retryAfter?: string }> {
    return new Promise((resolve, reject) => {
      const req = (this.tls ? https : http).request(target, opts, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          clearTimeout(timer);
          const ra = res.headers['retry-after'];
          resolve({
            status: res.statusCode ?? 0,
            text: Buffer.concat(chunks).toString('utf8'),
            ...(typeof ra === 'string' ? { retryAfter: ra } : {}),
          });
        });
      });
      const timer = setTimeout(() => {
        const err = new Error(`no answer within ${timeoutMs} ms`);
        err.name = 'TimeoutError';
        req.destroy(err);
      }, timeoutMs);
      req.on('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      req.end(payload);
    });
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
    if (code && isTlsFailure(code))
      return new KubeError({
        code: 'KUBE_TLS_ERROR',
        message: `TLS verification of ${this.server} failed (${code}: ${errorMessage(err)}); check the cluster's certificate-authority-data and server name`,
        cause: err,
      });
    return new KubeError({
      code: 'KUBE_UNREACHABLE',
      message: `cannot reach ${this.server} (${code && UNREACHABLE.has(code) ? code : errorMessage(err)}); check the server address and that the cluster is up`,
      cause: err,
    });
  }

  /** Closes the kept-alive connections. */
  async close(): Promise<void> {
    this.agent?.destroy();
    this.agent = undefined;
  }
}
