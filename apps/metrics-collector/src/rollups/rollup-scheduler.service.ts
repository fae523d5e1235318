import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  Optional,
} from '@nestjs/common';
import { DatabaseConnector } from '@heliomesh/db';
import { LOGGER, type Logger } from '@heliomesh/observability';
import { errorMessage } from '@heliomesh/util';
import { RollupService } from './rollup.service.js';
import { delayToNextRun } from './rollup-time.util.js';

/** Past the minute, so the scrape (or Prometheus' scrape) at the boundary has landed. */
export const ROLLUP_OFFSET_MS = 5_000;
const MAINTENANCE_EVERY_MS = 60 * 60_000;

/** Optional provider of the scheduler's clock (epoch ms), for tests. */
export const ROLLUP_CLOCK = Symbol('ROLLUP_CLOCK');

/**
 * Writes the rollup of each minute just after it ends and keeps the partitions prepared. Every
 * failure is logged and retried on the next run: the service keeps serving live figures.
 */
@Injectable()
export class RollupScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private stopped = false;
  private lastMaintenanceMs = Number.NEGATIVE_INFINITY;
  private readonly clock: () => number;

  constructor(
    private readonly rollups: RollupService,
    private readonly connector: DatabaseConnector,
    @Inject(LOGGER) private readonly logger: Logger,
    @Optional() @Inject(ROLLUP_CLOCK) clock?: () => number,
  ) {
    this.clock = clock ?? Date.now;
  }

  onApplicationBootstrap(): void {
    // Waiting for Postgres is not work in flight: shutdown must not wait for a database that never came.
    void this.connector.ready().then(
      () => {
        if (!this.stopped) this.track(this.maintain(), 'preparing rollup partitions');
      },
      () => undefined,
    );
    this.scheduleNext();
  }

  private scheduleNext(): void {
    if (this.stopped) return;
    const timer = setTimeout(
      () => {
        this.timers.delete(timer);
        this.run();
        this.scheduleNext();
      },
      delayToNextRun(this.clock(), ROLLUP_OFFSET_MS),
    );
    timer.unref();
    this.timers.add(timer);
  }

  /** The rollup of the minute that just ended (the run happens `ROLLUP_OFFSET_MS` into the next). */
  private run(): void {
    const now = this.clock();
    const work = (async () => {
      if (now - this.lastMaintenanceMs >= MAINTENANCE_EVERY_MS) await this.maintain();
      const result = await this.rollups.writeMinute(now - ROLLUP_OFFSET_MS - 1);
      if (result.outcome === 'written') this.logger.debug(result, 'rollup written');
      else this.logger.info(result, 'rollup skipped');
    })();
    this.track(work, 'writing the minute rollup');
  }

  private async maintain(): Promise<void> {
    const { dropped } = await this.rollups.maintain(this.clock());
    this.lastMaintenanceMs = this.clock();
    if (dropped.length) {
      this.logger.info(
        { dropped: dropped.map((d) => new Date(d).toISOString().slice(0, 10)) },
        'rollup partitions dropped',
      );
    }
  }

  private track(work: Promise<unknown>, what: string): void {
    const guarded = work.catch((err: unknown) => {
      if (!this.stopped)
        this.logger.warn({ err: errorMessage(err) }, `${what} failed; retrying on the next run`);
    });
    this.inFlight.add(guarded);
    void guarded.finally(() => this.inFlight.delete(guarded));
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await Promise.all([...this.inFlight]);
  }
}
