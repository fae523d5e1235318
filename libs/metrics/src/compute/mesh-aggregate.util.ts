import type { EdgeStats, LatencyHistogram, ServiceStats } from '../mesh-query.types.js';
import { EDGE_KEY_LABELS, SERVICE_KEY_LABELS } from '../promql/istio-queries.util.js';
import { histogramQuantile, parseLe, type Bucket } from './histogram-quantile.util.js';

/**
 * Aggregation shared by both providers. A row is one series' increase over the window: for
 * Prometheus, a row of a `sum by (...) (increase(...))` answer; for the scrape provider, one
 * stored series. Summing rows by the same labels is what `sum by` does, so both agree.
 */
export interface IncreaseRow {
  labels: Readonly<Record<string, string>>;
  increase: number;
}

/** A record without a prototype: label values from a scrape may be `__proto__`. */
function nullRecord(): Record<string, number> {
  return Object.create(null) as Record<string, number>;
}

const is5xx = (code: string | undefined) => code !== undefined && code.startsWith('5');

export function sumRows(rows: readonly IncreaseRow[]): number {
  let total = 0;
  for (const r of rows) total += r.increase;
  return total;
}

export function sumBy(rows: readonly IncreaseRow[], label: string): Record<string, number> {
  const out = nullRecord();
  for (const r of rows) {
    const k = r.labels[label] ?? '';
    out[k] = (out[k] ?? 0) + r.increase;
  }
  return out;
}

/** Cumulative buckets from `_bucket` rows (summed by `le`; rows with a bad `le` are skipped). */
export function bucketsOf(rows: readonly IncreaseRow[]): Bucket[] {
  const byLe = new Map<number, number>();
  for (const r of rows) {
    const le = parseLe(r.labels['le']);
    if (le !== undefined) byLe.set(le, (byLe.get(le) ?? 0) + r.increase);
  }
  return [...byLe].map(([le, count]) => ({ le, count })).sort((a, b) => a.le - b.le);
}

/** A histogram for rank tests, or `undefined` when it has no `+Inf` bucket or no requests. */
export function latencyHistogramOf(rows: readonly IncreaseRow[]): LatencyHistogram | undefined {
  const buckets = bucketsOf(rows);
  const last = buckets[buckets.length - 1];
  if (!last || last.le !== Number.POSITIVE_INFINITY || !(last.count > 0)) return undefined;
  return { buckets, count: last.count };
}

function quantileOrNull(q: number, buckets: Bucket[]): number | null {
  const v = histogramQuantile(q, buckets);
  return Number.isFinite(v) ? v : null;
}

interface Tally {
  labels: Readonly<Record<string, string>>;
  count: number;
  errors: number;
  flags: Record<string, number>;
  mtls: number;
  policyKnown: number;
}

function keyOf(labels: Readonly<Record<string, string>>, keys: readonly string[]): string {
  let k = '';
  for (const name of keys) k += (labels[name] ?? '') + '\u0000';
  return k;
}

function tally(rows: readonly IncreaseRow[], keys: readonly string[]): Map<string, Tally> {
  const out = new Map<string, Tally>();
  for (const r of rows) {
    const key = keyOf(r.labels, keys);
    let t = out.get(key);
    if (!t) {
      t = { labels: r.labels, count: 0, errors: 0, flags: nullRecord(), mtls: 0, policyKnown: 0 };
      out.set(key, t);
    }
    t.count += r.increase;
    if (is5xx(r.labels['response_code'])) t.errors += r.increase;
    const flag = r.labels['response_flags'] ?? '-';
    t.flags[flag] = (t.flags[flag] ?? 0) + r.increase;
    const policy = r.labels['connection_security_policy'];
    if (policy === 'mutual_tls') t.mtls += r.increase;
    if (policy === 'mutual_tls' || policy === 'none') t.policyKnown += r.increase;
  }
  return out;
}

/** Per destination service version: rates, success, latency quantiles, flags and mTLS share. */
export function aggregateServiceStats(
  requests: readonly IncreaseRow[],
  latencyBuckets: readonly IncreaseRow[],
  windowSeconds: number,
): ServiceStats[] {
  const tallies = tally(requests, SERVICE_KEY_LABELS);
  const latency = new Map<string, { labels: Readonly<Record<string, string>>; rows: IncreaseRow[] }>();
  for (const r of latencyBuckets) {
    const key = keyOf(r.labels, SERVICE_KEY_LABELS);
    const entry = latency.get(key) ?? { labels: r.labels, rows: [] };
    entry.rows.push(r);
    latency.set(key, entry);
  }
  const keys = new Set([...tallies.keys(), ...latency.keys()]);
  const out: ServiceStats[] = [];
  for (const key of keys) {
    const t = tallies.get(key);
    const l = latency.get(key);
    const labels = (t ?? l)!.labels;
    const buckets = l ? bucketsOf(l.rows) : [];
    const count = t?.count ?? 0;
    out.push({
      namespace: labels['destination_service_namespace'] ?? '',
      service: labels['destination_service_name'] ?? '',
      version: labels['destination_version'] ?? '',
      requestRate: count / windowSeconds,
      requestCount: count,
      errorCount: t?.errors ?? 0,
      successRate: count > 0 ? ((count - t!.errors) / count) * 100 : null,
      latencyMs: {
        p50: quantileOrNull(0.5, buckets),
        p90: quantileOrNull(0.9, buckets),
        p99: quantileOrNull(0.99, buckets),
      },
      responseFlags: t ? { ...t.flags } : {},
      mtlsShare: t && t.policyKnown > 0 ? t.mtls / t.policyKnown : null,
    });
  }
  return out.sort(
    (a, b) =>
      a.namespace.localeCompare(b.namespace) ||
      a.service.localeCompare(b.service) ||
      a.version.localeCompare(b.version),
  );
}

function edgeOf(t: Tally, reportedBy: 'source' | 'destination', windowSeconds: number): EdgeStats {
  const l = t.labels;
  return {
    source: {
      namespace: l['source_workload_namespace'] ?? '',
      workload: l['source_workload'] ?? '',
      app: l['source_app'] ?? '',
      version: l['source_version'] ?? '',
    },
    destination: {
      namespace: l['destination_service_namespace'] ?? '',
      service: l['destination_service_name'] ?? '',
      version: l['destination_version'] ?? '',
    },
    requestRate: t.count / windowSeconds,
    requestCount: t.count,
    errorCount: t.errors,
    errorShare: t.count > 0 ? t.errors / t.count : null,
    responseFlags: { ...t.flags },
    mtlsShare: null,
    reportedBy,
  };
}

/**
 * Edges: rates from the client's report when the client has a sidecar (it also sees requests
 * that never reached the server), else from the server's; mTLS from the server's report, the
 * only side that records `connection_security_policy`.
 */
export function aggregateEdges(
  sourceRows: readonly IncreaseRow[],
  destinationRows: readonly IncreaseRow[],
  windowSeconds: number,
): EdgeStats[] {
  const bySource = tally(sourceRows, EDGE_KEY_LABELS);
  const byDestination = tally(destinationRows, EDGE_KEY_LABELS);
  const out: EdgeStats[] = [];
  for (const key of new Set([...bySource.keys(), ...byDestination.keys()])) {
    const s = bySource.get(key);
    const d = byDestination.get(key);
    const edge = s ? edgeOf(s, 'source', windowSeconds) : edgeOf(d!, 'destination', windowSeconds);
    if (d && d.policyKnown > 0) edge.mtlsShare = d.mtls / d.policyKnown;
    out.push(edge);
  }
  const name = (e: EdgeStats) =>
    [
      e.source.namespace,
      e.source.workload,
      e.source.version,
      e.destination.namespace,
      e.destination.service,
      e.destination.version,
    ].join('\u0000');
  return out.sort((a, b) => name(a).localeCompare(name(b)));
}
