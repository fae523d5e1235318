import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { ServiceSyncService, type SyncReport } from '@heliomesh/core';
import { LOGGER, type Logger, ServiceMetrics } from '@heliomesh/observability';
import { QUEUE_NAMES, WORKER_TIMING } from '@heliomesh/queue';
import { errorMessage } from '@heliomesh/util';
import { WORKER_CONFIG, type WorkerConfig } from '../config.js';

const SCHEDULER_ID = 'discovery-every-interval';

/**
 * Rediscovers every tenant's services on a schedule. A BullMQ job scheduler makes exactly one
 * worker replica run each round, however many are up.
 */
@Processor(QUEUE_NAMES.discovery, { ...WORKER_TIMING, concurrency: 1 })
export class DiscoveryProcessor extends WorkerHost implements OnApplicationBootstrap, OnModuleInit {
  constructor(
    @Inject(WORKER_CONFIG) private readonly config: WorkerConfig,
    @InjectQueue(QUEUE_NAMES.discovery) private readonly queue: Queue,
    private readonly db: DataSource,
    private readonly sync: ServiceSyncService,
    private readonly metrics: ServiceMetrics,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.queue
      .upsertJobScheduler(
        SCHEDULER_ID,
        { every: this.config.DISCOVERY_INTERVAL_MS },
        { name: 'discover', opts: { removeOnComplete: 100, removeOnFail: 100 } },
      )
      .catch((err: unknown) =>
        this.logger.warn(
          { err: errorMessage(err) },
          'could not schedule discovery; will retry when Redis is back',
        ),
      );
  }

  onModuleInit(): void {
    // Connection errors are logged by the queue module; BullMQ would print each one again.
    this.worker.on('error', () => undefined);
  }

  async process(_job: Job): Promise<{ tenants: number; changed: number }> {
    return this.metrics.timeJob(QUEUE_NAMES.discovery, async () => {
      const tenants: Array<{ tenant_id: string }> = await this.db.query(
        `SELECT DISTINCT tenant_id FROM namespace_claims`,
      );
      let changed = 0;
      for (const { tenant_id } of tenants) {
        try {
          const reports: SyncReport[] = await this.sync.syncTenant(tenant_id, 'system:discovery');
          changed += reports.reduce((n, r) => n + r.added.length + r.updated.length + r.removed.length, 0);
        } catch (err) {
          this.logger.warn(
            { tenantId: tenant_id, err: errorMessage(err) },
            'service discovery failed for a tenant',
          );
        }
      }
      return { tenants: tenants.length, changed };
    });
  }
}
