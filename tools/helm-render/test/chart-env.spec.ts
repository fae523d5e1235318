import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkReferences, parseGoYaml, type GoMap } from '../src/index.js';
import {
  CLUSTER_SECRET_KEY,
  PROMETHEUS_URL,
  envOf,
  named,
  ofKind,
  render,
  renderBare,
  renderFull,
  secretData,
  spec,
  type App,
  type EnvVar,
} from './chart.fixture.js';

const ADMIN_TOKEN = 'hm_Zt0mQ3vX8bN1cK6pR4sW7yA2dF5gH9jL0eU3iO6kM1q';

/** Plain values by name; secret references as `secret:<name>/<key>[?]` (? when optional). */
function described(env: Map<string, EnvVar>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, e] of env) {
    const ref = e.valueFrom?.secretKeyRef;
    out[name] = ref ? `secret:${ref.name}/${ref.key}${ref.optional ? '?' : ''}` : e.value!;
  }
  return out;
}

const envOfApp = async (app: App, ...values: GoMap[]) => described(envOf(await render(...values), app));

describe('the environment of each Deployment, with the default values', () => {
  const ref = (key: string) => `secret:hm-heliomesh/${key}`;
  const connection = { DATABASE_URL: ref('DATABASE_URL'), REDIS_URL: ref('REDIS_URL') };
  const collector = 'http://hm-heliomesh-metrics-collector.heliomesh.svc:3002';

  it('policy-api: its port, connections, the cluster key and the tenant rollout limit', async () => {
    expect(await envOfApp('policy-api')).toEqual({
      POLICY_API_PORT: '3000',
      ...connection,
      CLUSTER_SECRET_KEY: ref('CLUSTER_SECRET_KEY'),
      ROLLOUT_TENANT_LIMIT: '50',
    });
  });

  it('gateway: the cluster key, GraphQL limits and the collector Service', async () => {
    expect(await envOfApp('gateway')).toEqual({
      GATEWAY_PORT: '4000',
      ...connection,
      CLUSTER_SECRET_KEY: ref('CLUSTER_SECRET_KEY'),
      GRAPHIQL: 'false',
      GRAPHQL_MAX_DEPTH: '12',
      GRAPHQL_MAX_COST: '50000',
      COLLECTOR_URL: collector,
    });
  });

  it('rollout-worker: the cluster key, concurrency, polling, and measurements through the collector', async () => {
    expect(await envOfApp('rollout-worker')).toEqual({
      WORKER_PORT: '3001',
      ...connection,
      CLUSTER_SECRET_KEY: ref('CLUSTER_SECRET_KEY'),
      RECONCILE_CONCURRENCY: '4',
      ROLLOUT_CONCURRENCY: '16',
      OUTBOX_POLL_MS: '1000',
      DISCOVERY_INTERVAL_MS: '60000',
      METRICS_PROVIDER: 'collector',
      COLLECTOR_URL: collector,
    });
  });

  it('metrics-collector: Prometheus, and neither the cluster key nor the admin token', async () => {
    expect(await envOfApp('metrics-collector', { auth: { bootstrapAdminToken: ADMIN_TOKEN } })).toEqual({
      COLLECTOR_PORT: '3002',
      ...connection,
      METRICS_PROVIDER: 'prometheus',
      PROMETHEUS_URL,
      PROMETHEUS_TIMEOUT_MS: '10000',
      ROLLUP_RETENTION_DAYS: '14',
    });
  });
});

describe('ci/full-values.yaml', () => {
  it('sets every service setting from its value, large numbers as integers', async () => {
    const r = await renderFull();
    expect(described(envOf(r, 'policy-api'))).toMatchObject({
      ADMIN_TOKEN: 'secret:heliomesh/ADMIN_TOKEN',
      ROLLOUT_TENANT_LIMIT: '200',
    });
    expect(described(envOf(r, 'gateway'))).toMatchObject({
      GRAPHIQL: 'true',
      GRAPHQL_MAX_DEPTH: '16',
      GRAPHQL_MAX_COST: '2000000',
    });
    expect(described(envOf(r, 'rollout-worker'))).toMatchObject({
      RECONCILE_CONCURRENCY: '8',
      ROLLOUT_CONCURRENCY: '32',
      OUTBOX_POLL_MS: '500',
      DISCOVERY_INTERVAL_MS: '30000',
    });
  });

  it('runs the embedded scraper: targets joined with commas, no Prometheus settings', async () => {
    const env = described(envOf(await renderFull(), 'metrics-collector'));
    expect(env).toMatchObject({
      METRICS_PROVIDER: 'scrape',
      SCRAPE_TARGETS:
        'http://reviews-v1.bookinfo.svc:15020/stats/prometheus,http://10.12.0.7:15020/stats/prometheus',
      SCRAPE_INTERVAL_MS: '2000',
      SCRAPE_RETENTION_SECONDS: '900',
      SCRAPE_MAX_SERIES: '1000000',
      SCRAPE_MAX_SAMPLES_PER_SERIES: '450',
      ROLLUP_RETENTION_DAYS: '30',
    });
    expect(Object.keys(env).filter((k) => k.startsWith('PROMETHEUS_'))).toEqual([]);
  });

  it('gives every service the extra secret, and each its own env last', async () => {
    const r = await renderFull();
    for (const app of ['policy-api', 'metrics-collector'] as const)
      expect(described(envOf(r, app))['EXTRA_SECRET_FOR_EVERY_SERVICE']).toBe(
        'secret:heliomesh/EXTRA_SECRET_FOR_EVERY_SERVICE',
      );
    expect([...envOf(r, 'policy-api').keys()].at(-1)).toBe('EXTRA_FOR_API');
  });
});

describe('secrets reach only the services that read them', () => {
  const holders = async (name: string, ...values: GoMap[]) => {
    const r = await render(...values);
    return (['policy-api', 'gateway', 'rollout-worker', 'metrics-collector'] as const).filter((app) =>
      envOf(r, app).has(name),
    );
  };

  it('ADMIN_TOKEN: policy-api alone, and only when one is set', async () => {
    expect(await holders('ADMIN_TOKEN')).toEqual([]);
    expect(await holders('ADMIN_TOKEN', { auth: { bootstrapAdminToken: ADMIN_TOKEN } })).toEqual([
      'policy-api',
    ]);
    const r = await render({ auth: { bootstrapAdminToken: ADMIN_TOKEN } });
    expect(secretData(r, 'hm-heliomesh')['ADMIN_TOKEN']).toBe(ADMIN_TOKEN);
    expect(Object.keys(secretData(await render(), 'hm-heliomesh'))).not.toContain('ADMIN_TOKEN');
  });

  it('CLUSTER_SECRET_KEY: policy-api, gateway and rollout-worker, with the value given', async () => {
    expect(await holders('CLUSTER_SECRET_KEY')).toEqual(['policy-api', 'gateway', 'rollout-worker']);
    expect(secretData(await render(), 'hm-heliomesh')['CLUSTER_SECRET_KEY']).toBe(CLUSTER_SECRET_KEY);
  });

  it('keeps the Secret to the connection URLs and the cluster key by default', async () => {
    expect(Object.keys(secretData(await render(), 'hm-heliomesh')).sort()).toEqual([
      'CLUSTER_SECRET_KEY',
      'DATABASE_URL',
      'REDIS_URL',
    ]);
  });

  it('with existingSecret: reads each key from it, ADMIN_TOKEN optionally, and ignores auth', async () => {
    const r = await render({ existingSecret: 'my-heliomesh', auth: { bootstrapAdminToken: ADMIN_TOKEN } });
    const refs = (app: App) =>
      Object.values(described(envOf(r, app)))
        .filter((v) => v.startsWith('secret:'))
        .sort();
    const base = ['secret:my-heliomesh/DATABASE_URL', 'secret:my-heliomesh/REDIS_URL'];
    const key = 'secret:my-heliomesh/CLUSTER_SECRET_KEY';
    expect(refs('policy-api')).toEqual(['secret:my-heliomesh/ADMIN_TOKEN?', key, ...base]);
    expect(refs('gateway')).toEqual([key, ...base]);
    expect(refs('rollout-worker')).toEqual([key, ...base]);
    expect(refs('metrics-collector')).toEqual(base);
    expect(ofKind(r, 'Secret')).toEqual([]);
  });

  it('rolls the pods when the cluster key changes', async () => {
    const checksum = async (values: GoMap) =>
      spec(named(await render(values), 'Deployment', 'hm-heliomesh-gateway')).spec.template.metadata
        .annotations['checksum/secret'];
    const other = 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=';
    expect(await checksum({ auth: { clusterSecretKey: other } })).not.toBe(await checksum({}));
  });
});

describe('COLLECTOR_URL', () => {
  const urls = async (...values: GoMap[]) => {
    const r = await render(...values);
    return {
      r,
      gateway: envOf(r, 'gateway').get('COLLECTOR_URL')!.value!,
      worker: envOf(r, 'rollout-worker').get('COLLECTOR_URL')!.value!,
    };
  };

  it("names the chart's own collector Service and port, so it follows renames", async () => {
    const { r, gateway, worker } = await urls({
      fullnameOverride: 'mesh',
      metricsCollector: { service: { port: 8080 } },
    });
    expect(worker).toBe(gateway);
    const url = new URL(gateway);
    const [serviceName, namespace] = url.hostname.split('.');
    const service = spec(named(r, 'Service', serviceName!));
    expect(namespace).toBe(service.metadata.namespace);
    expect(service.metadata.labels['app.kubernetes.io/component']).toBe('metrics-collector');
    expect(Number(url.port)).toBe(service.spec.ports[0].port);
    expect(gateway).toBe('http://mesh-metrics-collector.heliomesh.svc:8080');
  });

  it('can point at a collector elsewhere', async () => {
    const { gateway, worker } = await urls({
      metricsCollector: { url: 'https://collector.example.com:8443' },
    });
    expect([gateway, worker]).toEqual([
      'https://collector.example.com:8443',
      'https://collector.example.com:8443',
    ]);
  });
});

describe('a variable the chart sets cannot come from a second place as well', () => {
  it.each<[string, GoMap, string]>([
    ['a service env', { gateway: { env: { GRAPHQL_MAX_DEPTH: '20' } } }, 'gateway.env.GRAPHQL_MAX_DEPTH'],
    [
      'config.extraEnv (ConfigMap)',
      { config: { extraEnv: { LOG_LEVEL: 'debug' } } },
      'config.extraEnv.LOG_LEVEL',
    ],
    [
      'config.extraEnv (a service variable)',
      { config: { extraEnv: { COLLECTOR_URL: 'http://elsewhere:3002' } } },
      'config.extraEnv.COLLECTOR_URL',
    ],
    [
      'secret.extra (a chart Secret key)',
      { secret: { extra: { CLUSTER_SECRET_KEY: CLUSTER_SECRET_KEY } } },
      'secret.extra.CLUSTER_SECRET_KEY',
    ],
    [
      'secret.extra (ADMIN_TOKEN, which auth.bootstrapAdminToken sets)',
      { secret: { extra: { ADMIN_TOKEN: ADMIN_TOKEN } } },
      'secret.extra.ADMIN_TOKEN',
    ],
    [
      'secret.extra (a service variable)',
      { secret: { extra: { PROMETHEUS_URL: 'http://other:9090' } } },
      'secret.extra.PROMETHEUS_URL',
    ],
  ])('%s', async (_name, values, path) => {
    await expect(render(values)).rejects.toThrow(`${path} is set by the chart itself: change the value`);
  });

  it('while a variable the chart leaves alone is the operator’s to set', async () => {
    const r = await render({
      gateway: { env: { AUDIT_POLL_MS: '2000' } },
      config: { extraEnv: { ROLLOUT_SWEEP_INTERVAL_MS: '30000' } },
    });
    expect(envOf(r, 'gateway').get('AUDIT_POLL_MS')?.value).toBe('2000');
    expect(spec(ofKind(r, 'ConfigMap')[0]!).data.ROLLOUT_SWEEP_INTERVAL_MS).toBe('30000');
    expect(checkReferences(r)).toEqual([]);
  });
});

describe('docs/deploy.md', () => {
  it('has example values files that render, with every reference resolving to what it tells you to create', async () => {
    const doc = await readFile(fileURLToPath(new URL('../../../docs/deploy.md', import.meta.url)), 'utf8');
    const examples = [...doc.matchAll(/```yaml\n(# my-values\.yaml\n[\s\S]*?)```/g)].map((m) => m[1]!);
    expect(examples).toHaveLength(2);
    // The Secrets its `kubectl create secret` lines and the Ingress's TLS make.
    const created = [...doc.matchAll(/create secret generic ([a-z0-9-]+)/g)].map((m) => m[1]!);
    expect(created).toEqual(['heliomesh-postgres', 'heliomesh-redis', 'heliomesh-config']);
    for (const [i, text] of examples.entries()) {
      const r = await renderBare(parseGoYaml(text, `deploy.md example ${i + 1}`) as GoMap);
      expect(checkReferences(r, { secrets: [...created, 'heliomesh-tls'] })).toEqual([]);
      expect(envOf(r, 'metrics-collector').get('PROMETHEUS_URL')?.value).toBe(PROMETHEUS_URL);
    }
  });
});
