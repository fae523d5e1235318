import { HeliomeshError, assertUnreachable, type ErrorDetail, type JsonPath } from '@heliomesh/util';

/**
 * Stable codes of every error libs/kube raises. The HTTP status is what a front door answers with:
 * problems of the cluster behind us are 502/503/504, never 401/403 (those would tell the caller
 * that *their* credentials are wrong).
 */
export type KubeErrorCode =
  | 'KUBE_UNREACHABLE'
  | 'KUBE_TLS_ERROR'
  | 'KUBE_TIMEOUT'
  | 'KUBE_UNAUTHORIZED'
  | 'KUBE_FORBIDDEN'
  | 'KUBE_NOT_FOUND'
  | 'KUBE_CONFLICT'
  | 'KUBE_FOREIGN_OBJECT'
  | 'KUBE_INVALID'
  | 'KUBE_BAD_REQUEST'
  | 'KUBE_EXPIRED'
  | 'KUBE_THROTTLED'
  | 'KUBE_SERVER_ERROR'
  | 'KUBE_RETRIES_EXHAUSTED'
  | 'KUBE_KIND_NOT_SERVED'
  | 'KUBE_ISTIO_MISSING'
  | 'KUBE_CONFIG_INVALID'
  | 'KUBE_CLUSTER_UNKNOWN'
  | 'KUBE_SCOPE_INVALID'
  | 'KUBE_OBJECT_INVALID';

export function httpStatusOf(code: KubeErrorCode): number {
  switch (code) {
    case 'KUBE_UNREACHABLE':
    case 'KUBE_THROTTLED':
    case 'KUBE_RETRIES_EXHAUSTED':
      return 503;
    case 'KUBE_TIMEOUT':
      return 504;
    case 'KUBE_UNAUTHORIZED':
    case 'KUBE_FORBIDDEN':
    case 'KUBE_TLS_ERROR':
    case 'KUBE_SERVER_ERROR':
    case 'KUBE_EXPIRED':
      return 502;
    case 'KUBE_NOT_FOUND':
    case 'KUBE_CLUSTER_UNKNOWN':
      return 404;
    case 'KUBE_CONFLICT':
    case 'KUBE_FOREIGN_OBJECT':
      return 409;
    case 'KUBE_INVALID':
    case 'KUBE_BAD_REQUEST':
    case 'KUBE_KIND_NOT_SERVED':
    case 'KUBE_ISTIO_MISSING':
    case 'KUBE_OBJECT_INVALID':
      return 422;
    case 'KUBE_CONFIG_INVALID':
    case 'KUBE_SCOPE_INVALID':
      return 400;
    default:
      return assertUnreachable(code);
  }
}

/** One `details.causes` entry of a Kubernetes Status. */
export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface KubeErrorInit {
  code: KubeErrorCode;
  message: string;
  path?: JsonPath | string;
  /** HTTP status the API server answered (0 when no answer came back). */
  kubeStatus?: number;
  /** The Status `reason` (Conflict, Invalid, TooManyRequests...). */
  reason?: string;
  causes?: StatusCause[];
  /** Delay the server asked for (Retry-After), in ms. */
  retryAfterMs?: number;
  cause?: unknown;
}

/** A HeliomeshError carrying what the Kubernetes API said, so callers can map and retry it. */
export class KubeError extends HeliomeshError {
  declare readonly code: KubeErrorCode;
  readonly kubeStatus: number;
  readonly reason: string | undefined;
  readonly causes: StatusCause[];
  readonly retryAfterMs: number | undefined;

  constructor(init: KubeErrorInit) {
    const details: ErrorDetail[] = (init.causes ?? []).map((c) => ({
      code: c.reason ?? init.code,
      path: c.field ?? '',
      message: c.message ?? '',
    }));
    super({
      code: init.code,
      status: httpStatusOf(init.code),
      message: init.message,
      ...(init.path !== undefined ? { path: init.path } : {}),
      details,
      ...(init.cause !== undefined ? { cause: init.cause } : {}),
    });
    this.name = 'KubeError';
    this.kubeStatus = init.kubeStatus ?? 0;
    this.reason = init.reason;
    this.causes = init.causes ?? [];
    this.retryAfterMs = init.retryAfterMs;
  }
}

export function isKubeError(err: unknown, code?: KubeErrorCode): err is KubeError {
  return err instanceof KubeError && (code === undefined || err.code === code);
}

/** The code for an HTTP error status of the API server. */
export function codeForStatus(status: number): KubeErrorCode {
  if (status === 401) return 'KUBE_UNAUTHORIZED';
  if (status === 403) return 'KUBE_FORBIDDEN';
  if (status === 404) return 'KUBE_NOT_FOUND';
  if (status === 409) return 'KUBE_CONFLICT';
  if (status === 410) return 'KUBE_EXPIRED';
  if (status === 422) return 'KUBE_INVALID';
  if (status === 429) return 'KUBE_THROTTLED';
  if (status === 408 || status === 504) return 'KUBE_TIMEOUT';
  if (status >= 500) return 'KUBE_SERVER_ERROR';
  return 'KUBE_BAD_REQUEST';
}

/**
 * Errors worth another attempt: throttling, server errors, timeouts, dropped connections, and 409
 * Conflict (a resourceVersion race or a write that lost to another; apply with force cannot hit a
 * field conflict, so a 409 there is always a race).
 */
export function isTransient(err: unknown): boolean {
  if (!(err instanceof KubeError)) return false;
  switch (err.code) {
    case 'KUBE_UNREACHABLE':
    case 'KUBE_TIMEOUT':
    case 'KUBE_THROTTLED':
    case 'KUBE_SERVER_ERROR':
    case 'KUBE_CONFLICT':
      return true;
    case 'KUBE_UNAUTHORIZED':
    case 'KUBE_FORBIDDEN':
    case 'KUBE_TLS_ERROR':
    case 'KUBE_FOREIGN_OBJECT':
    case 'KUBE_NOT_FOUND':
    case 'KUBE_INVALID':
    case 'KUBE_BAD_REQUEST':
    case 'KUBE_EXPIRED':
    case 'KUBE_RETRIES_EXHAUSTED':
    case 'KUBE_KIND_NOT_SERVED':
    case 'KUBE_ISTIO_MISSING':
    case 'KUBE_CONFIG_INVALID':
    case 'KUBE_CLUSTER_UNKNOWN':
    case 'KUBE_SCOPE_INVALID':
    case 'KUBE_OBJECT_INVALID':
      return false;
    default:
      return assertUnreachable(err.code);
  }
}
