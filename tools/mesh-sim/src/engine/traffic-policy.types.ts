export type LbKind = 'LEAST_REQUEST' | 'ROUND_ROBIN' | 'RANDOM' | 'HASH';

export type HashKey =
  | { kind: 'header'; name: string }
  | { kind: 'cookie'; name: string }
  | { kind: 'sourceIp' }
  | { kind: 'query'; name: string };

/** Unset limits are Envoy's 2^32-1 (istio-semantics §2.3); 0 cannot be expressed. */
export const UNLIMITED = 4294967295;

export interface PoolLimits {
  maxConnections: number;
  http1MaxPendingRequests: number;
  http2MaxRequests: number;
  maxRetries: number;
}

export interface OutlierPolicy {
  /** 0 disables the check. */
  consecutive5xx: number;
  consecutiveGateway: number;
  consecutiveLocalOrigin: number;
  splitLocalOrigin: boolean;
  intervalMs: number;
  baseEjectionMs: number;
  maxEjectionPercent: number;
  minHealthPercent: number;
}

export type TlsMode = 'DISABLE' | 'SIMPLE' | 'MUTUAL' | 'ISTIO_MUTUAL';

export interface ResolvedPolicy {
  lb: LbKind;
  hashKey: HashKey | undefined;
  ringSize: number;
  pool: PoolLimits;
  outlier: OutlierPolicy | undefined;
  /** Undefined means auto mTLS (§2.4). */
  tlsMode: TlsMode | undefined;
  /** DestinationRule h2UpgradePolicy: UPGRADE turns HTTP/1.1 into HTTP/2 upstream. */
  upgradeH2: boolean;
}
