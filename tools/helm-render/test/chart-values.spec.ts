import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { HeliomeshError } from '@heliomesh/util';
import { TemplateError, type GoMap } from '../src/index.js';
import { CHART_DIR, heliomeshChart, render } from './chart.fixture.js';

async function rejection(values: GoMap): Promise<HeliomeshError> {
  try {
    await render(values);
  } catch (e) {
    if (e instanceof HeliomeshError) return e;
    throw e;
  }
  throw new Error(`expected ${JSON.stringify(values)} to be rejected`);
}

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

describe('the templates refuse what the schema cannot express', () => {
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
    expect(() => renderChart(chart, { release: { name: '1st', namespace: 'heliomesh' } })).toThrow(
      /resource names would start with "1st-heliomesh", but Kubernetes Service names must be lowercase and start with a letter/,
    );
    expect(
      renderChart(chart, {
        release: { name: '1st', namespace: 'heliomesh' },
        values: [{ fullnameOverride: 'first' }],
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
