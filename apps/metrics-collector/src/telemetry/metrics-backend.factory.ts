import {
  PrometheusMetricsProvider,
  ScrapeCollector,
  ScrapeMetricsProvider,
  type CollectorStatus,
  type MetricsProvider,
} from '@heliomesh/metrics';
import { assertUnreachable } from '@heliomesh/util';
import type { CollectorConfig, MetricsProviderKind } from '../config.js';
import { PrometheusBreakdownProvider } from './prometheus-breakdown.provider.js';
import { ScrapeBreakdownProvider } from './scrape-breakdown.provider.js';
import type { TrafficBreakdown } from './traffic-breakdown.types.js';

/** Everything the collector reads the mesh through, built once at start for the chosen provider. */
export interface MetricsBackend {
  kind: MetricsProviderKind;
  provider: MetricsProvider;
  breakdown: TrafficBreakdown;
  /** The embedded scraper, when the provider is `scrape`: its loop runs in `ScrapeLoopService`. */
  scraper?: ScrapeCollector;
  status(): Promise<CollectorStatus>;
}

export const METRICS_BACKEND = Symbol('METRICS_BACKEND');

function scrapeBackend(config: CollectorConfig): MetricsBackend {
  const scraper = new ScrapeCollector({
    // The URL is the target's name: it is what an operator recognises in an error.
    targets: config.SCRAPE_TARGETS.map((url) => ({ name: url, url })),
    intervalMs: config.SCRAPE_INTERVAL_MS,
    retentionMs: config.SCRAPE_RETENTION_SECONDS * 1000,
    maxSeries: config.SCRAPE_MAX_SERIES,
    maxSamplesPerSeries: config.SCRAPE_MAX_SAMPLES_PER_SERIES,
  });
  const provider = new ScrapeMetricsProvider(scraper);
  return {
    kind: 'scrape',
    provider,
    breakdown: new ScrapeBreakdownProvider(scraper),
    scraper,
    status: async () => ({
      provider: 'scrape',
      online: await provider.isOnline(),
      targets: scraper.targetHealth(),
      window: {
        series: scraper.store.seriesCount,
        samples: scraper.store.sampleCount,
        retentionSeconds: config.SCRAPE_RETENTION_SECONDS,
      },
    }),
  };
}

function prometheusBackend(config: CollectorConfig): MetricsBackend {
  // config.ts refuses METRICS_PROVIDER=prometheus without a URL, so this never falls back.
  const url = config.PROMETHEUS_URL!;
  const provider = new PrometheusMetricsProvider({ baseUrl: url, timeoutMs: config.PROMETHEUS_TIMEOUT_MS });
  return {
    kind: 'prometheus',
    provider,
    breakdown: new PrometheusBreakdownProvider(provider.client),
    status: async () => ({
      provider: 'prometheus',
      online: await provider.isOnline(),
      targets: [],
      prometheusUrl: url,
    }),
  };
}

export function createMetricsBackend(config: CollectorConfig): MetricsBackend {
  switch (config.METRICS_PROVIDER) {
    case 'scrape':
      return scrapeBackend(config);
    case 'prometheus':
      return prometheusBackend(config);
    default:
      return assertUnreachable(config.METRICS_PROVIDER, 'METRICS_PROVIDER');
  }
}
