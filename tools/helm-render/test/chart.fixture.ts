import { fileURLToPath } from 'node:url';
import {
  loadChart,
  loadValuesFile,
  renderChart,
  type ExternalObjects,
  type GoMap,
  type LoadedChart,
  type RenderedChart,
  type RenderedManifest,
} from '../src/index.js';

export const CHART_DIR = fileURLToPath(new URL('../../../charts/heliomesh', import.meta.url));
export const FULL_VALUES = `${CHART_DIR}/ci/full-values.yaml`;
export const RELEASE = { name: 'hm', namespace: 'heliomesh' } as const;

/** What the user creates beside the chart in ci/full-values.yaml (documented in docs/deploy.md). */
export const FULL_EXTERNAL: ExternalObjects = {
  secrets: ['heliomesh-postgres', 'heliomesh-redis', 'registry-credentials', 'heliomesh-tls'],
};

/** A fixed test key, of the form `openssl rand -base64 32` prints. */
export const CLUSTER_SECRET_KEY = 'fOgjldqIPoIZNUHPwW6OtYunnpmNXNhSn9r5myFDWYI=';
export const PROMETHEUS_URL = 'http://prometheus-operated.monitoring.svc:9090';

/**
 * What every install must set besides the chart's defaults (docs/deploy.md): the key that
 * encrypts cluster credentials, which the chart never makes up, and where Prometheus is.
 */
export const REQUIRED_VALUES: GoMap = {
  auth: { clusterSecretKey: CLUSTER_SECRET_KEY },
  metricsCollector: { prometheus: { url: PROMETHEUS_URL } },
};

let chart: Promise<LoadedChart> | undefined;
export function heliomeshChart(): Promise<LoadedChart> {
  chart ??= loadChart(CHART_DIR);
  return chart;
}

/** The chart's defaults with the required values, then `values`. */
export async function render(...values: GoMap[]): Promise<RenderedChart> {
  return renderBare(REQUIRED_VALUES, ...values);
}

/** The chart's defaults and `values` alone. */
export async function renderBare(...values: GoMap[]): Promise<RenderedChart> {
  return renderChart(await heliomeshChart(), { release: RELEASE, values });
}

export async function renderFull(...extra: GoMap[]): Promise<RenderedChart> {
  return render(await loadValuesFile(FULL_VALUES), ...extra);
}

export function all(r: RenderedChart): RenderedManifest[] {
  return [...r.manifests, ...r.hooks];
}

export function ofKind(r: RenderedChart, kind: string): RenderedManifest[] {
  return all(r).filter((m) => m.kind === kind);
}

export function named(r: RenderedChart, kind: string, name: string): RenderedManifest {
  const found = all(r).find((m) => m.kind === kind && m.name === name);
  if (!found)
    throw new Error(
      `no ${kind} ${name} among ${all(r)
        .map((m) => `${m.kind}/${m.name}`)
        .join(', ')}`,
    );
  return found;
}

/** Loose access into a rendered object, for assertions. */
export function spec(m: RenderedManifest): any {
  return m.object;
}

export const APPS = ['policy-api', 'gateway', 'rollout-worker', 'metrics-collector'] as const;
export type App = (typeof APPS)[number];

/** The one container of an app's Deployment. */
export function container(r: RenderedChart, app: App): any {
  const d = ofKind(r, 'Deployment').find(
    (m) => spec(m).metadata.labels['app.kubernetes.io/component'] === app,
  );
  if (!d) throw new Error(`no Deployment for ${app}`);
  return spec(d).spec.template.spec.containers[0];
}

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string; optional?: boolean } };
}

/** An app's env entries by name (a name set twice would be a chart bug: it throws). */
export function envOf(r: RenderedChart, app: App): Map<string, EnvVar> {
  const env = new Map<string, EnvVar>();
  for (const e of container(r, app).env as EnvVar[]) {
    if (env.has(e.name)) throw new Error(`${app} sets ${e.name} twice`);
    env.set(e.name, e);
  }
  return env;
}

/** The decoded data of a rendered Secret. */
export function secretData(r: RenderedChart, name: string): Record<string, string> {
  const data = spec(named(r, 'Secret', name)).data as Record<string, string>;
  return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()]));
}
