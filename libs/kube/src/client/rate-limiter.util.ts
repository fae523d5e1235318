/** Time source of the rate limiter and the retry loop, injectable so tests need no real waiting. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface RateLimit {
  /** Sustained requests per second. `Infinity` turns the limiter off. */
  qps: number;
  /** Requests that may go at once after an idle period. */
  burst: number;
}

/**
 * Defaults for one cluster. client-go's 5 QPS / burst 10 is what throttled Flagger at ~50 canaries
 * (fluxcd/flagger#638, fixed with flags defaulting to 100/250); Argo Rollouts ships 40/80. 50/100
 * lets one worker apply a 100-object reconcile without waiting and still keeps a runaway loop from
 * flooding the API server.
 */
export const DEFAULT_RATE_LIMIT: RateLimit = { qps: 50, burst: 100 };

export interface RateLimiterStats {
  acquired: number;
  /** How many acquisitions had to wait, and for how long in total (ms). */
  delayed: number;
  waitedMs: number;
}

/**
 * A token bucket in the style of golang.org/x/time/rate: each caller reserves a token at once (the
 * balance may go negative) and sleeps until its token exists, so waiters are served in arrival
 * order and a burst of callers is spread evenly at `qps`.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;
  private readonly counters: RateLimiterStats = { acquired: 0, delayed: 0, waitedMs: 0 };

  constructor(
    readonly limit: RateLimit,
    private readonly clock: Clock = systemClock,
  ) {
    if (!(limit.qps > 0)) throw new RangeError(`qps must be > 0 (got ${limit.qps})`);
    if (!(limit.burst >= 1)) throw new RangeError(`burst must be >= 1 (got ${limit.burst})`);
    this.tokens = limit.burst;
    this.last = clock.now();
  }

  /** Milliseconds the caller must wait for its token; the token is reserved either way. */
  reserve(): number {
    this.counters.acquired++;
    if (this.limit.qps === Infinity) return 0;
    const now = this.clock.now();
    this.tokens = Math.min(this.limit.burst, this.tokens + ((now - this.last) / 1000) * this.limit.qps);
    this.last = now;
    this.tokens -= 1;
    if (this.tokens >= 0) return 0;
    const wait = (-this.tokens / this.limit.qps) * 1000;
    this.counters.delayed++;
    this.counters.waitedMs += wait;
    return wait;
  }

  async acquire(): Promise<void> {
    const wait = this.reserve();
    if (wait > 0) await this.clock.sleep(wait);
  }

  stats(): RateLimiterStats {
    return { ...this.counters };
  }
}
