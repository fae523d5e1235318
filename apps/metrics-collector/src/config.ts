import { commonServiceEnv, DEFAULT_PORTS, env } from '@heliomesh/config';
import { z } from 'zod';

export const METRICS_PROVIDERS = ['scrape', 'prometheus'] as const;
export type MetricsProviderKind = (typeof METRICS_PROVIDERS)[number];

/** A minute of samples plus a margin for scrapes that arrive late. */
const MIN_WINDOW_COVERAGE_MS = 65_000;

const TARGETS_FORM =
  'a comma-separated list of http:// or https:// URLs such as http://127.0.0.1:15020/metrics';
const PROMETHEUS_FORM = 'an http:// or https:// URL of Prometheus such as http://prometheus:9090';

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname.length > 0;
  } catch {
    return false;
  }
}

/** Splits `SCRAPE_TARGETS`; `undefined` when any entry is not an http(s) URL or the list is empty. */
export function parseTargetList(value: string): string[] | undefined {
  const urls = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (urls.length === 0 || !urls.every(isHttpUrl)) return undefined;
  return [...new Set(urls)];
}

const targetList = (fallback: string) =>
  z
    .string()
    .refine((v) => parseTargetList(v) !== undefined, { message: TARGETS_FORM })
    .transform((v) => parseTargetList(v)!)
    .prefault(fallback);

const wholeNumberBetween = (min: number, max: number, fallback: number) => {
  const form = `a whole number between ${min} and ${max}`;
  return z
    .string()
    .regex(/^\d{1,9}$/, form)
    .transform(Number)
    .refine((n) => n >= min && n <= max, { message: form })
    .prefault(String(fallback));
};

export const collectorEnv = z
  .object({
    ...commonServiceEnv,
    COLLECTOR_PORT: env.port(DEFAULT_PORTS.metricsCollector),
    /** Where measurements come from: the embedded scraper (no Prometheus needed) or Prometheus. */
    METRICS_PROVIDER: env.enumOf(METRICS_PROVIDERS, 'scrape'),
    /** mesh-sim's /metrics by default, which is what `npm start` runs. */
    SCRAPE_TARGETS: targetList(`http://127.0.0.1:${DEFAULT_PORTS.meshSim}/metrics`),
    SCRAPE_INTERVAL_MS: wholeNumberBetween(100, 300_000, 5_000),
    /** How far back the scrape window reaches; also the longest query window it answers. */
    SCRAPE_RETENTION_SECONDS: wholeNumberBetween(120, 86_400, 600),
    SCRAPE_MAX_SERIES: env.positiveInt(200_000),
    SCRAPE_MAX_SAMPLES_PER_SERIES: wholeNumberBetween(2, 100_000, 240),
    PROMETHEUS_URL: z.string().refine(isHttpUrl, { message: PROMETHEUS_FORM }).optional(),
    PROMETHEUS_TIMEOUT_MS: env.positiveInt(10_000),
    /** Days of one-minute rollups kept in Postgres; older daily partitions are dropped. */
    ROLLUP_RETENTION_DAYS: wholeNumberBetween(1, 3_650, 14),
  })
  .superRefine((cfg, ctx) => {
    // No silent fallback: asking for Prometheus without saying where it is fails at start.
    if (cfg.METRICS_PROVIDER === 'prometheus' && cfg.PROMETHEUS_URL === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['PROMETHEUS_URL'],
        message: `${PROMETHEUS_FORM}, required when METRICS_PROVIDER=prometheus`,
      });
    }
    // Rollups ask for the last minute: a window that holds less would answer every one with no data.
    const coveredMs = cfg.SCRAPE_MAX_SAMPLES_PER_SERIES * cfg.SCRAPE_INTERVAL_MS;
    if (cfg.METRICS_PROVIDER === 'scrape' && coveredMs < MIN_WINDOW_COVERAGE_MS) {
      ctx.addIssue({
        code: 'custom',
        path: ['SCRAPE_MAX_SAMPLES_PER_SERIES'],
        message: `a whole number large enough that it times SCRAPE_INTERVAL_MS (${cfg.SCRAPE_INTERVAL_MS}) covers at least ${MIN_WINDOW_COVERAGE_MS / 1000} s, so one-minute rollups have a full minute of samples`,
      });
    }
  });

export type CollectorConfig = z.output<typeof collectorEnv>;

export const COLLECTOR_CONFIG = Symbol('COLLECTOR_CONFIG');
