import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { ServiceSyncService, type SyncReport } from '@heliomesh/core';
import { LOGGER, type Logger, ServiceMetrics } from '@heliomesh/observability';
import { enqueueReconcile, QUEUE_NAMES, WORKER_TIMING } from '@heliomesh/queue';
import { errorMessage } from '@heliomesh/util';
import { WORKER_CONFIG, type WorkerConfig } from '../config.js';

const SCHEDULER_ID = 'discovery-every-interval';
/** Like a controller's resync period: re-reconcile (and fully prune) every governed service now and then. */
const RESYNC_EVERY_MS = 10 * 60_000;

/**
 * Rediscovers every tenant's services on a schedule. A BullMQ job scheduler makes exactly one
 * worker replica run each round, however many are up.
 */
@Processor(QUEUE_NAMES.discovery, { ...WORKER_TIMING, concurrency: 1 })
export class DiscoveryProcessor extends WorkerHost implements OnApplicationBootstrap, OnModuleInit {
  constructor(
    @Inject(WORKER_CONFIG) private readonly config: WorkerConfig,
    @InjectQueue(QUEUE_NAMES.discovery) private readonly queue: Queue,
    @InjectQueue(QUEUE_NAMES.reconcile) private readonly reconcileQueue: Queue,
    private readonly db: DataSource,
    private readonly sync: ServiceSyncService,
    private readonly metrics: ServiceMetrics,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    super();
  }

  /**
   * Zero, so the first round after a start resyncs: objects deleted while no worker watched (a
   * cluster rebuilt, the in-memory sandbox restarted) raise no drift event, since the drift
   * watcher never saw them; like a controller's initial list, the resync re-applies them.
   */
  private lastResync = 0;

  /** Queues a reconcile for every service with policies or applied objects; dedup keeps bursts cheap. */
  private async resync(): Promise<number> {
    this.lastResync = Date.now();
    const rows: Array<{ tenant_id: string; id: string }> = await this.db.query(
      `SELECT DISTINCT s.tenant_id, s.id FROM services s WHERE EXISTS (SELECT 1 FROM policies p WHERE s.id = ANY(p.touched_service_ids)) OR EXISTS (SELECT 1 FROM applied_objects a WHERE a.service_id = s.id)`,
    );
    for (const r of rows)
      await enqueueReconcile(this.reconcileQueue, {
        tenantId: r.tenant_id,
        serviceId: r.id,
        reason: 'resync',
      });
    return rows.length;
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

  async process(_job: Job): Promise<{ tenants: number; changed: number; resynced: number }> {
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
      const resynced = Date.now() - this.lastResync >= RESYNC_EVERY_MS ? await this.resync() : 0;
      return { tenants: tenants.length, changed, resynced };
    });
  }
}
