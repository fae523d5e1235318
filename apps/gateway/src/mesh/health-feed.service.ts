import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { LOGGER, type Logger } from '@heliomesh/observability';
import { QUEUE_CONNECTION } from '@heliomesh/queue';
import { errorMessage } from '@heliomesh/util';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config.js';
import { EventQueue } from '../subscriptions/event-queue.util.js';
import { RedisChannels } from '../subscriptions/redis-channels.service.js';
import { ReplicatedPoller } from '../subscriptions/replicated-poller.util.js';
import type { NamespaceHealthModel } from './mesh.models.js';
import { healthFingerprint, namespaceHealth } from './mesh-views.util.js';
import { MESH_TELEMETRY, type MeshTelemetry } from './mesh-telemetry.types.js';

/**
 * Live namespace health: one replica reads the collector every HEALTH_POLL_MS per (namespace,
 * window) someone watches on any replica, and publishes on Redis when a status or violated
 * tolerance changes; subscribers on every replica hear the same stream.
 */
@Injectable()
export class HealthFeed implements OnApplicationShutdown {
  private readonly poller: ReplicatedPoller<NamespaceHealthModel>;

  constructor(
    @Inject(MESH_TELEMETRY) private readonly telemetry: MeshTelemetry,
    @Inject(QUEUE_CONNECTION) redis: Redis,
    channels: RedisChannels,
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.poller = new ReplicatedPoller({
      redis,
      listen: (channel, handler) => channels.listen(channel, handler),
      prefix: `${config.QUEUE_PREFIX}:health`,
      intervalMs: config.HEALTH_POLL_MS,
      read: (key) => this.read(key),
      fingerprint: healthFingerprint,
      onError: (err, key) => logger.warn({ err: errorMessage(err), key }, 'health feed poll failed'),
    });
  }

  /** The namespace's health now, then each change; the caller has checked the tenant owns it. */
  watch(namespace: string, windowSeconds: number): EventQueue<NamespaceHealthModel> {
    const stop: { fn?: () => void } = {};
    const queue = new EventQueue<NamespaceHealthModel>(() => stop.fn?.());
    stop.fn = this.poller.subscribe(`${namespace}:${windowSeconds}`, (state) => queue.push(state));
    return queue;
  }

  /** The (namespace:window) keys this replica reads the collector for, on behalf of all replicas. */
  get leadingKeys(): string[] {
    return this.poller.leadingKeys;
  }

  onApplicationShutdown(): void {
    this.poller.close();
  }

  private async read(key: string): Promise<NamespaceHealthModel> {
    const at = key.lastIndexOf(':');
    const namespace = key.slice(0, at);
    const windowSeconds = Number(key.slice(at + 1));
    const m = await this.telemetry.health({ namespace }, windowSeconds);
    return namespaceHealth(m, namespace, windowSeconds, new Date());
  }
}
