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

let chart: Promise<LoadedChart> | undefined;
export function heliomeshChart(): Promise<LoadedChart> {
  chart ??= loadChart(CHART_DIR);
  return chart;
}

export async function render(...values: GoMap[]): Promise<RenderedChart> {
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
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function spec(m: RenderedManifest): any {
  return m.object;
}

export const APPS = ['policy-api', 'gateway', 'rollout-worker', 'metrics-collector'] as const;
