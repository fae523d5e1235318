import {
  measured,
  noData,
  providerError,
  renderSelector,
  type LabelMatcher,
  type Measurement,
  type PrometheusClient,
} from '@heliomesh/metrics';
import type { BreakdownMetric, CountRow, TrafficBreakdown } from './traffic-breakdown.types.js';

const NAME = 'prometheus';

/** `sum by` of one alternative; values are exact-match strings quoted by `renderSelector`. */
export function breakdownPromql(
  metric: BreakdownMetric,
  alternatives: ReadonlyArray<readonly LabelMatcher[]>,
  by: readonly string[],
  window: number,
): string {
  return alternatives
    .map((m) => `sum(increase(${renderSelector(metric, m)}[${window}s])) by (${by.join(',')})`)
    .join(' or ');
}

/** Sends the grouped query to Prometheus and reads its vector back as rows. */
export class PrometheusBreakdownProvider implements TrafficBreakdown {
  readonly name = NAME;

  constructor(private readonly client: PrometheusClient) {}

  async increaseBy(
    metric: BreakdownMetric,
    alternatives: ReadonlyArray<readonly LabelMatcher[]>,
    by: readonly string[],
    windowSeconds: number,
  ): Promise<Measurement<CountRow[]>> {
    if (!Number.isInteger(windowSeconds) || windowSeconds < 1) {
      return providerError({
        code: 'QUERY_REJECTED',
        provider: NAME,
        message: `The query window must be a whole number of seconds >= 1, not ${windowSeconds}.`,
      });
    }
    const promql = breakdownPromql(metric, alternatives, by, windowSeconds);
    const r = await this.client.query(promql);
    if (r.kind !== 'value') return r;
    if (r.value.resultType !== 'vector') {
      return providerError({
        code: 'PROVIDER_BAD_RESPONSE',
        provider: NAME,
        query: promql,
        message: 'Prometheus answered a grouped query with a scalar.',
      });
    }
    const rows = r.value.samples
      .filter((s) => Number.isFinite(s.value))
      .map((s) => ({ labels: s.metric, count: s.value }));
    return rows.length ? measured(rows) : noData('the query matched no series');
  }
}
