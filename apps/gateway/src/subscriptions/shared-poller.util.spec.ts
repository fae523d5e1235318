import { afterEach, describe, expect, it, vi } from 'vitest';
import { SharedPoller } from './shared-poller.util.js';

describe('SharedPoller', () => {
  afterEach(() => vi.useRealTimers());

  it('reads each key once per interval for all its subscribers and sends only changes', async () => {
    vi.useFakeTimers();
    const reads: string[] = [];
    let value = 'a';
    const poller = new SharedPoller<string>(
      1_000,
      async (key) => {
        reads.push(key);
        return `${key}:${value}`;
      },
      (s) => s,
      () => undefined,
    );
    const first: string[] = [];
    const second: string[] = [];
    poller.subscribe('ns', (s) => first.push(s));
    await vi.advanceTimersByTimeAsync(0);
    poller.subscribe('ns', (s) => second.push(s));
    expect(second).toEqual(['ns:a']); // a late subscriber hears the current state at once
    await vi.advanceTimersByTimeAsync(3_000);
    value = 'b';
    await vi.advanceTimersByTimeAsync(1_000);
    expect(first).toEqual(['ns:a', 'ns:b']);
    expect(second).toEqual(['ns:a', 'ns:b']);
    expect(reads).toHaveLength(5);
  });

  it('stops reading when the last subscriber leaves, and survives a failing read', async () => {
    vi.useFakeTimers();
    let reads = 0;
    const errors: unknown[] = [];
    const poller = new SharedPoller<number>(
      100,
      async () => {
        reads++;
        if (reads === 2) throw new Error('collector down');
        return reads;
      },
      String,
      (err) => errors.push(err),
    );
    const got: number[] = [];
    const stop = poller.subscribe('k', (n) => got.push(n));
    await vi.advanceTimersByTimeAsync(250);
    expect(got).toEqual([1, 3]);
    expect(errors).toHaveLength(1);
    stop();
    expect(poller.activeKeys).toEqual([]);
    const before = reads;
    await vi.advanceTimersByTimeAsync(1_000);
    expect(reads).toBe(before);
  });
});
