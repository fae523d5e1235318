import type { KubeConfig } from '@kubernetes/client-node';
import { KubeApiClient } from '../client/kube-api.client.js';
import { ObjectClient } from '../client/object.client.js';
import {
  DEFAULT_RATE_LIMIT,
  TokenBucket,
  systemClock,
  type Clock,
  type RateLimit,
} from '../client/rate-limiter.util.js';
import { ResourceCatalog } from '../client/resource-catalog.service.js';
import type { LoadedConfig } from './kubeconfig.util.js';
import { OwnWrites } from './own-writes.util.js';

export type ClusterSourceType = 'kubeconfig' | 'kubeconfig-file' | 'in-cluster' | 'sandbox';

export interface ClusterOptions {
  /** Client-side rate limit shared by every call to this cluster (default 50 QPS, burst 100). */
  rateLimit?: Partial<RateLimit>;
  /** Deadline of one request in ms (default 15 s; watches are not affected). */
  requestTimeoutMs?: number;
  userAgent?: string;
  clock?: Clock;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 15_000;

/** One registered cluster: its own client, rate limiter, discovery cache and own-write tracker. */
export class KubeCluster {
  readonly api: KubeApiClient;
  readonly objects: ObjectClient;
  readonly limiter: TokenBucket;
  readonly ownWrites = new OwnWrites();
  readonly clock: Clock;
  /** client-node's config for this cluster (informers and watches use it). */
  readonly kubeConfig: KubeConfig;
  readonly server: string;
  readonly defaultNamespace: string;

  constructor(
    readonly name: string,
    readonly source: ClusterSourceType,
    loaded: LoadedConfig,
    options: ClusterOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.kubeConfig = loaded.kc;
    this.server = loaded.server;
    this.defaultNamespace = loaded.namespace;
    this.limiter = new TokenBucket({ ...DEFAULT_RATE_LIMIT, ...options.rateLimit }, this.clock);
    this.api = new KubeApiClient(loaded.kc, loaded.server, this.limiter, {
      requestTimeoutMs: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
      userAgent: options.userAgent ?? 'heliomesh/0.1 (libs/kube)',
    });
    this.objects = new ObjectClient(this.api, new ResourceCatalog(this.api, this.clock));
  }

  async close(): Promise<void> {
    await this.api.close();
  }
}
