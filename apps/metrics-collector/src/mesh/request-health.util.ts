import type { HealthStatus, ToleranceCode, ToleranceResult } from '@heliomesh/metrics';

/**
 * Kiali's request health (config/config.go `AddHealthDefault`, business/health_calculator.go;
 * mesh-management-anchors §2, istio-semantics §6.2): per protocol, the share of requests whose
 * code matches each tolerance, checked against its thresholds; the worst status wins; traffic
 * that matches no tolerance is healthy; no traffic is `no-data`, never healthy.
 */

type Protocol = 'http' | 'grpc';

/** One group of requests with the same protocol and outcome. */
export interface CodeTally {
  protocol: string;
  responseCode: string;
  grpcStatus: string;
  count: number;
}

export interface Tolerance {
  tolerance: ToleranceCode;
  protocols: readonly Protocol[];
  matches(t: CodeTally): boolean;
  /** Percent; 0 means any matching request degrades. */
  degradedAt: number;
  failureAt: number;
}

const GRPC_ERROR = /^(?:[1-9]|1[0-6])$/;

/** Kiali's defaults: 5XX degraded >0 % failure 10 %; 4XX 10/20 %; gRPC 1-16 failure 10 %; `-` failure 10 %. */
export const KIALI_DEFAULT_TOLERANCES: readonly Tolerance[] = [
  {
    tolerance: '5XX',
    protocols: ['http'],
    matches: (t) => /^5\d\d$/.test(t.responseCode),
    degradedAt: 0,
    failureAt: 10,
  },
  {
    tolerance: '4XX',
    protocols: ['http'],
    matches: (t) => /^4\d\d$/.test(t.responseCode),
    degradedAt: 10,
    failureAt: 20,
  },
  {
    tolerance: 'GRPC_ERROR',
    protocols: ['grpc'],
    matches: (t) => GRPC_ERROR.test(t.grpcStatus),
    degradedAt: 0,
    failureAt: 10,
  },
  {
    // Envoy reports code 0 when no response was sent (istio-semantics §5.2); Kiali shows it as `-`.
    tolerance: 'NO_RESPONSE',
    protocols: ['http', 'grpc'],
    matches: (t) => t.responseCode === '0',
    degradedAt: 0,
    failureAt: 10,
  },
];

/** Istio only labels HTTP/1.1, HTTP/2 and gRPC requests; anything but `grpc` is HTTP. */
function protocolOf(t: CodeTally): Protocol {
  return t.protocol === 'grpc' ? 'grpc' : 'http';
}

/** Kiali's `ascendingThresholdCheck`: only a positive share can degrade or fail. */
export function thresholdStatus(
  percent: number,
  degradedAt: number,
  failureAt: number,
): Exclude<HealthStatus, 'no-data'> {
  if (percent > 0) {
    if (percent >= failureAt) return 'failure';
    if (percent >= degradedAt) return 'degraded';
  }
  return 'healthy';
}

const RANK: Record<Exclude<HealthStatus, 'no-data'>, number> = { healthy: 0, degraded: 1, failure: 2 };

export function worst(a: HealthStatus, b: HealthStatus): HealthStatus {
  if (a === 'no-data') return b;
  if (b === 'no-data') return a;
  return RANK[a] >= RANK[b] ? a : b;
}

export interface RequestHealth {
  status: HealthStatus;
  requestCount: number;
  violations: ToleranceResult[];
}

export function requestHealth(
  tallies: readonly CodeTally[],
  tolerances: readonly Tolerance[] = KIALI_DEFAULT_TOLERANCES,
): RequestHealth {
  const byProtocol: Record<Protocol, number> = { http: 0, grpc: 0 };
  for (const t of tallies) if (t.count > 0) byProtocol[protocolOf(t)] += t.count;
  const requestCount = byProtocol.http + byProtocol.grpc;
  if (!(requestCount > 0)) return { status: 'no-data', requestCount: 0, violations: [] };
  const violations: ToleranceResult[] = [];
  for (const tol of tolerances) {
    const total = tol.protocols.reduce((sum, p) => sum + byProtocol[p], 0);
    if (!(total > 0)) continue;
    let matching = 0;
    for (const t of tallies) {
      if (t.count > 0 && tol.protocols.includes(protocolOf(t)) && tol.matches(t)) matching += t.count;
    }
    const errorPercent = (matching / total) * 100;
    if (!(errorPercent > 0)) continue;
    violations.push({
      tolerance: tol.tolerance,
      errorPercent,
      degradedAt: tol.degradedAt,
      failureAt: tol.failureAt,
      status: thresholdStatus(errorPercent, tol.degradedAt, tol.failureAt),
    });
  }
  violations.sort((a, b) => RANK[b.status] - RANK[a.status] || b.errorPercent - a.errorPercent);
  const status = violations.reduce<HealthStatus>((s, v) => worst(s, v.status), 'healthy');
  return { status, requestCount, violations };
}
