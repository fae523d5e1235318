import { histogramQuantile, parseLe, type Bucket } from '@heliomesh/metrics';
import type { CountRow } from '../telemetry/traffic-breakdown.types.js';

/** Latency quantiles in milliseconds; `null` where the histogram saw no requests. */
export interface LatencyMs {
  p50: number | null;
  p90: number | null;
  p99: number | null;
}

/** One raw caller -> service edge as a reporter saw it (the labels health and latency group by). */
export function edgeKey(
  reporter: string,
  ns: string,
  workload: string,
  dstNs: string,
  dstService: string,
): string {
  return [reporter, ns, workload, dstNs, dstService].join('\u0000');
}

export function versionKey(ns: string, service: string, version: string): string {
  return [ns, service, version].join('\u0000');
}

const NO_LATENCY: LatencyMs = { p50: null, p90: null, p99: null };

function quantileOrNull(q: number, buckets: Bucket[]): number | null {
  const v = histogramQuantile(q, buckets);
  return Number.isFinite(v) ? v : null;
}

/** Cumulative bucket increases per key; several keys merge as `sum by (le)` would. */
export class BucketIndex {
  private readonly byKey = new Map<string, Map<number, number>>();

  add(key: string, le: number, count: number): void {
    let buckets = this.byKey.get(key);
    if (!buckets) this.byKey.set(key, (buckets = new Map()));
    buckets.set(le, (buckets.get(le) ?? 0) + count);
  }

  quantiles(keys: Iterable<string>): LatencyMs {
    const merged = new Map<number, number>();
    for (const key of keys) {
      for (const [le, count] of this.byKey.get(key) ?? []) merged.set(le, (merged.get(le) ?? 0) + count);
    }
    if (merged.size === 0) return NO_LATENCY;
    const buckets = [...merged].map(([le, count]) => ({ le, count })).sort((a, b) => a.le - b.le);
    return {
      p50: quantileOrNull(0.5, buckets),
      p90: quantileOrNull(0.9, buckets),
      p99: quantileOrNull(0.99, buckets),
    };
  }
}

/**
 * Latency buckets (rows grouped by `EDGE_LATENCY_LABELS`) indexed per raw caller edge, both
 * reporters, and per version as its server measured it (reporter `destination`).
 */
export function indexEdgeLatency(rows: readonly CountRow[]): { callers: BucketIndex; versions: BucketIndex } {
  const callers = new BucketIndex();
  const versions = new BucketIndex();
  for (const r of rows) {
    const l = r.labels;
    const le = parseLe(l['le']);
    if (le === undefined) continue;
    const dstNs = l['destination_service_namespace'] ?? '';
    const dstService = l['destination_service_name'] ?? '';
    callers.add(
      edgeKey(
        l['reporter'] ?? '',
        l['source_workload_namespace'] ?? '',
        l['source_workload'] ?? '',
        dstNs,
        dstService,
      ),
      le,
      r.count,
    );
    if (l['reporter'] === 'destination') {
      versions.add(versionKey(dstNs, dstService, l['destination_version'] ?? ''), le, r.count);
    }
  }
  return { callers, versions };
}
