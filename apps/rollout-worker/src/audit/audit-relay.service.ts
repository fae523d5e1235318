import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { tenantAuditChannel } from '@heliomesh/core';
import { AUDIT_CHANNEL, DatabaseConnector, parseAuditNotification } from '@heliomesh/db';
import { LOGGER, type Logger } from '@heliomesh/observability';
import { QUEUE_CONNECTION } from '@heliomesh/queue';
import { errorMessage } from '@heliomesh/util';
import { WORKER_CONFIG, type WorkerConfig } from '../config.js';
import { PgListener } from '../outbox/pg-listener.util.js';

/**
 * Relays each committed audit event's `<tenant>:<seq>` from Postgres NOTIFY to the tenant's Redis
 * channel, where every gateway replica wakes the audit tails of that tenant (decision 0003).
 * Wake-ups only: a message lost here (Redis or the listener away, no worker running) delays an
 * event until the gateways' slow poll, it never drops one. Several workers may relay the same
 * event; a gateway ignores a sequence number it has already read.
 */
@Injectable()
export class AuditRelayService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly listener: PgListener;
  private lastError = '';

  constructor(
    private readonly connector: DatabaseConnector,
    @Inject(QUEUE_CONNECTION) private readonly redis: Redis,
    @Inject(WORKER_CONFIG) config: WorkerConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.listener = new PgListener({
      url: config.DATABASE_URL,
      applicationName: 'heliomesh-audit-listener',
      channel: AUDIT_CHANNEL,
      onNotification: (payload) => this.relay(payload),
      onDisconnect: (reason) =>
        logger.warn({ err: reason }, 'audit listener disconnected; gateways poll until it is back'),
    });
  }

  onApplicationBootstrap(): void {
    void this.connector.ready().then(
      () => this.listener.start(),
      () => undefined,
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.listener.stop();
  }

  private relay(payload: string | undefined): void {
    const event = parseAuditNotification(payload);
    // Offline, ioredis would queue the publish without bound; the gateways' poll covers the gap.
    if (!event || this.redis.status !== 'ready') return;
    this.redis.publish(tenantAuditChannel(event.tenantId), String(event.seq)).then(
      () => (this.lastError = ''),
      (err: unknown) => {
        const message = errorMessage(err);
        if (message !== this.lastError) this.logger.warn({ err: message }, 'audit relay publish failed');
        this.lastError = message;
      },
    );
  }
}
