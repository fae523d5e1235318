import type { LatencySpec } from './topology.schema.js';

/** The topology after defaults and cross-references are resolved; what the engine reads. */
export interface ResolvedTopology {
  name: string;
  namespace: string;
  hopLatencyMs: number;
  services: ResolvedService[];
  clients: ResolvedClient[];
}

export interface ResolvedService {
  name: string;
  namespace: string;
  fqdn: string;
  port: number;
  protocol: 'http' | 'grpc';
  serviceAccount: string;
  propagateHeaders: string[];
  versions: ResolvedVersion[];
}

export interface ResolvedVersion {
  serviceName: string;
  namespace: string;
  name: string;
  /** Deployment name, `<service>-<version>`. */
  workload: string;
  replicas: number;
  latency: LatencySpec;
  errorRate: number;
  errorCode: number;
  grpcErrorStatus: number;
  responseBytes: number;
  labels: Record<string, string>;
  callMode: 'sequential' | 'parallel';
  calls: ResolvedCall[];
  protocol: 'http' | 'grpc';
  propagateHeaders: string[];
}

export interface ResolvedCall {
  /** The host as the app writes it (`ratings`, `ratings.shop`), used for the authority. */
  host: string;
  port: number;
  /** `host:port`, or `host` alone for port 80. */
  authority: string;
  method: string;
  path: string;
  probability: number;
  required: boolean;
  requestBytes: number;
}

export interface ResolvedRequestTemplate {
  weight: number;
  method: string;
  path: string;
  scheme: 'http' | 'https';
  headers: Record<string, string>;
  bodyBytes: number;
}

export interface ResolvedClient {
  name: string;
  namespace: string;
  sidecar: boolean;
  serviceAccount: string;
  labels: Record<string, string>;
  host: string;
  port: number;
  authority: string;
  rps: number;
  arrival: 'uniform' | 'poisson';
  requests: ResolvedRequestTemplate[];
}
