import type { FaultConfig, FaultControl } from './faults/fault-injector.js';
import type { KubeSimStats, RequestRecord } from './http/request-stats.js';

export interface KubeSimOptions {
  /** TCP port; 0 (the default) picks a free one. */
  port?: number;
  /** Interface to listen on (default 127.0.0.1). */
  host?: string;
  /** Fault injection from the start (also adjustable at runtime through `faults`). */
  faults?: FaultConfig;
  /** How many store events watches can replay; older resourceVersions answer 410 Gone (default 50,000). */
  watchHistory?: number;
  /** Run the fake Deployment/ReplicaSet controllers and kubelet (default true). */
  controllers?: boolean;
  /** Also write the kubeconfig to this file. */
  kubeconfigOut?: string;
  /** Interval of watch bookmarks when a client allows them (default 60 s, as upstream). */
  bookmarkIntervalMs?: number;
  /** Register the Istio CRDs at start (default true). */
  istio?: boolean;
}

export interface KubeSim {
  /** `http://127.0.0.1:PORT` */
  url: string;
  port: number;
  /** A kubeconfig (YAML) pointing at this server. */
  kubeconfig: string;
  /** Where the kubeconfig was written, when `kubeconfigOut` was given. */
  kubeconfigPath?: string;
  faults: FaultControl;
  /** Counters since start (or the last resetStats). */
  stats(): KubeSimStats;
  /** The most recent requests (up to 20,000), oldest first. */
  requestLog(): RequestRecord[];
  resetStats(): void;
  /** Forgets the watch history: the next watch from an older resourceVersion gets 410 Gone. */
  compactHistory(): void;
  /** Ends every open watch stream (clients reconnect from their last resourceVersion). */
  closeWatches(): void;
  /** The current global resourceVersion. */
  resourceVersion(): number;
  stop(): Promise<void>;
}
