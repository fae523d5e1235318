import {
  type AnalysisMetric,
  type AnalysisSpec,
  type JudgeInputs,
  judgeMetric,
  type MeasurementPlan,
  type MetricVerdict,
  planMeasurement,
  templateVariables,
} from '@heliomesh/analysis';
import {
  type MeshSelector,
  type Measurement,
  type MetricsProvider,
  providerError,
  renderPromqlTemplate,
} from '@heliomesh/metrics';
import { assertUnreachable, errorMessage } from '@heliomesh/util';

/** What an analysis measures: one service's canary against its stable version. */
export interface AnalysisTarget {
  namespace: string;
  service: string;
  stable: string;
  canary: string;
}

export interface ObservedSplit {
  canary: number | null;
  stable: number | null;
  /** The canary's share of the two, in percent. */
  canaryShare: number | null;
}

export interface AnalysisResult {
  verdicts: MetricVerdict[];
  observedSplit: ObservedSplit;
}

/**
 * One analysis run: every metric of the spec measured through the MetricsProvider (as the
 * analysis lib's README table says) and judged. Provider failures and missing data come back as
 * verdicts, never as exceptions, so a run always produces evidence for the audit trail.
 */
export class AnalysisRunner {
  constructor(readonly provider: MetricsProvider) {}

  isOnline(): Promise<boolean> {
    return this.provider.isOnline();
  }

  async run(spec: AnalysisSpec, target: AnalysisTarget): Promise<AnalysisResult> {
    const verdicts = await Promise.all(spec.metrics.map((m) => this.judge(spec, m, target)));
    return { verdicts, observedSplit: await this.split(spec, target) };
  }

  private async judge(
    spec: AnalysisSpec,
    metric: AnalysisMetric,
    target: AnalysisTarget,
  ): Promise<MetricVerdict> {
    const plan = planMeasurement(spec, metric);
    return judgeMetric(spec, metric, await this.measure(plan, target));
  }

  private async measure(plan: MeasurementPlan, t: AnalysisTarget): Promise<JudgeInputs> {
    const p = this.provider;
    const w = plan.windowSeconds;
    const canary = selector(t, t.canary);
    const stable = selector(t, t.stable);
    switch (plan.kind) {
      case 'scalar':
        return this.scalar(plan, t, canary);
      case 'request-counts': {
        const [cr, ce, sr, se] = await Promise.all([
          p.requestCount(canary, w),
          p.errorCount(canary, w),
          p.requestCount(stable, w),
          p.errorCount(stable, w),
        ]);
        return {
          kind: 'request-counts',
          query: 'request-counts',
          canary: { requests: cr, errors: ce },
          baseline: { requests: sr, errors: se },
        };
      }
      case 'latency-histogram': {
        const [c, s] = await Promise.all([p.latencyHistogram(canary, w), p.latencyHistogram(stable, w)]);
        return { kind: 'latency-histogram', query: 'request-duration-histogram', canary: c, baseline: s };
      }
      default:
        return assertUnreachable(plan, 'measurement plan');
    }
  }

  private async scalar(
    plan: Extract<MeasurementPlan, { kind: 'scalar' }>,
    t: AnalysisTarget,
    canary: MeshSelector,
  ): Promise<JudgeInputs> {
    const p = this.provider;
    const w = plan.windowSeconds;
    const source = plan.source;
    switch (source.kind) {
      case 'success-rate':
        return { kind: 'scalar', query: 'request-success-rate', canary: await p.successRate(canary, w) };
      case 'latency-quantile':
        return {
          kind: 'scalar',
          query: 'request-duration',
          canary: await p.latencyQuantile(canary, source.quantile, w),
        };
      case 'custom': {
        let promql: string;
        try {
          promql = renderPromqlTemplate(
            source.template,
            templateVariables({
              namespace: t.namespace,
              service: t.service,
              canaryVersion: t.canary,
              stableVersion: t.stable,
              canaryWorkload: `${t.service}-${t.canary}`,
              window: plan.window,
            }),
          );
        } catch (err) {
          const failed: Measurement = providerError({
            code: 'QUERY_REJECTED',
            message: `The custom query could not be rendered: ${errorMessage(err)}`,
            provider: p.name,
          });
          return { kind: 'scalar', query: source.template, canary: failed };
        }
        const [value, count] = await Promise.all([
          p.runQuery(promql),
          plan.needsRequestCount ? p.requestCount(canary, w) : Promise.resolve(undefined),
        ]);
        return { kind: 'scalar', query: promql, canary: value, ...(count ? { requestCount: count } : {}) };
      }
      default:
        return assertUnreachable(source, 'scalar source');
    }
  }

  /** Requests each side received over the analysis window: the split the mesh actually made. */
  private async split(spec: AnalysisSpec, t: AnalysisTarget): Promise<ObservedSplit> {
    const w = planMeasurement(spec, spec.metrics[0]!).windowSeconds;
    const [c, s] = await Promise.all([
      this.provider.requestCount(selector(t, t.canary), w),
      this.provider.requestCount(selector(t, t.stable), w),
    ]);
    const canary = c.kind === 'value' ? Math.round(c.value) : c.kind === 'no-data' ? 0 : null;
    const stable = s.kind === 'value' ? Math.round(s.value) : s.kind === 'no-data' ? 0 : null;
    const total = (canary ?? 0) + (stable ?? 0);
    return {
      canary,
      stable,
      canaryShare:
        canary === null || stable === null || total === 0 ? null : Math.round((canary / total) * 1000) / 10,
    };
  }
}

function selector(t: AnalysisTarget, version: string): MeshSelector {
  return { kind: 'service', namespace: t.namespace, service: t.service, version };
}
