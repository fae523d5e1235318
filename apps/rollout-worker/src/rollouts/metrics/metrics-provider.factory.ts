import { ConfigError } from '@heliomesh/config';
import {
  CollectorMetricsProvider,
  type MetricsProvider,
  PrometheusMetricsProvider,
  ScrapeCollector,
  ScrapeMetricsProvider,
} from '@heliomesh/metrics';
import { assertUnreachable } from '@heliomesh/util';
import type { WorkerConfig } from '../../config.js';

/** A provider and whatever it runs in the background (the scrape loop). */
export interface MetricsBackend {
  provider: MetricsProvider;
  start(): void;
  stop(): Promise<void>;
}

/** Picks the metrics backend the configuration names; adding a kind breaks this switch at compile time. */
export function createMetricsBackend(
  config: Pick<
    WorkerConfig,
    'METRICS_PROVIDER' | 'COLLECTOR_URL' | 'PROMETHEUS_URL' | 'SCRAPE_TARGETS' | 'SCRAPE_INTERVAL_MS'
  >,
): MetricsBackend {
  const idle = { start: () => undefined, stop: () => Promise.resolve() };
  switch (config.METRICS_PROVIDER) {
    case 'collector':
      return { provider: new CollectorMetricsProvider({ baseUrl: config.COLLECTOR_URL }), ...idle };
    case 'prometheus':
      return { provider: new PrometheusMetricsProvider({ baseUrl: config.PROMETHEUS_URL }), ...idle };
    case 'scrape': {
      const collector = new ScrapeCollector({
        targets: scrapeTargets(config.SCRAPE_TARGETS),
        intervalMs: config.SCRAPE_INTERVAL_MS,
      });
      return {
        provider: new ScrapeMetricsProvider(collector),
        start: () => collector.start(),
        stop: () => collector.stop(),
      };
    }
    default:
      return assertUnreachable(config.METRICS_PROVIDER, 'METRICS_PROVIDER');
  }
}

const FORM = 'a comma-separated list of http:// or https:// /metrics URLs when METRICS_PROVIDER=scrape';

export function scrapeTargets(value: string | undefined): Array<{ name: string; url: string }> {
  const urls = (value ?? '')
    .split(',')
    .map((u) => u.trim())
    .filter(Boolean);
  if (urls.length === 0) throw new ConfigError('SCRAPE_TARGETS', FORM, value);
  return urls.map((url, i) => {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new ConfigError('SCRAPE_TARGETS', FORM, value);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
      throw new ConfigError('SCRAPE_TARGETS', FORM, value);
    return { name: urls.length === 1 ? 'mesh' : `target-${i}`, url };
  });
}
