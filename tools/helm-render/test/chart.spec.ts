import { describe, expect, it } from 'vitest';
import {
  checkReferences,
  loadValuesFile,
  parseGoYamlDocuments,
  splitManifests,
  validateKubeSchemas,
  validateValues,
  type ExternalObjects,
  type GoMap,
  type RenderedChart,
} from '../src/index.js';
import {
  APPS,
  FULL_EXTERNAL,
  FULL_VALUES,
  REQUIRED_VALUES,
  all,
  heliomeshChart,
  named,
  ofKind,
  render,
  renderFull,
  secretData,
  spec,
} from './chart.fixture.js';

const variants: [string, () => Promise<RenderedChart>, ExternalObjects][] = [
  ['default values (plus the required ones)', () => render(), {}],
  ['ci/full-values.yaml (every option on)', () => renderFull(), FULL_EXTERNAL],
];

describe.each(variants)('the chart rendered with %s', (_name, renderVariant, external) => {
  it('has values that satisfy values.schema.json', async () => {
    const chart = await heliomeshChart();
    expect(validateValues(chart.schema!, (await renderVariant()).values)).toEqual([]);
  });

  it('renders only well-formed YAML, one Kubernetes object per document', async () => {
    const r = await renderVariant();
    let documents = 0;
    for (const [name, text] of r.files) {
      for (const doc of splitManifests(text)) {
        const parsed = parseGoYamlDocuments(doc, name).filter((d) => d !== null);
        expect(parsed).toHaveLength(1);
        documents++;
      }
    }
    expect(all(r)).toHaveLength(documents);
  });

  it('renders objects that pass the kubernetes-models schemas', async () => {
    expect(await validateKubeSchemas(all(await renderVariant()))).toEqual([]);
  });

  it('renders objects whose cross-references all resolve', async () => {
    expect(checkReferences(await renderVariant(), external)).toEqual([]);
  });

  it('renders byte-identical output every time', async () => {
    const [a, b] = [await renderVariant(), await renderVariant()];
    expect([...a.files]).toEqual([...b.files]);
  });

  it('runs each service with probes, graceful termination and a locked-down container', async () => {
    const r = await renderVariant();
    const config = spec(ofKind(r, 'ConfigMap')[0]!).data;
    expect(config.HOST).toBe('0.0.0.0');
    expect(config.DB_MIGRATE_ON_START).toBe('false');
    const deployments = ofKind(r, 'Deployment');
    expect(
      deployments.map((d) => spec(d).spec.template.metadata.labels['app.kubernetes.io/component']).sort(),
    ).toEqual([...APPS].sort());
    for (const d of deployments) {
      const pod = spec(d).spec.template.spec;
      const [c] = pod.containers;
      expect(c.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
      expect(c.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' });
      expect(c.startupProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
      const sleep = Number(c.lifecycle.preStop.exec.command[1]);
      expect(pod.terminationGracePeriodSeconds * 1000).toBeGreaterThan(
        Number(config.SHUTDOWN_TIMEOUT_MS) + sleep * 1000,
      );
      expect(pod.securityContext.runAsNonRoot).toBe(true);
      expect(c.securityContext).toMatchObject({
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ['ALL'] },
      });
      const portEnv = c.env.find((e: { name: string }) => e.name.endsWith('_PORT'));
      expect(Number(portEnv.value)).toBe(c.ports[0].containerPort);
      // Secrets are referenced key by key (chart-env.spec.ts), never spread into every pod.
      expect(c.envFrom).toEqual([{ configMapRef: { name: spec(ofKind(r, 'ConfigMap')[0]!).metadata.name } }]);
    }
  });

  it('gives only the rollout worker write access, and only to the Istio kinds Heliomesh generates', async () => {
    const r = await renderVariant();
    const roles = ofKind(r, 'ClusterRole');
    const rules = (suffix: string) => spec(roles.find((m) => m.name.endsWith(suffix))!).rules;
    const read = ['get', 'list', 'watch'];
    const manage = [...read, 'create', 'update', 'patch', 'delete'];
    expect(rules('-discovery')).toEqual([
      { apiGroups: [''], resources: ['services', 'pods', 'namespaces'], verbs: read },
      { apiGroups: ['apps'], resources: ['deployments'], verbs: read },
    ]);
    expect(rules('-writer')).toEqual([
      { apiGroups: [''], resources: ['services', 'pods', 'namespaces'], verbs: read },
      { apiGroups: ['apps'], resources: ['deployments', 'replicasets'], verbs: read },
      {
        apiGroups: ['networking.istio.io'],
        resources: ['virtualservices', 'destinationrules', 'envoyfilters'],
        verbs: manage,
      },
      { apiGroups: ['security.istio.io'], resources: ['authorizationpolicies'], verbs: manage },
      { apiGroups: ['extensions.istio.io'], resources: ['wasmplugins'], verbs: manage },
    ]);
    const subjects = (suffix: string) =>
      spec(ofKind(r, 'ClusterRoleBinding').find((m) => m.name.endsWith(suffix))!).subjects.map(
        (s: { name: string }) => s.name,
      );
    expect(subjects('-writer')).toEqual([expect.stringMatching(/-rollout-worker$/)]);
    expect(subjects('-discovery').sort()).toEqual([
      expect.stringMatching(/-metrics-collector$/),
      expect.stringMatching(/-policy-api$/),
    ]);
    const gateway = ofKind(r, 'Deployment').find((d) => d.name.endsWith('-gateway'))!;
    expect(spec(gateway).spec.template.spec.automountServiceAccountToken).toBe(false);
    expect(ofKind(r, 'Role')).toEqual([]);
  });

  it('runs migrations in a pre-install/pre-upgrade hook Job that needs nothing from the release', async () => {
    const r = await renderVariant();
    const job = ofKind(r, 'Job')[0]!;
    expect(job.hook).toEqual({
      events: ['pre-install', 'pre-upgrade'],
      weight: 0,
      deletePolicies: ['before-hook-creation', 'hook-succeeded'],
    });
    const pod = spec(job).spec.template.spec;
    expect(pod.restartPolicy).toBe('Never');
    expect(pod.containers[0].command).toEqual(['node', 'libs/db/dist/migrate.cli.js']);
    expect(pod.containers[0].env.some((e: { name: string }) => e.name === 'DATABASE_URL')).toBe(true);
    expect(spec(job).spec.backoffLimit).toBeGreaterThan(0);
    expect(r.manifests.some((m) => m.kind === 'Job')).toBe(false);
  });
});

describe('optional features', () => {
  it('are off by default', async () => {
    const r = await render();
    for (const kind of ['HorizontalPodAutoscaler', 'ServiceMonitor', 'NetworkPolicy', 'Ingress'])
      expect(ofKind(r, kind)).toEqual([]);
    expect(ofKind(r, 'PodDisruptionBudget')).toHaveLength(4);
  });

  it('autoscale only the two APIs, whose Deployments then leave replicas to the HPA', async () => {
    const r = await renderFull();
    expect(ofKind(r, 'HorizontalPodAutoscaler').map((h) => h.name)).toEqual([
      'heliomesh-gateway',
      'heliomesh-policy-api',
    ]);
    expect(spec(named(r, 'Deployment', 'heliomesh-policy-api')).spec.replicas).toBeUndefined();
    expect(spec(named(r, 'Deployment', 'heliomesh-rollout-worker')).spec.replicas).toBe(2);
    expect(spec(named(r, 'HorizontalPodAutoscaler', 'heliomesh-policy-api')).spec.metrics).toHaveLength(2);
  });

  it('add ServiceMonitors, NetworkPolicies and a TLS Ingress', async () => {
    const r = await renderFull();
    expect(ofKind(r, 'ServiceMonitor')).toHaveLength(4);
    expect(spec(ofKind(r, 'ServiceMonitor')[0]!).metadata.labels.release).toBe('prometheus');
    expect(ofKind(r, 'NetworkPolicy')).toHaveLength(4);
    const worker = spec(named(r, 'NetworkPolicy', 'heliomesh-rollout-worker')).spec.ingress;
    expect(worker[0].from).toEqual([
      {
        podSelector: {
          matchLabels: { 'app.kubernetes.io/name': 'heliomesh', 'app.kubernetes.io/instance': 'hm' },
        },
      },
    ]);
    const ingress = spec(named(r, 'Ingress', 'heliomesh')).spec;
    expect(ingress.tls).toEqual([{ hosts: ['heliomesh.example.com'], secretName: 'heliomesh-tls' }]);
    expect(ingress.rules[0].http.paths.map((p: { path: string }) => p.path)).toEqual(['/graphql', '/']);
  });

  it('keep a PDB percentage a string and a count an integer', async () => {
    const r = await renderFull();
    expect(spec(named(r, 'PodDisruptionBudget', 'heliomesh-policy-api')).spec.maxUnavailable).toBe('50%');
    expect(spec(named(r, 'PodDisruptionBudget', 'heliomesh-gateway')).spec.maxUnavailable).toBe(1);
  });
});

describe('configuration and secrets', () => {
  it('prints large numbers as integers, where Go would print 1.2e+06', async () => {
    const r = await renderFull();
    expect(spec(ofKind(r, 'ConfigMap')[0]!).data.SHUTDOWN_TIMEOUT_MS).toBe('1200000');
    expect(
      spec(named(r, 'Deployment', 'heliomesh-gateway')).spec.template.spec.terminationGracePeriodSeconds,
    ).toBe(1215);
  });

  it("keeps connection URLs in the chart Secret, or builds them from the user's password Secrets", async () => {
    const def = secretData(await render(), 'hm-heliomesh');
    expect(def['DATABASE_URL']).toBe('postgres://heliomesh@heliomesh-postgresql:5432/heliomesh');
    expect(def['REDIS_URL']).toBe('redis://heliomesh-redis:6379/0');
    const full = await renderFull();
    expect(Object.keys(secretData(full, 'heliomesh')).sort()).toEqual([
      'ADMIN_TOKEN',
      'CLUSTER_SECRET_KEY',
      'EXTRA_SECRET_FOR_EVERY_SERVICE',
    ]);
    const env = spec(named(full, 'Deployment', 'heliomesh-rollout-worker')).spec.template.spec.containers[0]
      .env;
    const value = (name: string) => env.find((e: { name: string }) => e.name === name);
    expect(value('DATABASE_URL').value).toBe(
      'postgres://heliomesh_app:$(HELIOMESH_DATABASE_PASSWORD)@postgres.databases.svc.cluster.local:5433/heliomesh?sslmode=verify-full',
    );
    expect(value('REDIS_URL').value).toBe(
      'rediss://:$(HELIOMESH_REDIS_PASSWORD)@redis.databases.svc.cluster.local:6380/2',
    );
    // $(VAR) only expands variables defined earlier in the list.
    expect(env.findIndex((e: { name: string }) => e.name === 'HELIOMESH_DATABASE_PASSWORD')).toBeLessThan(
      env.findIndex((e: { name: string }) => e.name === 'DATABASE_URL'),
    );
    expect(ofKind(full, 'Secret').map((s) => s.name)).toEqual(['heliomesh']);
  });

  it('uses an existingSecret instead of its own, in the services and the migration Job', async () => {
    const r = await render({ existingSecret: 'my-heliomesh' });
    expect(ofKind(r, 'Secret')).toEqual([]);
    const pod = spec(named(r, 'Deployment', 'hm-heliomesh-policy-api')).spec.template.spec;
    expect(pod.containers[0].env).toContainEqual({
      name: 'DATABASE_URL',
      valueFrom: { secretKeyRef: { name: 'my-heliomesh', key: 'DATABASE_URL' } },
    });
    const job = spec(ofKind(r, 'Job')[0]!).spec.template.spec.containers[0];
    expect(job.env).toEqual([
      { name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: 'my-heliomesh', key: 'DATABASE_URL' } } },
    ]);
    expect(checkReferences(r, { secrets: ['my-heliomesh'] })).toEqual([]);
    // Undeclared, the same Secret is a dangling reference: the checker is what guards this.
    expect(checkReferences(r).map((f) => f.rule)).toContain('pod-references');
  });

  it('rolls pods when their configuration changes, and only then', async () => {
    const checksum = async (values: GoMap) =>
      spec(named(await render(values), 'Deployment', 'hm-heliomesh-gateway')).spec.template.metadata
        .annotations['checksum/config'];
    const base = await checksum({});
    expect(await checksum({ config: { logLevel: 'debug' } })).not.toBe(base);
    expect(await checksum({ gateway: { replicas: 5 } })).toBe(base);
  });

  it('keeps a warm floor of Postgres connections in every service, 4 unless set', async () => {
    expect(spec(ofKind(await render(), 'ConfigMap')[0]!).data.DATABASE_POOL_MIN).toBe('4');
    const set = await render({ config: { databasePoolMin: 12 } });
    expect(spec(ofKind(set, 'ConfigMap')[0]!).data.DATABASE_POOL_MIN).toBe('12');
  });

  it('lets the services migrate on start when the hook is off', async () => {
    const r = await render({ migrations: { enabled: false } });
    expect(r.hooks).toEqual([]);
    expect(spec(ofKind(r, 'ConfigMap')[0]!).data.DB_MIGRATE_ON_START).toBe('true');
  });

  it('runs with ServiceAccounts the user provides when it creates none', async () => {
    const names = {
      policyApi: 'api-sa',
      gateway: 'gw-sa',
      rolloutWorker: 'worker-sa',
      metricsCollector: 'collector-sa',
    };
    const values: GoMap = { serviceAccounts: { create: false } };
    for (const [key, name] of Object.entries(names)) values[key] = { serviceAccountName: name };
    const r = await render(values);
    expect(ofKind(r, 'ServiceAccount')).toEqual([]);
    expect(
      spec(named(r, 'Deployment', 'hm-heliomesh-rollout-worker')).spec.template.spec.serviceAccountName,
    ).toBe('worker-sa');
    expect(
      spec(ofKind(r, 'ClusterRoleBinding').find((b) => b.name.endsWith('-writer'))!).subjects[0].name,
    ).toBe('worker-sa');
    expect(checkReferences(r, { serviceAccounts: Object.values(names) })).toEqual([]);
    expect(ofKind(await render({ rbac: { create: false } }), 'ClusterRole')).toEqual([]);
  });
});

describe('names and notes', () => {
  it('keeps every name within Kubernetes limits for the longest release name Helm allows', async () => {
    const chart = await heliomeshChart();
    const { renderChart } = await import('../src/index.js');
    const r = renderChart(chart, {
      release: { name: 'a'.repeat(53), namespace: 'heliomesh' },
      values: [REQUIRED_VALUES],
    });
    expect(checkReferences(r)).toEqual([]);
    expect(Math.max(...all(r).map((m) => m.name.length))).toBeLessThanOrEqual(63);
  });

  it('explains what to set when the database and Redis are still placeholders', async () => {
    const notes = (await render()).notes;
    expect(notes).toContain('http://hm-heliomesh-policy-api.heliomesh.svc:3000');
    expect(notes).toContain('http://hm-heliomesh-gateway.heliomesh.svc:4000/graphql');
    expect(notes).toContain("WARNING: database.host is still the chart's placeholder");
    const full = (await renderFull()).notes;
    expect(full).toContain('https://heliomesh.example.com/graphql');
    expect(full).not.toContain('WARNING');
  });

  it('reads the full values file the test uses', async () => {
    expect((await loadValuesFile(FULL_VALUES))['fullnameOverride']).toBe('heliomesh');
  });
});
