import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, type OnModuleInit } from '@nestjs/common';
import type { Job } from 'bullmq';
import { LOGGER, type Logger, ServiceMetrics } from '@heliomesh/observability';
import { QUEUE_NAMES, type RolloutTickJobData, WORKER_TIMING } from '@heliomesh/queue';
import { WORKER_CONFIG, type WorkerConfig } from './config.js';
import { RolloutEngine, type TickReport } from './rollouts/engine/rollout-engine.service.js';
import { RolloutMetrics } from './rollouts/rollout-metrics.service.js';

/** Advances one rollout by one tick: analysis, then step, promote, pause or roll back. */
@Processor(QUEUE_NAMES.rollout, { ...WORKER_TIMING })
export class RolloutProcessor extends WorkerHost implements OnModuleInit {
  constructor(
    @Inject(WORKER_CONFIG) private readonly config: WorkerConfig,
    private readonly engine: RolloutEngine,
    private readonly rolloutMetrics: RolloutMetrics,
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

  async process(job: Job<RolloutTickJobData>): Promise<TickReport> {
    return this.metrics.timeJob(QUEUE_NAMES.rollout, async () => {
      const report = await this.engine.tick(job.data);
      this.rolloutMetrics.record(report);
      this.logger.debug({ jobId: job.id, ...report }, 'rollout tick');
      return report;
    });
  }
}
