import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { HeliomeshError } from '@heliomesh/util';
import { TemplateError, renderChart, type GoMap, type RenderedChart } from '../src/index.js';
import { CHART_DIR, RELEASE, REQUIRED_VALUES, heliomeshChart, render, renderBare } from './chart.fixture.js';

async function rejection(values: GoMap, by = render): Promise<HeliomeshError> {
  try {
    await by(values);
  } catch (e) {
    if (e instanceof HeliomeshError) return e;
    throw e;
  }
  throw new Error(`expected ${JSON.stringify(values)} to be rejected`);
}

/** `helm install --skip-schema-validation`: what the templates alone let through. */
async function renderWithoutSchema(...values: GoMap[]): Promise<RenderedChart> {
  return renderChart({ ...(await heliomeshChart()), schema: null }, { release: RELEASE, values });
}

const scrape = (s: GoMap): GoMap => ({ metricsCollector: { provider: 'scrape', scrape: s } });

describe('values.schema.json rejects bad values with the path to fix', () => {
  it.each<[string, GoMap, string]>([
    ['a misspelled top-level key', { replicaCount: 3 }, '$.replicaCount'],
    ['a replica count as a string', { policyApi: { replicas: '2' } }, '$.policyApi.replicas'],
    [
      'autoscaling for a service that has none',
      { rolloutWorker: { autoscaling: { enabled: true } } },
      '$.rolloutWorker.autoscaling',
    ],
    ['an unknown log level', { config: { logLevel: 'verbose' } }, '$.config.logLevel'],
    ['a queue prefix the services refuse', { config: { queuePrefix: 'Bad_Prefix' } }, '$.config.queuePrefix'],
    ['a number as an environment value', { config: { extraEnv: { FLAG: 5 } } }, '$.config.extraEnv.FLAG'],
    ['an invalid pull policy', { image: { pullPolicy: 'Sometimes' } }, '$.image.pullPolicy'],
    ['a port out of range', { database: { port: 70000 } }, '$.database.port'],
    ['a database user that would break the URL', { database: { user: 'me@corp' } }, '$.database.user'],
    ['a non-postgres database URL', { database: { url: 'mysql://db/heliomesh' } }, '$.database.url'],
    ['a Redis db beyond 15', { redis: { db: 16 } }, '$.redis.db'],
    ['an anti-affinity preset that does not exist', { podAntiAffinity: 'sometimes' }, '$.podAntiAffinity'],
    [
      'a PDB percentage over 100',
      { policyApi: { pdb: { maxUnavailable: '150%' } } },
      '$.policyApi.pdb.maxUnavailable',
    ],
    ['an ExternalName service', { gateway: { service: { type: 'ExternalName' } } }, '$.gateway.service.type'],
    [
      'a scrape interval Prometheus cannot read',
      { serviceMonitor: { interval: '15 seconds' } },
      '$.serviceMonitor.interval',
    ],
    ['an existingSecret that is not a Kubernetes name', { existingSecret: 'Not_A_Name' }, '$.existingSecret'],
    ['a short bootstrap token', { auth: { bootstrapAdminToken: 'short' } }, '$.auth.bootstrapAdminToken'],
    [
      'an admin token in the old hex form',
      { auth: { bootstrapAdminToken: '0123456789abcdef0123456789abcdef0123456789abcdef' } },
      '$.auth.bootstrapAdminToken',
    ],
    [
      'an admin token in base64 rather than base64url',
      { auth: { bootstrapAdminToken: 'hm_lqW9dV0eC3uXn8oZpS2kT5yB7rJ1aH4gF6mN0cE9x+w' } },
      '$.auth.bootstrapAdminToken',
    ],
    [
      'a cluster key of 16 bytes',
      { auth: { clusterSecretKey: 'MDEyMzQ1Njc4OWFiY2RlZg==' } },
      '$.auth.clusterSecretKey',
    ],
    [
      'a cluster key in hex (openssl rand -hex 32)',
      { auth: { clusterSecretKey: '6f1c0e3b4a5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7' } },
      '$.auth.clusterSecretKey',
    ],
    [
      'a metrics provider the collector does not have',
      { metricsCollector: { provider: 'collector' } },
      '$.metricsCollector.provider',
    ],
    [
      'a Prometheus URL that is not http(s)',
      { metricsCollector: { prometheus: { url: 'prometheus.monitoring.svc:9090' } } },
      '$.metricsCollector.prometheus.url',
    ],
    [
      'a Prometheus URL with credentials (fetch refuses them)',
      { metricsCollector: { prometheus: { url: 'http://admin:secret@prometheus:9090' } } },
      '$.metricsCollector.prometheus.url',
    ],
    [
      'Prometheus given no URL',
      { metricsCollector: { prometheus: { url: '' } } },
      '$.metricsCollector.prometheus.url',
    ],
    ['scraping with no targets', scrape({ targets: [] }), '$.metricsCollector.scrape.targets'],
    [
      'a scrape target with a comma, which would split it',
      scrape({ targets: ['http://a:15020/metrics?x=1,2'] }),
      '$.metricsCollector.scrape.targets[0]',
    ],
    [
      'a scrape target the collector cannot parse (IPv4 octet over 255)',
      scrape({ targets: ['http://10.0.0.300:15020/metrics'] }),
      '$.metricsCollector.scrape.targets[0]',
    ],
    [
      'the same scrape target twice',
      scrape({ targets: ['http://a:1/metrics', 'http://a:1/metrics'] }),
      '$.metricsCollector.scrape.targets',
    ],
    ['a scrape interval under 100 ms', scrape({ intervalMs: 50 }), '$.metricsCollector.scrape.intervalMs'],
    [
      'a scrape retention under two minutes',
      scrape({ retentionSeconds: 60 }),
      '$.metricsCollector.scrape.retentionSeconds',
    ],
    [
      'rollups kept for no day',
      { metricsCollector: { rollupRetentionDays: 0 } },
      '$.metricsCollector.rollupRetentionDays',
    ],
    [
      'a collector URL with spaces',
      { metricsCollector: { url: 'http://my collector' } },
      '$.metricsCollector.url',
    ],
    ['a GraphQL depth of zero', { gateway: { graphql: { maxDepth: 0 } } }, '$.gateway.graphql.maxDepth'],
    [
      'an unknown GraphQL limit',
      { gateway: { graphql: { maxAliases: 10 } } },
      '$.gateway.graphql.maxAliases',
    ],
    [
      'an outbox poll as a string',
      { rolloutWorker: { outboxPollMs: '1000' } },
      '$.rolloutWorker.outboxPollMs',
    ],
    [
      'a fractional discovery interval',
      { rolloutWorker: { discoveryIntervalMs: 1.5 } },
      '$.rolloutWorker.discoveryIntervalMs',
    ],
    [
      'a tenant rollout limit of zero',
      { policyApi: { rolloutTenantLimit: 0 } },
      '$.policyApi.rolloutTenantLimit',
    ],
    ['a section removed with null', { migrations: null }, '$.migrations'],
    [
      'a preStop sleep longer than two minutes',
      { lifecycle: { preStopSleepSeconds: 600 } },
      '$.lifecycle.preStopSleepSeconds',
    ],
  ])('%s', async (_name, values, path) => {
    const e = await rejection(values);
    expect(e.code).toBe('VALUES_SCHEMA_VIOLATION');
    expect(e.details.map((d) => d.path)).toContain(path);
    expect(e.message).toContain(`- ${path}: `);
  });
});

describe('values every install must set', () => {
  it('are the cluster key and the Prometheus URL: the bare defaults fail with both paths', async () => {
    const e = await rejection({}, renderBare);
    expect(e.code).toBe('VALUES_SCHEMA_VIOLATION');
    expect(e.details.map((d) => d.path).sort()).toEqual([
      '$.auth.clusterSecretKey',
      '$.metricsCollector.prometheus.url',
    ]);
  });

  it('do not include the cluster key when existingSecret holds it', async () => {
    const r = await renderBare({
      existingSecret: 'mine',
      metricsCollector: { prometheus: { url: 'http://p:9090' } },
    });
    expect(r.manifests.length).toBeGreaterThan(0);
  });

  it('do not include a Prometheus URL when the collector scrapes', async () => {
    const values = {
      auth: REQUIRED_VALUES['auth'] as GoMap,
      ...scrape({ targets: ['http://10.0.0.1:15020/metrics'] }),
    };
    expect((await renderBare(values)).manifests.length).toBeGreaterThan(0);
  });
});

describe('the templates refuse what the schema cannot express', () => {
  it('refuses a scrape window shorter than the minute rollups read, naming the fix', async () => {
    const e = await rejection(
      scrape({ targets: ['http://a:15020/metrics'], intervalMs: 200, maxSamplesPerSeries: 240 }),
    );
    expect(e).toBeInstanceOf(TemplateError);
    expect(e.message).toMatch(
      /^execution error at \(heliomesh\/templates\/_env\.tpl:\d+:\d+\): metricsCollector\.scrape\.maxSamplesPerSeries \(240\) times intervalMs \(200\) must cover at least 65000 ms, so one-minute rollups see a full minute: raise maxSamplesPerSeries to 325 or more$/,
    );
    // 325 samples at 200 ms are exactly 65 s: the smallest window the collector accepts.
    const ok = await render(
      scrape({ targets: ['http://a:15020/metrics'], intervalMs: 200, maxSamplesPerSeries: 325 }),
    );
    expect(ok.manifests.length).toBeGreaterThan(0);
  });

  it.each<[string, GoMap, RegExp]>([
    [
      'no cluster key',
      { metricsCollector: { prometheus: { url: 'http://p:9090' } } },
      /secret\.yaml:\d+:\d+\): auth\.clusterSecretKey is required: 32 random bytes, base64 \(openssl rand -base64 32\)/,
    ],
    [
      'no Prometheus URL',
      { auth: REQUIRED_VALUES['auth'] as GoMap },
      /_env\.tpl:\d+:\d+\): metricsCollector\.prometheus\.url is required with metricsCollector\.provider prometheus/,
    ],
    [
      'no scrape targets',
      { ...REQUIRED_VALUES, ...scrape({}) },
      /metricsCollector\.scrape\.targets is required with metricsCollector\.provider scrape/,
    ],
    [
      'an unknown provider',
      { ...REQUIRED_VALUES, metricsCollector: { provider: 'collector' } },
      /metricsCollector\.provider "collector" is not one of prometheus, scrape/,
    ],
  ])('without schema validation, still refuses %s', async (_name, values, message) => {
    const e = await rejection(values, renderWithoutSchema);
    expect(e).toBeInstanceOf(TemplateError);
    expect(e.message).toMatch(message);
  });

  it('requires a certificate Secret when the Ingress terminates TLS', async () => {
    const e = await rejection({ ingress: { enabled: true, tls: { enabled: true } } });
    expect(e).toBeInstanceOf(TemplateError);
    expect(e.code).toBe('TEMPLATE_FAIL');
    expect(e.message).toMatch(
      /^execution error at \(heliomesh\/templates\/ingress\.yaml:\d+:\d+\): ingress\.tls\.secretName is required/,
    );
  });

  it('refuses a release name that would make Service names start with a digit', async () => {
    const { renderChart } = await import('../src/index.js');
    const chart = await heliomeshChart();
    expect(() =>
      renderChart(chart, { release: { name: '1st', namespace: 'heliomesh' }, values: [REQUIRED_VALUES] }),
    ).toThrow(
      /resource names would start with "1st-heliomesh", but Kubernetes Service names must be lowercase and start with a letter/,
    );
    expect(
      renderChart(chart, {
        release: { name: '1st', namespace: 'heliomesh' },
        values: [REQUIRED_VALUES, { fullnameOverride: 'first' }],
      }).manifests.length,
    ).toBeGreaterThan(0);
  });

  it('refuses a cluster older than the chart supports', async () => {
    const { renderChart } = await import('../src/index.js');
    const chart = await heliomeshChart();
    expect(() =>
      renderChart(chart, { release: { name: 'hm', namespace: 'x' }, kubeVersion: 'v1.26.5' }),
    ).toThrow('chart requires kubeVersion: >=1.27.0-0 which is incompatible with Kubernetes v1.26.5');
  });
});

describe('values.yaml', () => {
  it('documents every key with a comment (a `# --` comment on a section covers what it holds)', async () => {
    const lines = (await readFile(`${CHART_DIR}/values.yaml`, 'utf8')).split('\n');
    const sections: { indent: number; documented: boolean }[] = [];
    const undocumented: string[] = [];
    lines.forEach((line, i) => {
      const m = /^( *)([A-Za-z][\w]*):(.*)$/.exec(line);
      if (!m) return;
      const indent = m[1]!.length;
      while (sections.length && sections[sections.length - 1]!.indent >= indent) sections.pop();
      const above =
        lines
          .slice(0, i)
          .reverse()
          .find((l) => l.trim() !== '') ?? '';
      const documented = above.trim().startsWith('#') && above.indexOf('#') === indent;
      const inherited = sections.some((sec) => sec.documented);
      const isSection = m[3]!.trim() === '';
      if (!isSection && !documented && !inherited) undocumented.push(`line ${i + 1}: ${m[2]}`);
      if (isSection) sections.push({ indent, documented: documented || inherited });
    });
    expect(undocumented).toEqual([]);
  });

  it('has a default for every key the schema declares, and nothing the schema does not', async () => {
    const chart = await heliomeshChart();
    const schema = chart.schema as unknown as SchemaNode & { definitions: Record<string, SchemaNode> };
    const missing: string[] = [];
    const walk = (node: SchemaNode, value: unknown, path: string) => {
      const resolved = node.$ref ? schema.definitions[node.$ref.replace('#/definitions/', '')]! : node;
      if (!resolved.properties || resolved.additionalProperties !== false) return;
      for (const [key, child] of Object.entries(resolved.properties)) {
        const v = (value as Record<string, unknown> | undefined)?.[key];
        if (v === undefined) missing.push(`${path}.${key}`);
        else walk(child, v, `${path}.${key}`);
      }
    };
    walk(schema, chart.values, '$');
    expect(missing).toEqual([]);
    expect(chart.schema!['additionalProperties']).toBe(false);
  });
});

interface SchemaNode {
  $ref?: string;
  properties?: Record<string, SchemaNode>;
  additionalProperties?: unknown;
}
