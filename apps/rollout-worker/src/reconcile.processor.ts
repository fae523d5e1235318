import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, type OnModuleInit } from '@nestjs/common';
import type { Job } from 'bullmq';
import { LOGGER, type Logger, ServiceMetrics } from '@heliomesh/observability';
import { WORKER_CONFIG, type WorkerConfig } from './config.js';
import { QUEUE_NAMES, type ReconcileJobData, WORKER_TIMING } from '@heliomesh/queue';

export interface ReconcileResult {
  serviceId: string;
  reason: ReconcileJobData['reason'];
}

/** Brings one service's Istio objects in the cluster to the desired state stored in Postgres. */
@Processor(QUEUE_NAMES.reconcile, { ...WORKER_TIMING })
export class ReconcileProcessor extends WorkerHost implements OnModuleInit {
  constructor(
    @Inject(WORKER_CONFIG) private readonly config: WorkerConfig,
    private readonly metrics: ServiceMetrics,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    super();
  }

  onModuleInit(): void {
    this.worker.concurrency = this.config.RECONCILE_CONCURRENCY;
  }

  async process(job: Job<ReconcileJobData>): Promise<ReconcileResult> {
    return this.metrics.timeJob(QUEUE_NAMES.reconcile, async () => {
      this.logger.info({ jobId: job.id, ...job.data }, 'reconcile');
      return { serviceId: job.data.serviceId, reason: job.data.reason };
    });
  }
}
