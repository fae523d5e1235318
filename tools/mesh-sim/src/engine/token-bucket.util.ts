/**
 * istio-semantics §4.2 token bucket: starts full; each request costs one token; refill is
 * continuous and lazy at tokens_per_fill / fill_interval up to max_tokens (Envoy >= 1.32).
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly maxTokens: number,
    private readonly tokensPerFill: number,
    private readonly fillIntervalMs: number,
    now: number,
  ) {
    this.tokens = maxTokens;
    this.last = now;
  }

  /** Takes one token at `now`; false when the bucket is empty. */
  tryConsume(now: number): boolean {
    if (now > this.last) {
      this.tokens = Math.min(
        this.maxTokens,
        this.tokens + ((now - this.last) * this.tokensPerFill) / this.fillIntervalMs,
      );
      this.last = now;
    }
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  get available(): number {
    return this.tokens;
  }
}
