import { ConfigError, loadConfig } from '@heliomesh/config';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { collectorEnv, parseTargetList } from './config.js';

function failure(vars: Record<string, string>): ConfigError {
  try {
    loadConfig(collectorEnv, vars);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('collector configuration', () => {
  it('defaults to the embedded scraper reading mesh-sim on :15020, as npm start runs it', () => {
    const cfg = loadConfig(collectorEnv, {});
    expect(cfg).toMatchObject({
      COLLECTOR_PORT: 3002,
      METRICS_PROVIDER: 'scrape',
      SCRAPE_TARGETS: ['http://127.0.0.1:15020/metrics'],
      SCRAPE_INTERVAL_MS: 5_000,
      SCRAPE_RETENTION_SECONDS: 600,
      ROLLUP_RETENTION_DAYS: 14,
    });
    expect(cfg.PROMETHEUS_URL).toBeUndefined();
  });

  it('reads a list of targets, trimming spaces and dropping duplicates', () => {
    const cfg = loadConfig(collectorEnv, {
      SCRAPE_TARGETS: ' http://a:1/metrics, https://b/m ,http://a:1/metrics',
    });
    expect(cfg.SCRAPE_TARGETS).toEqual(['http://a:1/metrics', 'https://b/m']);
  });

  it.each([
    ['METRICS_PROVIDER', 'graphite', 'one of scrape, prometheus'],
    ['SCRAPE_TARGETS', 'ftp://x/metrics', 'a comma-separated list of http:// or https:// URLs'],
    ['SCRAPE_TARGETS', ',', 'a comma-separated list of http:// or https:// URLs'],
    ['SCRAPE_INTERVAL_MS', '50', 'a whole number between 100 and 300000'],
    ['ROLLUP_RETENTION_DAYS', '0', 'a whole number between 1 and 3650'],
    ['PROMETHEUS_URL', 'prometheus:9090', 'an http:// or https:// URL of Prometheus'],
  ])('rejects %s=%s naming the variable and the form', (variable, value, form) => {
    const err = failure({ [variable]: value });
    expect(err.variable).toBe(variable);
    expect(err.message).toContain(`Invalid configuration: ${variable} must be ${form}`);
  });

  it('refuses METRICS_PROVIDER=prometheus without PROMETHEUS_URL instead of falling back', () => {
    const err = failure({ METRICS_PROVIDER: 'prometheus' });
    expect(err.variable).toBe('PROMETHEUS_URL');
    expect(err.message).toContain('required when METRICS_PROVIDER=prometheus');
    const ok = loadConfig(collectorEnv, {
      METRICS_PROVIDER: 'prometheus',
      PROMETHEUS_URL: 'http://prom:9090',
    });
    expect(ok.PROMETHEUS_URL).toBe('http://prom:9090');
  });

  it('refuses a scrape window too short for one-minute rollups', () => {
    const err = failure({ SCRAPE_INTERVAL_MS: '250', SCRAPE_MAX_SAMPLES_PER_SERIES: '240' });
    expect(err.variable).toBe('SCRAPE_MAX_SAMPLES_PER_SERIES');
    expect(err.message).toContain('covers at least 65 s');
  });

  it('property: the target list parser accepts exactly lists of http(s) URLs and never throws', () => {
    // A comma separates targets, so a URL with one in it cannot be listed.
    const url = fc.webUrl({ validSchemes: ['http', 'https'] }).filter((u) => !u.includes(','));
    fc.assert(
      fc.property(fc.array(url, { minLength: 1, maxLength: 5 }), (urls) => {
        expect(parseTargetList(urls.join(','))).toEqual([...new Set(urls.map((u) => u.trim()))]);
      }),
    );
    fc.assert(
      fc.property(fc.string(), (raw) => {
        const parsed = parseTargetList(raw);
        if (parsed) for (const u of parsed) expect(new URL(u).protocol).toMatch(/^https?:$/);
      }),
    );
  });
});
