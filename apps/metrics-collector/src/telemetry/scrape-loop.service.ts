import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { LOGGER, type Logger } from '@heliomesh/observability';
import type { ScrapeCollector } from '@heliomesh/metrics';
import { errorMessage } from '@heliomesh/util';
import { CollectorMetrics } from './collector-metrics.service.js';
import { METRICS_BACKEND, type MetricsBackend } from './metrics-backend.factory.js';

/**
 * Runs the embedded scraper on its interval. A failed scrape is recorded (target health, metrics,
 * one log line when a target's error changes) and the loop carries on: a mesh that is down must
 * never take the collector with it.
 */
@Injectable()
export class ScrapeLoopService implements OnModuleInit, OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private readonly lastErrors = new Map<string, string | undefined>();

  constructor(
    @Inject(METRICS_BACKEND) private readonly backend: MetricsBackend,
    private readonly metrics: CollectorMetrics,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    const scraper = this.backend.scraper;
    if (scraper) this.schedule(scraper, 0);
  }

  private schedule(scraper: ScrapeCollector, delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick(scraper).finally(() => this.schedule(scraper, scraper.intervalMs));
    }, delayMs);
    this.timer.unref();
  }

  /** One pass over every target; never rejects. */
  async tick(scraper: ScrapeCollector): Promise<void> {
    const stop = this.metrics.scrapeDuration.startTimer();
    try {
      const health = await scraper.scrapeOnce();
      for (const h of health) {
        this.metrics.scrapes.inc({ target: h.target, outcome: h.lastError ? 'failure' : 'success' });
        this.reportChange(h.target, h.lastError);
      }
      this.metrics.windowSeries.set(scraper.store.seriesCount);
    } catch (err) {
      this.logger.error(
        { err: errorMessage(err) },
        'scrape pass failed unexpectedly; retrying next interval',
      );
    } finally {
      stop();
    }
  }

  private reportChange(target: string, error: string | undefined): void {
    if (this.lastErrors.has(target) && this.lastErrors.get(target) === error) return;
    this.lastErrors.set(target, error);
    if (error)
      this.logger.warn({ target, err: error }, 'scrape target failing; measurements report provider-error');
    else this.logger.info({ target }, 'scrape target answering');
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }
}
