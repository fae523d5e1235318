import { errorMessage } from '@heliomesh/util';
import { parsePrometheusText } from '../exposition/exposition.parser.js';
import type { ExpositionSample } from '../exposition/exposition.types.js';
import { SeriesWindowStore, type SeriesWindowOptions } from './series-window.store.js';

export interface ScrapeTarget {
  /** Stable name (e.g. `mesh-sim`); series from different targets never merge. */
  name: string;
  url: string;
}

/** Fetches one exposition body. Rejects on network errors, non-2xx and oversized bodies. */
export type ScrapeFetcher = (url: string, signal: AbortSignal) => Promise<string>;

export interface ScrapeCollectorOptions extends SeriesWindowOptions {
  targets?: ScrapeTarget[];
  /** Time between scrapes. Default 5 s. */
  intervalMs?: number;
  /** Per-scrape timeout. Default: the interval, at most 10 s. */
  timeoutMs?: number;
  /** Largest body accepted, in bytes. Default 64 MiB. */
  maxBodyBytes?: number;
  fetcher?: ScrapeFetcher;
  /** Milliseconds since the epoch; injectable so tests choose scrape times. Default `Date.now`. */
  clock?: () => number;
}

export interface TargetHealth {
  target: string;
  url?: string;
  lastScrapeMs?: number;
  lastSuccessMs?: number;
  /** Why the last scrape failed; absent when it succeeded. */
  lastError?: string;
  /** Lines of the last body that did not parse (skipped). */
  parseErrors: number;
  samples: number;
}

/** Reads a body, giving up as soon as it passes `maxBytes` (a target may lie or stream forever). */
async function readCapped(res: Response, maxBytes: number): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new Error(`body exceeds the ${maxBytes}-byte limit`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function httpFetcher(maxBodyBytes: number): ScrapeFetcher {
  return async (url, signal) => {
    const res = await fetch(url, {
      signal,
      headers: { accept: 'text/plain;version=0.0.4;q=0.9,*/*;q=0.1' },
    });
    if (!res.ok) {
      await res.body?.cancel();
      throw new Error(`HTTP ${res.status} from ${url}`);
    }
    return readCapped(res, maxBodyBytes);
  };
}

/**
 * Pulls Prometheus text from targets on an interval into a bounded window (the backend of the
 * scrape provider). `ingest` feeds it directly, for tests and for callers that already hold
 * exposition text.
 */
export class ScrapeCollector {
  readonly store: SeriesWindowStore;
  readonly intervalMs: number;
  readonly clock: () => number;
  private readonly targets: ScrapeTarget[];
  private readonly timeoutMs: number;
  private readonly fetcher: ScrapeFetcher;
  private readonly health = new Map<string, TargetHealth>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(options: ScrapeCollectorOptions = {}) {
    this.store = new SeriesWindowStore(options);
    this.targets = options.targets ?? [];
    this.intervalMs = options.intervalMs ?? 5_000;
    this.timeoutMs = options.timeoutMs ?? Math.min(this.intervalMs, 10_000);
    this.fetcher = options.fetcher ?? httpFetcher(options.maxBodyBytes ?? 64 * 1024 * 1024);
    this.clock = options.clock ?? Date.now;
    for (const t of this.targets) {
      this.health.set(t.name, { target: t.name, url: t.url, parseErrors: 0, samples: 0 });
    }
  }

  /** Scrapes now and then every interval until `stop()`. */
  start(): void {
    if (this.timer) return;
    const tick = () => {
      this.running = this.scrapeOnce().finally(() => {
        if (this.timer) this.timer = setTimeout(tick, this.intervalMs).unref();
      });
    };
    this.timer = setTimeout(tick, 0).unref();
  }

  /** Stops the loop and waits for a scrape in flight. */
  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** Scrapes every target once, concurrently; failures are recorded in `targetHealth()`. */
  async scrapeOnce(): Promise<TargetHealth[]> {
    await Promise.all(this.targets.map((t) => this.scrapeTarget(t)));
    this.store.prune(this.clock());
    return this.targetHealth();
  }

  private async scrapeTarget(target: ScrapeTarget): Promise<void> {
    const at = this.clock();
    try {
      const text = await this.fetcher(target.url, AbortSignal.timeout(this.timeoutMs));
      this.ingest(target.name, text, at);
    } catch (err) {
      const h = this.healthOf(target.name);
      h.lastScrapeMs = at;
      h.lastError = errorMessage(err);
    }
  }

  /** Parses and stores one body as scraped from `target` at `atMs` (default: now). */
  ingest(target: string, text: string, atMs: number = this.clock()): TargetHealth {
    const parsed = parsePrometheusText(text);
    const samples: ExpositionSample[] = [];
    for (const f of parsed.families) for (const s of f.samples) samples.push(s);
    this.store.append(target, samples, atMs);
    const h = this.healthOf(target);
    h.lastScrapeMs = atMs;
    h.lastSuccessMs = atMs;
    delete h.lastError;
    h.parseErrors = parsed.errorCount;
    h.samples = samples.length;
    return { ...h };
  }

  private healthOf(target: string): TargetHealth {
    let h = this.health.get(target);
    if (!h) this.health.set(target, (h = { target, parseErrors: 0, samples: 0 }));
    return h;
  }

  targetHealth(): TargetHealth[] {
    return [...this.health.values()].map((h) => ({ ...h }));
  }

  /**
   * Why queries cannot be trusted right now, or `undefined` when at least one target's last
   * scrape succeeded.
   */
  unavailableReason(): string | undefined {
    const all = [...this.health.values()];
    if (all.some((h) => h.lastSuccessMs !== undefined && h.lastError === undefined)) {
      return undefined;
    }
    if (all.length === 0) return 'no scrape targets are configured and nothing was ingested';
    return `no scrape target answered: ${all
      .map((h) => `${h.target}: ${h.lastError ?? 'not scraped yet'}`)
      .join('; ')}`;
  }
}
