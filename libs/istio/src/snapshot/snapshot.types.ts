import type { RouteMatch, StickySpec, StoredPolicy } from '@heliomesh/policy';

/** One port of a Kubernetes Service. `targetPort` is the container port (default: `port`). */
export interface ServicePort {
  name?: string;
  port: number;
  targetPort?: number;
  protocol?: string;
}

/** A version of a service: the pod labels that select it and how many pods run it. */
export interface ServiceVersion {
  name: string;
  labels: Record<string, string>;
  pods: number;
}

export interface MeshService {
  name: string;
  namespace: string;
  ports: ServicePort[];
  versions: ServiceVersion[];
  /**
   * The Service's pod selector, used to attach AuthorizationPolicies, EnvoyFilters and WasmPlugins
   * to its workloads. Default: the labels every version has in common.
   */
  selector?: Record<string, string>;
}

export type MtlsMode = 'STRICT' | 'PERMISSIVE' | 'DISABLE';

/**
 * How the progressive-delivery engine drives a service's traffic while a rollout runs. It is the
 * only source of the service's default-route weights for as long as it is present.
 */
export interface RolloutRoute {
  rolloutId: string;
  service: string;
  namespace: string;
  stable: string;
  canary: string;
  /** Share of default-route traffic sent to the canary, 0 to 100. */
  canaryWeight: number;
  /** A/B testing: requests matching this go 100% to the canary. */
  match?: RouteMatch;
  /** Mirror this share of the default route's traffic to the canary. */
  mirrorPercent?: number;
  sticky?: StickySpec;
}

/** A live Istio object not managed by Heliomesh, as read from the cluster. */
export interface ForeignObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  spec?: unknown;
}

/** Everything the compiler needs about one cluster of one tenant. */
export interface CompileSnapshot {
  tenant: { id: string; name: string };
  /** The cluster being compiled for; policies whose target names another cluster are skipped. */
  cluster?: string;
  services: MeshService[];
  policies: StoredPolicy[];
  rollouts?: RolloutRoute[];
  foreignObjects?: ForeignObject[];
  /** Effective PeerAuthentication mode per namespace (PERMISSIVE when absent, as in Istio). */
  mtls?: Record<string, MtlsMode>;
  /** Kubernetes cluster domain; default `cluster.local`. */
  domainSuffix?: string;
}

/** A service by namespace and name, or its host name. */
export type ServiceRef = string | { namespace: string; service: string };
