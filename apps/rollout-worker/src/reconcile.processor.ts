import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, type OnModuleInit } from '@nestjs/common';
import type { Job } from 'bullmq';
import { type ReconcileOutcome, ReconcileService } from '@heliomesh/core';
import { LOGGER, type Logger, ServiceMetrics } from '@heliomesh/observability';
import { QUEUE_NAMES, type ReconcileJobData, WORKER_TIMING } from '@heliomesh/queue';
import { WORKER_CONFIG, type WorkerConfig } from './config.js';

/** Brings one service's Istio objects in its cluster to the desired state stored in Postgres. */
@Processor(QUEUE_NAMES.reconcile, { ...WORKER_TIMING })
export class ReconcileProcessor extends WorkerHost implements OnModuleInit {
  constructor(
    @Inject(WORKER_CONFIG) private readonly config: WorkerConfig,
    private readonly reconciler: ReconcileService,
    private readonly metrics: ServiceMetrics,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    super();
  }

  onModuleInit(): void {
    // Connection errors are logged by the queue module; BullMQ would print each one again.
    this.worker.on('error', () => undefined);
    this.worker.concurrency = this.config.RECONCILE_CONCURRENCY;
  }

  async process(job: Job<ReconcileJobData>): Promise<ReconcileOutcome> {
    return this.metrics.timeJob(QUEUE_NAMES.reconcile, async () => {
      const started = performance.now();
      const outcome = await this.reconciler.reconcile(job.data);
      const waitedMs = Date.now() - job.timestamp;
      this.logger.info(
        {
          jobId: job.id,
          ...job.data,
          ...outcome,
          durationMs: Math.round(performance.now() - started),
          queuedMs: waitedMs,
        },
        'reconciled',
      );
      return outcome;
    });
  }
}
