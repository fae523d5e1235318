import {
  compileMatchers,
  extrapolatedIncrease,
  measured,
  noData,
  providerError,
  SeriesWindowStore,
  type LabelMatcher,
  type Measurement,
  type ScrapeCollector,
} from '@heliomesh/metrics';
import {
  groupKey,
  type BreakdownMetric,
  type CountRow,
  type TrafficBreakdown,
} from './traffic-breakdown.types.js';

const NAME = 'scrape';

/** Window checks the scrape provider applies too: a bad one is the caller's bug, not the mesh's. */
export function rejectWindow(
  window: number,
  maxSeconds: number,
  provider: string,
): Measurement<never> | undefined {
  if (!Number.isInteger(window) || window < 1 || window > maxSeconds) {
    return providerError({
      code: 'QUERY_REJECTED',
      provider,
      message: `The query window must be a whole number of seconds between 1 and ${maxSeconds}, not ${window}.`,
    });
  }
  return undefined;
}

/**
 * Groups the scrape window's counters itself, with the same increase rule as the scrape provider
 * and Prometheus' `or` (a group already produced by an earlier alternative is kept).
 */
export class ScrapeBreakdownProvider implements TrafficBreakdown {
  readonly name = NAME;

  constructor(private readonly collector: ScrapeCollector) {}

  increaseBy(
    metric: BreakdownMetric,
    alternatives: ReadonlyArray<readonly LabelMatcher[]>,
    by: readonly string[],
    windowSeconds: number,
  ): Promise<Measurement<CountRow[]>> {
    return Promise.resolve(this.compute(metric, alternatives, by, windowSeconds));
  }

  private compute(
    metric: BreakdownMetric,
    alternatives: ReadonlyArray<readonly LabelMatcher[]>,
    by: readonly string[],
    window: number,
  ): Measurement<CountRow[]> {
    const bad = rejectWindow(window, Math.floor(this.collector.store.retentionMs / 1000), NAME);
    if (bad) return bad;
    const down = this.collector.unavailableReason();
    if (down) return providerError({ code: 'PROVIDER_UNREACHABLE', provider: NAME, message: down });
    const to = this.collector.clock();
    const from = to - window * 1000;
    const predicates = alternatives.map(compileMatchers);
    const perAlternative = predicates.map(() => new Map<string, CountRow>());
    for (const s of this.collector.store.seriesNamed(metric)) {
      const i = predicates.findIndex((p) => p(s.labels));
      if (i < 0) continue;
      const increase = extrapolatedIncrease(SeriesWindowStore.range(s, from, to), from, to);
      if (increase === undefined) continue;
      // A series matching several alternatives counts in each, as it would in each PromQL `sum`.
      for (let j = i; j < predicates.length; j++) {
        if (j !== i && !predicates[j]!(s.labels)) continue;
        add(perAlternative[j]!, s.labels, by, increase);
      }
    }
    const merged = new Map<string, CountRow>();
    for (const groups of perAlternative) {
      for (const [key, row] of groups) if (!merged.has(key)) merged.set(key, row);
    }
    if (merged.size === 0) return noData(`no ${metric} series has two samples in the last ${window}s`);
    return measured([...merged.values()]);
  }
}

function add(
  groups: Map<string, CountRow>,
  labels: Readonly<Record<string, string>>,
  by: readonly string[],
  increase: number,
): void {
  const key = groupKey(labels, by);
  const row = groups.get(key);
  if (row) {
    row.count += increase;
    return;
  }
  const picked: Record<string, string> = {};
  for (const name of by) picked[name] = labels[name] ?? '';
  groups.set(key, { labels: picked, count: increase });
}
