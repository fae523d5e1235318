import { describe, expect, it } from 'vitest';
import { backoffDelay, retry } from './retry.util.js';

describe('retry', () => {
  it('retries until success and reports each retry', async () => {
    const seen: number[] = [];
    const result = await retry(
      async (attempt) => {
        if (attempt < 2) throw new Error(`fail ${attempt}`);
        return 'ok';
      },
      { attempts: 5, baseDelayMs: 1, maxDelayMs: 2, onRetry: (_e, n) => seen.push(n) },
    );
    expect(result).toBe('ok');
    expect(seen).toEqual([1, 2]);
  });

  it('gives up after the bound with the last error', async () => {
    let calls = 0;
    await expect(
      retry(
        async () => {
          calls++;
          throw new Error('always');
        },
        { attempts: 3, baseDelayMs: 1, maxDelayMs: 1 },
      ),
    ).rejects.toThrow('always');
    expect(calls).toBe(3);
  });

  it('stops at once on a non-retryable error', async () => {
    let calls = 0;
    await expect(
      retry(
        async () => {
          calls++;
          throw new Error('fatal');
        },
        { attempts: 5, baseDelayMs: 1, maxDelayMs: 1, retryable: () => false },
      ),
    ).rejects.toThrow('fatal');
    expect(calls).toBe(1);
  });

  it('keeps jittered delays within [0, min(max, base*2^n)]', () => {
    expect(backoffDelay(0, 100, 1000, () => 0.999)).toBe(99);
    expect(backoffDelay(10, 100, 1000, () => 0.999)).toBe(999);
    expect(backoffDelay(3, 100, 1000, () => 0)).toBe(0);
  });
});
