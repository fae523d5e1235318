import type { ResolvedVersion } from '../topology/topology.types.js';

/** One simulated HTTP request as a sidecar sees it. Header names are lowercase. */
export interface SimRequest {
  method: string;
  /** Path including any query string. */
  path: string;
  scheme: string;
  /** `:authority` / Host, e.g. `reviews:9080`. */
  authority: string;
  headers: Readonly<Record<string, string>>;
  /** Request size on the wire, headers included (istio-semantics §5.1). */
  bytes: number;
}

/** The result of one call as the caller sees it. `grpcStatus` is -1 for non-gRPC traffic. */
export interface CallOutcome {
  code: number;
  grpcStatus: number;
  /** Bitmask of `Flag`s as the client's sidecar reports them. */
  flags: number;
  durationMs: number;
  responseBytes: number;
  /** Set on local rate-limit replies (`x-envoy-ratelimited`), which `envoy-ratelimited` retries. */
  rateLimited: boolean;
}

export type AppProtocol = 'http' | 'grpc';

/** A workload instance: a pod from the cluster, or a simulated entry client. */
export interface PodInfo {
  /** Dense index within one compiled config; runtime state is keyed by `uid` instead. */
  index: number;
  uid: string;
  name: string;
  namespace: string;
  ip: string;
  labels: Readonly<Record<string, string>>;
  workload: string;
  app: string;
  version: string;
  canonicalService: string;
  canonicalRevision: string;
  serviceAccount: string;
  /** `cluster.local/ns/<ns>/sa/<sa>` as AuthorizationPolicy principals spell it (no `spiffe://`). */
  principal: string;
  ready: boolean;
  sidecar: boolean;
  /** How the app in this pod behaves; undefined for pods the topology does not describe. */
  behaviour: ResolvedVersion | undefined;
}

export interface ServicePort {
  name: string;
  port: number;
  targetPort: number;
  protocol: AppProtocol;
}

export interface ServiceInfo {
  name: string;
  namespace: string;
  fqdn: string;
  clusterIP: string;
  selector: Readonly<Record<string, string>> | undefined;
  ports: ServicePort[];
  /** Ready pods selected by the service. */
  endpoints: PodInfo[];
}

export function isFailure(outcome: CallOutcome): boolean {
  return outcome.code === 0 || outcome.code >= 400 || outcome.grpcStatus > 0;
}
