import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { LOGGER, type Logger } from '@heliomesh/observability';
import { errorMessage } from '@heliomesh/util';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config.js';
import { EventQueue } from '../subscriptions/event-queue.util.js';
import { SharedPoller } from '../subscriptions/shared-poller.util.js';
import type { NamespaceHealthModel } from './mesh.models.js';
import { healthFingerprint, namespaceHealth } from './mesh-views.util.js';
import { MESH_TELEMETRY, type MeshTelemetry } from './mesh-telemetry.types.js';

/**
 * Live namespace health: the collector is read every HEALTH_POLL_MS per (namespace, window)
 * someone watches on this replica, and subscribers hear when a status or violated tolerance
 * changes. Every replica reads the collector itself, so a subscriber sees the same stream
 * whichever replica it is connected to.
 */
@Injectable()
export class HealthFeed implements OnApplicationShutdown {
  private readonly poller: SharedPoller<NamespaceHealthModel>;

  constructor(
    @Inject(MESH_TELEMETRY) private readonly telemetry: MeshTelemetry,
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.poller = new SharedPoller(
      config.HEALTH_POLL_MS,
      (key) => this.read(key),
      healthFingerprint,
      (err, key) => logger.warn({ err: errorMessage(err), key }, 'health feed poll failed'),
    );
  }

  /** The namespace's health now, then each change; the caller has checked the tenant owns it. */
  watch(namespace: string, windowSeconds: number): EventQueue<NamespaceHealthModel> {
    const key = `${namespace}\n${windowSeconds}`;
    const stop: { fn?: () => void } = {};
    const queue = new EventQueue<NamespaceHealthModel>(() => stop.fn?.());
    stop.fn = this.poller.subscribe(key, (state) => queue.push(state));
    return queue;
  }

  onApplicationShutdown(): void {
    this.poller.close();
  }

  private async read(key: string): Promise<NamespaceHealthModel> {
    const [namespace = '', window = '60'] = key.split('\n');
    const windowSeconds = Number(window);
    const m = await this.telemetry.health({ namespace }, windowSeconds);
    return namespaceHealth(m, namespace, windowSeconds, new Date());
  }
}
