import { ConfigError } from '@heliomesh/config';
import { describe, expect, it } from 'vitest';
import { createMetricsBackend, scrapeTargets } from './metrics-provider.factory.js';

const base = {
  COLLECTOR_URL: 'http://127.0.0.1:3002',
  PROMETHEUS_URL: 'http://127.0.0.1:9090',
  SCRAPE_TARGETS: undefined,
  SCRAPE_INTERVAL_MS: 5_000,
};

describe('the metrics backend chosen by configuration', () => {
  it('builds each provider kind', () => {
    expect(createMetricsBackend({ ...base, METRICS_PROVIDER: 'collector' }).provider.name).toBe('collector');
    expect(createMetricsBackend({ ...base, METRICS_PROVIDER: 'prometheus' }).provider.name).toBe(
      'prometheus',
    );
    expect(
      createMetricsBackend({
        ...base,
        METRICS_PROVIDER: 'scrape',
        SCRAPE_TARGETS: 'http://127.0.0.1:15020/metrics',
      }).provider.name,
    ).toBe('scrape');
  });

  it('parses scrape targets and names the variable when they are missing or wrong', () => {
    expect(scrapeTargets(' http://a.test/metrics , https://b.test/stats/prometheus ')).toEqual([
      { name: 'target-0', url: 'http://a.test/metrics' },
      { name: 'target-1', url: 'https://b.test/stats/prometheus' },
    ]);
    for (const bad of [undefined, '', ' , ', 'ftp://x.test/metrics', 'not a url'])
      expect(() => scrapeTargets(bad)).toThrow(ConfigError);
    expect(() => createMetricsBackend({ ...base, METRICS_PROVIDER: 'scrape' })).toThrow(
      /SCRAPE_TARGETS must be/,
    );
  });
});
