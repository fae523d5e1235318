import type { AppProtocol, CallOutcome } from './engine.types.js';

/**
 * Envoy answers gRPC requests' local replies as HTTP 200 with a grpc-status mapped from the HTTP
 * code (Grpc::Utility::httpToGrpcStatus): 400 INTERNAL, 401 UNAUTHENTICATED, 403 PERMISSION_DENIED,
 * 404 UNIMPLEMENTED, 429/502/503/504 UNAVAILABLE, anything else UNKNOWN.
 */
export function httpToGrpcStatus(code: number): number {
  switch (code) {
    case 400:
      return 13;
    case 401:
      return 16;
    case 403:
      return 7;
    case 404:
      return 12;
    case 429:
    case 502:
    case 503:
    case 504:
      return 14;
    default:
      return 2;
  }
}

/** A reply the proxy produces itself; `bodyBytes` is the local reply body (e.g. `no healthy upstream`). */
export function localReply(
  code: number,
  flags: number,
  protocol: AppProtocol,
  durationMs: number,
  bodyBytes = 20,
  grpcStatus = -1,
): CallOutcome {
  const grpc = protocol === 'grpc';
  return {
    code: grpc && code >= 300 ? 200 : code,
    grpcStatus: grpc ? (grpcStatus >= 0 ? grpcStatus : code >= 300 ? httpToGrpcStatus(code) : 0) : -1,
    flags,
    durationMs,
    responseBytes: 100 + bodyBytes,
    rateLimited: false,
  };
}
