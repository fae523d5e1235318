import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, type OnModuleInit } from '@nestjs/common';
import type { Job } from 'bullmq';
import { LOGGER, type Logger, ServiceMetrics } from '@heliomesh/observability';
import {
  QUEUE_NAMES,
  ROLLOUT_JOB_NAMES,
  type RolloutNotifyJobData,
  type RolloutTickJobData,
  WORKER_TIMING,
} from '@heliomesh/queue';
import { errorMessage } from '@heliomesh/util';
import { WORKER_CONFIG, type WorkerConfig } from './config.js';
import { RolloutEngine, type TickReport } from './rollouts/engine/rollout-engine.service.js';
import { type NotifyReport, RolloutNotifier } from './rollouts/engine/rollout-notifier.service.js';
import { RolloutMetrics } from './rollouts/rollout-metrics.service.js';

/**
 * The rollout queue: `tick` jobs advance one rollout by one tick (analysis, then step, promote,
 * pause or roll back); `notify` jobs send one notification webhook, retried until delivered.
 */
@Processor(QUEUE_NAMES.rollout, { ...WORKER_TIMING })
export class RolloutProcessor extends WorkerHost implements OnModuleInit {
  constructor(
    @Inject(WORKER_CONFIG) private readonly config: WorkerConfig,
    private readonly engine: RolloutEngine,
    private readonly notifier: RolloutNotifier,
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

  async process(job: Job<RolloutTickJobData | RolloutNotifyJobData>): Promise<TickReport | NotifyReport> {
    if (job.name === ROLLOUT_JOB_NAMES.notify) return this.notify(job as Job<RolloutNotifyJobData>);
    return this.tick(job as Job<RolloutTickJobData>);
  }

  private tick(job: Job<RolloutTickJobData>): Promise<TickReport> {
    return this.metrics.timeJob(QUEUE_NAMES.rollout, async () => {
      const report = await this.engine.tick(job.data);
      this.rolloutMetrics.record(report);
      this.logger.debug({ jobId: job.id, ...report }, 'rollout tick');
      return report;
    });
  }

  /** A failed delivery throws, so BullMQ retries it with backoff; the last attempt records it instead. */
  private notify(job: Job<RolloutNotifyJobData>): Promise<NotifyReport> {
    return this.metrics.timeJob(QUEUE_NAMES.rollout, async () => {
      const attempt = job.attemptsMade + 1;
      const final = attempt >= (job.opts.attempts ?? 1);
      try {
        const report = await this.notifier.deliver(job.data, { attempt, final });
        this.logger.debug({ jobId: job.id, attempt, ...report }, 'rollout notification');
        return report;
      } catch (err) {
        this.logger.warn(
          { jobId: job.id, attempt, err: errorMessage(err) },
          'rollout notification failed; the queue retries it',
        );
        throw err;
      }
    });
  }
}
