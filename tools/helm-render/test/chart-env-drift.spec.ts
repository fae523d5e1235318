import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { GoMap, RenderedChart } from '../src/index.js';
import { variablesRead } from './config-variables.helper.js';
import { APPS, REQUIRED_VALUES, container, ofKind, renderBare, spec, type App } from './chart.fixture.js';

/**
 * Keeps the chart and the services from drifting apart: every variable a service's config.ts
 * reads is set by the chart or listed below as left at its default on purpose, and every variable
 * the chart sets is one the service reads.
 */

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CONFIG_FILES: Record<App, string> = {
  'policy-api': 'apps/policy-api/src/config.ts',
  gateway: 'apps/gateway/src/config.ts',
  'rollout-worker': 'apps/rollout-worker/src/config.ts',
  'metrics-collector': 'apps/metrics-collector/src/config.ts',
};

/**
 * Variables the chart leaves at the service's default on purpose, with the reason. Operators can
 * still set any of them: config.extraEnv for every service, `<service>.env` for one. To expose
 * one as a value instead, set it in templates/_env.tpl and remove it here.
 */
const LEFT_AT_DEFAULT: Record<App, Record<string, string>> = {
  'policy-api': {},
  gateway: {
    // Rollout progress and audit wake-ups are pushed over Redis (these polls bound the fallback);
    // the leading replica reads health at its pace.
    AUDIT_POLL_MS: 'audit tails read without a Redis wake-up at this pace; tuning only',
    ROLLOUT_POLL_MS: 'rollout progress streams read missed events at this pace; tuning only',
    HEALTH_POLL_MS: 'health subscriptions read the collector at this pace; tuning only',
    // Collector answers change once per scrape; the cache only trades freshness for load.
    TELEMETRY_CACHE_MS: 'how long collector answers are shared between requests; tuning only',
  },
  'rollout-worker': {
    // The chart's worker takes measurements from the collector (METRICS_PROVIDER=collector), so its
    // own Prometheus and scrape settings are never read; the collector's values hold them.
    PROMETHEUS_URL: 'read only with METRICS_PROVIDER=prometheus; the chart sets collector',
    SCRAPE_TARGETS: 'read only with METRICS_PROVIDER=scrape; the chart sets collector',
    SCRAPE_INTERVAL_MS: 'read only with METRICS_PROVIDER=scrape; the chart sets collector',
    // A safety net for ticks whose job was lost; its default is a trade-off nobody needs to make.
    ROLLOUT_SWEEP_INTERVAL_MS: 'how often lost rollout ticks are looked for; recovery tuning only',
    ROLLOUT_NOTIFY_BACKOFF_MS: 'first retry delay of a failed notification webhook; recovery tuning only',
  },
  'metrics-collector': {},
};

/** Set by the chart for its own use: the pods expand them into DATABASE_URL and REDIS_URL. */
const CHART_HELPERS = ['HELIOMESH_DATABASE_PASSWORD', 'HELIOMESH_REDIS_PASSWORD'];

const ADMIN_TOKEN = 'hm_Zt0mQ3vX8bN1cK6pR4sW7yA2dF5gH9jL0eU3iO6kM1q';

/** Between them every branch of the env templates, and no variable a user added. */
const CONFIGURATIONS: [string, GoMap[]][] = [
  ['the required values', [REQUIRED_VALUES]],
  [
    'an admin token and the scraping collector',
    [
      REQUIRED_VALUES,
      { auth: { bootstrapAdminToken: ADMIN_TOKEN } },
      { metricsCollector: { provider: 'scrape', scrape: { targets: ['http://a.b.svc:15020/metrics'] } } },
    ],
  ],
  [
    'existingSecret',
    [{ existingSecret: 'mine', metricsCollector: { prometheus: { url: 'http://p:9090' } } }],
  ],
  [
    'passwords in Secrets of the user',
    [
      REQUIRED_VALUES,
      { database: { passwordSecret: { name: 'pg' } }, redis: { passwordSecret: { name: 'rd' } } },
    ],
  ],
];

/** Every variable an app's container gets: its env, and the keys of what it reads through envFrom. */
function variablesSet(r: RenderedChart, app: App): Set<string> {
  const c = container(r, app);
  const names = new Set<string>((c.env as { name: string }[]).map((e) => e.name));
  for (const from of (c.envFrom ?? []) as {
    configMapRef?: { name: string };
    secretRef?: { name: string };
  }[]) {
    const [kind, ref] = from.configMapRef ? ['ConfigMap', from.configMapRef] : ['Secret', from.secretRef!];
    const object = ofKind(r, kind).find((m) => m.name === ref.name);
    for (const key of Object.keys(object ? (spec(object).data ?? {}) : {})) names.add(key);
  }
  return names;
}

const renders = Promise.all(
  CONFIGURATIONS.map(async ([name, values]) => [name, await renderBare(...values)] as const),
);
const read = Object.fromEntries(
  APPS.map((app) => [app, variablesRead(join(ROOT, CONFIG_FILES[app]))]),
) as Record<App, string[]>;

describe.each(APPS)('%s', (app) => {
  it('gets every variable its config.ts reads, unless it is left at its default on purpose', async () => {
    const set = new Set<string>();
    for (const [, r] of await renders) for (const name of variablesSet(r, app)) set.add(name);
    const missing = read[app].filter((name) => !set.has(name) && !(name in LEFT_AT_DEFAULT[app]));
    expect(
      missing,
      `${CONFIG_FILES[app]} reads ${missing.join(', ')}: set them in charts/heliomesh/templates/_env.tpl ` +
        '(with a value in values.yaml and values.schema.json), or add them to LEFT_AT_DEFAULT with the reason',
    ).toEqual([]);
  });

  it.each(CONFIGURATIONS.map(([name]) => name))(
    'sets only variables it reads, with %s',
    async (configuration) => {
      const r = (await renders).find(([name]) => name === configuration)![1];
      const unread = [...variablesSet(r, app)].filter(
        (name) => !read[app].includes(name) && !CHART_HELPERS.includes(name),
      );
      expect(
        unread,
        `the chart sets ${unread.join(', ')} for ${app}, which ${CONFIG_FILES[app]} does not read`,
      ).toEqual([]);
    },
  );

  it('lists as left at its default only variables it reads and the chart does not set', async () => {
    for (const name of Object.keys(LEFT_AT_DEFAULT[app])) {
      expect(read[app], `${name} is no longer read by ${app}: remove it from LEFT_AT_DEFAULT`).toContain(
        name,
      );
      for (const [configuration, r] of await renders)
        expect(variablesSet(r, app).has(name), `${name} is set by the chart (${configuration})`).toBe(false);
    }
  });
});

describe('reading the variables of a config.ts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'helm-render-config-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };

  it('resolves the shared spreads of @heliomesh/config in the real files', () => {
    expect(read['metrics-collector']).toEqual(
      expect.arrayContaining([
        'DATABASE_URL',
        'SHUTDOWN_TIMEOUT_MS',
        'COLLECTOR_PORT',
        'ROLLUP_RETENTION_DAYS',
      ]),
    );
    expect(read['policy-api']).toEqual(
      expect.arrayContaining(['CLUSTER_SECRET_KEY', 'ADMIN_TOKEN', 'REDIS_URL']),
    );
    expect(read['metrics-collector']).not.toContain('CLUSTER_SECRET_KEY');
  });

  it('follows local declarations, aliases, relative imports and .extend()', () => {
    file(
      'more.config.ts',
      'export const moreEnv = { B_MS: env.positiveInt(1), ...deeper };\nconst deeper = { C_URL: x };\n',
    );
    const main = file(
      'config.ts',
      [
        "import { commonServiceEnv as common } from '@heliomesh/config';",
        "import { moreEnv } from './more.config.js';",
        'const local = { A_FLAG: env.bool(false) } as const;',
        'export const e = z.object({ ...common, ...local, ...moreEnv, "QUOTED_NAME": x }).extend({ D_X: y });',
      ].join('\n'),
    );
    expect(variablesRead(main)).toEqual(
      expect.arrayContaining([
        'A_FLAG',
        'B_MS',
        'C_URL',
        'D_X',
        'QUOTED_NAME',
        'DATABASE_URL',
        'QUEUE_PREFIX',
      ]),
    );
  });

  it('refuses what it cannot read rather than miss variables', () => {
    expect(() => variablesRead(file('a.ts', "import { x } from 'elsewhere';\nz.object({ ...x });"))).toThrow(
      'cannot resolve the spread ...x (imported from elsewhere)',
    );
    expect(() => variablesRead(file('b.ts', 'z.object({ notAVariable: 1 });'))).toThrow(
      'is not an environment variable',
    );
    expect(() => variablesRead(file('c.ts', 'export const x = 1;'))).toThrow(
      'no z.object({...}) of environment variables',
    );
    expect(() => variablesRead(file('d.ts', 'z.object({ ...f() });'))).toThrow('cannot read the spread f()');
  });
});
