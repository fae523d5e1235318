import type { DatabaseConnector } from '@heliomesh/db';
import type { Logger } from '@heliomesh/observability';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RollupScheduler } from './rollup-scheduler.service.js';
import type { RollupService } from './rollup.service.js';

const T0 = Date.parse('2025-11-27T10:00:30Z');

/** Records calls; `failNext` makes the next write throw, as Postgres going away would. */
class RecordingRollups {
  readonly minutes: string[] = [];
  maintained = 0;
  failNext = false;

  writeMinute(atMs: number) {
    if (this.failNext) {
      this.failNext = false;
      return Promise.reject(new Error('connection terminated'));
    }
    this.minutes.push(new Date(atMs).toISOString());
    return Promise.resolve({ outcome: 'written' as const, minute: '', rows: 1 });
  }

  maintain() {
    this.maintained++;
    return Promise.resolve({ prepared: [], dropped: [] });
  }
}

const silent = { debug: vi.fn(), info: vi.fn(), warn: vi.fn() } as unknown as Logger;

describe('RollupScheduler', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(T0);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function start(rollups: RollupService, ready: Promise<void> = Promise.resolve()) {
    const connector = { ready: () => ready } as unknown as DatabaseConnector;
    const scheduler = new RollupScheduler(rollups, connector, silent, () => Date.now());
    scheduler.onApplicationBootstrap();
    return scheduler;
  }

  it('writes the minute that just ended, 5 s into each new minute, and keeps going after a failure', async () => {
    const rollups = new RecordingRollups();
    const scheduler = start(rollups as unknown as RollupService);
    await vi.advanceTimersByTimeAsync(30_000); // 10:01:00
    expect(rollups.minutes).toEqual([]);
    await vi.advanceTimersByTimeAsync(5_000); // 10:01:05
    expect(rollups.minutes).toHaveLength(1);
    expect(rollups.minutes[0]! < '2025-11-27T10:01:00').toBe(true);
    expect(rollups.minutes[0]! >= '2025-11-27T10:00:00').toBe(true);
    rollups.failNext = true;
    await vi.advanceTimersByTimeAsync(60_000); // 10:02:05 fails
    await vi.advanceTimersByTimeAsync(60_000); // 10:03:05
    expect(rollups.minutes.map((m) => m.slice(11, 16))).toEqual(['10:00', '10:02']);
    expect(silent.warn).toHaveBeenCalledWith(
      { err: 'connection terminated' },
      expect.stringContaining('retrying'),
    );
    await scheduler.beforeApplicationShutdown();
    await vi.advanceTimersByTimeAsync(180_000);
    expect(rollups.minutes).toHaveLength(2);
  });

  it('prepares partitions once Postgres is ready, then hourly', async () => {
    const rollups = new RecordingRollups();
    let connected!: () => void;
    const scheduler = start(rollups as unknown as RollupService, new Promise<void>((r) => (connected = r)));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(rollups.maintained).toBe(0);
    connected();
    await vi.advanceTimersByTimeAsync(1);
    expect(rollups.maintained).toBe(1);
    await vi.advanceTimersByTimeAsync(59 * 60_000);
    expect(rollups.maintained).toBe(1);
    await vi.advanceTimersByTimeAsync(2 * 60_000);
    expect(rollups.maintained).toBe(2);
    await scheduler.beforeApplicationShutdown();
  });

  it('does not wait at shutdown for a database that never came', async () => {
    const rollups = new RecordingRollups();
    const scheduler = start(rollups as unknown as RollupService, new Promise<void>(() => undefined));
    await expect(scheduler.beforeApplicationShutdown()).resolves.toBeUndefined();
  });
});
