import { lowerBound, upperBound, type RangePoints } from '../compute/counter-rate.util.js';
import type { ExpositionSample } from '../exposition/exposition.types.js';

/** One stored series: its samples, oldest first, from index `head` on. */
export interface StoredSeries {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly target: string;
  times: number[];
  values: number[];
  head: number;
}

export interface SeriesWindowOptions {
  /** Most series kept; past it the least recently updated are dropped (down to 99 %). Default 200,000. */
  maxSeries?: number;
  /** Most samples kept per series; past it the oldest is dropped. Default 240. */
  maxSamplesPerSeries?: number;
  /** Samples older than this are dropped; also the longest window a query can ask for. Default 10 min. */
  retentionMs?: number;
}

export interface AppendStats {
  accepted: number;
  created: number;
  evicted: number;
  /** Samples at or before the series' last sample time (a clock going backwards), skipped. */
  outOfOrder: number;
}

function seriesKey(target: string, name: string, labels: Readonly<Record<string, string>>): string {
  const names = Object.keys(labels).sort();
  let key = target + '\u0000' + name;
  for (const n of names) key += '\u0000' + n + '\u0001' + labels[n]!;
  return key;
}

function compact(s: StoredSeries): void {
  // Shift only once half the array is dead, so dropping the oldest stays amortised O(1).
  if (s.head > 32 && s.head * 2 > s.times.length) {
    s.times = s.times.slice(s.head);
    s.values = s.values.slice(s.head);
    s.head = 0;
  }
}

/**
 * The scrape provider's bounded in-memory window: a capped number of series, each with a capped
 * number of samples no older than the retention. Series are keyed by target, name and labels, so
 * two pods exporting the same labels stay two series (as Prometheus' `instance` label keeps them).
 */
export class SeriesWindowStore {
  readonly maxSeries: number;
  readonly maxSamplesPerSeries: number;
  readonly retentionMs: number;
  private readonly byKey = new Map<string, StoredSeries>();
  private readonly byName = new Map<string, Map<string, StoredSeries>>();
  private samples = 0;

  constructor(options: SeriesWindowOptions = {}) {
    this.maxSeries = options.maxSeries ?? 200_000;
    this.maxSamplesPerSeries = options.maxSamplesPerSeries ?? 240;
    this.retentionMs = options.retentionMs ?? 10 * 60_000;
  }

  get seriesCount(): number {
    return this.byKey.size;
  }

  get sampleCount(): number {
    return this.samples;
  }

  /** Records one scrape of `target` taken at `atMs` (explicit sample timestamps are ignored). */
  append(target: string, scraped: readonly ExpositionSample[], atMs: number): AppendStats {
    const stats: AppendStats = { accepted: 0, created: 0, evicted: 0, outOfOrder: 0 };
    for (const sample of scraped) {
      const key = seriesKey(target, sample.name, sample.labels);
      let s = this.byKey.get(key);
      if (s) {
        if (s.times.length > s.head && s.times[s.times.length - 1]! >= atMs) {
          stats.outOfOrder++;
          continue;
        }
      } else {
        s = this.create(key, target, sample);
        stats.created++;
      }
      s.times.push(atMs);
      s.values.push(sample.value);
      this.samples++;
      stats.accepted++;
      if (s.times.length - s.head > this.maxSamplesPerSeries) {
        s.head++;
        this.samples--;
        compact(s);
      }
    }
    if (this.byKey.size > this.maxSeries) stats.evicted = this.evictOldest();
    return stats;
  }

  private create(key: string, target: string, sample: ExpositionSample): StoredSeries {
    // A copy, so the series does not pin the whole scrape body its label strings were sliced from.
    const labels = JSON.parse(JSON.stringify(sample.labels)) as Record<string, string>;
    const s: StoredSeries = { name: sample.name, labels, target, times: [], values: [], head: 0 };
    this.byKey.set(key, s);
    let named = this.byName.get(sample.name);
    if (!named) this.byName.set(sample.name, (named = new Map()));
    named.set(key, s);
    return s;
  }

  /**
   * Drops the least recently updated series down to 99 % of the cap (to the cap itself below
   * 100): one sort per overflow instead of bookkeeping on every sample.
   */
  private evictOldest(): number {
    const target = this.maxSeries - Math.floor(this.maxSeries * 0.01);
    const last = (s: StoredSeries) =>
      s.times.length > s.head ? s.times[s.times.length - 1]! : Number.NEGATIVE_INFINITY;
    const byAge = [...this.byKey].sort((a, b) => last(a[1]) - last(b[1]));
    const excess = this.byKey.size - target;
    for (let i = 0; i < excess; i++) this.evict(byAge[i]![0]);
    return excess;
  }

  private evict(key: string): void {
    const s = this.byKey.get(key)!;
    this.byKey.delete(key);
    this.samples -= s.times.length - s.head;
    const named = this.byName.get(s.name)!;
    named.delete(key);
    if (named.size === 0) this.byName.delete(s.name);
  }

  /** Drops samples older than the retention, and series left with none. */
  prune(nowMs: number): void {
    const cutoff = nowMs - this.retentionMs;
    for (const [key, s] of this.byKey) {
      const keepFrom = lowerBound(s.times, s.head, s.times.length, cutoff);
      if (keepFrom === s.times.length) {
        this.evict(key);
        continue;
      }
      this.samples -= keepFrom - s.head;
      s.head = keepFrom;
      compact(s);
    }
  }

  /** Every stored series with this metric name. */
  seriesNamed(name: string): Iterable<StoredSeries> {
    return this.byName.get(name)?.values() ?? [];
  }

  /** The samples of `s` inside `[fromMs, toMs]` (both ends included, as in Prometheus 2.x). */
  static range(s: StoredSeries, fromMs: number, toMs: number): RangePoints {
    const first = lowerBound(s.times, s.head, s.times.length, fromMs);
    const last = upperBound(s.times, first, s.times.length, toMs) - 1;
    return { times: s.times, values: s.values, first, last };
  }
}
