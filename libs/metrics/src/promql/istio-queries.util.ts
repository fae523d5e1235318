import { assertUnreachable } from '@heliomesh/util';
import type { MeshScope, MeshSelector, Reporter } from '../mesh-query.types.js';
import { renderSelector, type LabelMatcher } from './label-matcher.util.js';

/**
 * The mesh's queries in one place: the PromQL the Prometheus provider sends, and the matchers the
 * scrape provider evaluates itself, so the two cannot drift apart. Sources: Flagger
 * pkg/metrics/observers/istio.go and Kiali prometheus/metrics.go (see README).
 */

export const REQUESTS_TOTAL = 'istio_requests_total';
export const DURATION = 'istio_request_duration_milliseconds';
export const DURATION_BUCKET = `${DURATION}_bucket`;
export const DURATION_COUNT = `${DURATION}_count`;

/** Flagger's failure definition: only a 5xx is a failure (a 403 or 429 counts as success). */
export const IS_5XX: LabelMatcher = { name: 'response_code', op: '=~', value: '5.*' };
export const NOT_5XX: LabelMatcher = { name: 'response_code', op: '!~', value: '5.*' };

export function reporterMatcher(reporter: Reporter): LabelMatcher {
  return { name: 'reporter', op: '=', value: reporter };
}

export function selectorMatchers(sel: MeshSelector): LabelMatcher[] {
  const reporter = reporterMatcher(sel.reporter ?? 'destination');
  switch (sel.kind) {
    case 'service':
      return [
        reporter,
        { name: 'destination_service_namespace', op: '=', value: sel.namespace },
        { name: 'destination_service_name', op: '=', value: sel.service },
        ...(sel.version === undefined
          ? []
          : [{ name: 'destination_version', op: '=' as const, value: sel.version }]),
      ];
    case 'workload':
      return [
        reporter,
        { name: 'destination_workload_namespace', op: '=', value: sel.namespace },
        { name: 'destination_workload', op: '=', value: sel.workload },
      ];
    default:
      return assertUnreachable(sel, 'selector kind');
  }
}

/** Labels that identify one destination service version in `serviceStats`. */
export const SERVICE_KEY_LABELS = [
  'destination_service_namespace',
  'destination_service_name',
  'destination_version',
] as const;

/** Labels that identify one topology edge (Kiali's graph uses the same source/destination set). */
export const EDGE_KEY_LABELS = [
  'source_workload_namespace',
  'source_workload',
  'source_app',
  'source_version',
  'destination_service_namespace',
  'destination_service_name',
  'destination_version',
] as const;

export function scopeMatchers(
  scope: MeshScope,
  reporter: Reporter,
  side: 'source' | 'destination',
): LabelMatcher[] {
  const ns =
    scope.namespace === undefined
      ? []
      : [
          {
            name: side === 'source' ? 'source_workload_namespace' : 'destination_service_namespace',
            op: '=' as const,
            value: scope.namespace,
          },
        ];
  return [reporterMatcher(reporter), ...ns];
}

function range(window: number): string {
  return `[${window}s]`;
}

const sel = renderSelector;

/** PromQL for each high-level query. `window` is whole seconds, validated by the caller. */
export const meshPromql = {
  requestRate: (s: MeshSelector, w: number) =>
    `sum(rate(${sel(REQUESTS_TOTAL, selectorMatchers(s))}${range(w)}))`,

  requestCount: (s: MeshSelector, w: number) =>
    `sum(increase(${sel(REQUESTS_TOTAL, selectorMatchers(s))}${range(w)}))`,

  /** `or (... * 0)`: no 5xx series at all means zero errors, as long as there were requests. */
  errorCount: (s: MeshSelector, w: number) => {
    const m = selectorMatchers(s);
    const all = `sum(increase(${sel(REQUESTS_TOTAL, m)}${range(w)}))`;
    return `sum(increase(${sel(REQUESTS_TOTAL, [...m, IS_5XX])}${range(w)})) or (${all} * 0)`;
  },

  /**
   * Flagger's request-success-rate, plus one fix: Flagger's numerator is empty when every request
   * failed, which turns a 0 % success rate into "no values found". `or (... * 0)` keeps it 0 %.
   */
  successRate: (s: MeshSelector, w: number) => {
    const m = selectorMatchers(s);
    const all = `sum(rate(${sel(REQUESTS_TOTAL, m)}${range(w)}))`;
    const ok = `sum(rate(${sel(REQUESTS_TOTAL, [...m, NOT_5XX])}${range(w)}))`;
    return `(${ok} or (${all} * 0)) / ${all} * 100`;
  },

  /** Flagger's request-duration with any quantile (Kiali uses 0.5, 0.95, 0.99, 0.999). */
  latencyQuantile: (s: MeshSelector, q: number, w: number) =>
    `histogram_quantile(${q}, sum(rate(${sel(DURATION_BUCKET, selectorMatchers(s))}${range(w)})) by (le))`,

  latencyCount: (s: MeshSelector, w: number) =>
    `sum(increase(${sel(DURATION_COUNT, selectorMatchers(s))}${range(w)}))`,

  latencyHistogram: (s: MeshSelector, w: number) =>
    `sum(increase(${sel(DURATION_BUCKET, selectorMatchers(s))}${range(w)})) by (le)`,

  responseFlags: (s: MeshSelector, w: number) =>
    `sum(increase(${sel(REQUESTS_TOTAL, selectorMatchers(s))}${range(w)})) by (response_flags)`,

  serviceRequests: (scope: MeshScope, w: number) =>
    `sum(increase(${sel(REQUESTS_TOTAL, scopeMatchers(scope, 'destination', 'destination'))}${range(w)})) by (${[
      ...SERVICE_KEY_LABELS,
      'response_code',
      'response_flags',
      'connection_security_policy',
    ].join(',')})`,

  serviceLatency: (scope: MeshScope, w: number) =>
    `sum(increase(${sel(DURATION_BUCKET, scopeMatchers(scope, 'destination', 'destination'))}${range(w)})) by (${[
      ...SERVICE_KEY_LABELS,
      'le',
    ].join(',')})`,

  /**
   * Edges as clients report them (Kiali's outbound graph query). With a namespace, edges leaving
   * it and edges entering it; `or` keeps one copy of an edge that is both.
   */
  edgeRequests: (scope: MeshScope, reporter: Reporter, w: number) => {
    const by = `by (${[...EDGE_KEY_LABELS, 'response_code', 'response_flags', 'connection_security_policy'].join(',')})`;
    const q = (m: LabelMatcher[]) => `sum(increase(${sel(REQUESTS_TOTAL, m)}${range(w)})) ${by}`;
    if (scope.namespace === undefined) return q(scopeMatchers(scope, reporter, 'source'));
    return `${q(scopeMatchers(scope, reporter, 'source'))} or ${q(scopeMatchers(scope, reporter, 'destination'))}`;
  },
};
