import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@heliomesh/observability';
import { eventually, freePort, TEST_REDIS_URL, uniqueQueuePrefix } from '@heliomesh/testing';
import { RedisChannels } from '../src/subscriptions/redis-channels.service.js';
import {
  ReplicatedPoller,
  type ReplicatedPollerOptions,
} from '../src/subscriptions/replicated-poller.util.js';

/**
 * Long enough that a busy CI machine does not let a leader's three-interval lease lapse by accident:
 * the replicas share one event loop here, and after a stall longer than the lease (200 ms intervals
 * gave 600 ms, seen once in CI) whichever replica's timer fires first takes it over.
 */
const INTERVAL = 500;
const logger = createLogger('test', 'silent');
let redis: Redis;

interface Replica {
  poller: ReplicatedPoller<{ v: string; at: number }>;
  reads: number;
  close(): Promise<void>;
}

/** What the pollers read: a shared "collector" whose value the test changes. */
let source = 'a';
const open: Replica[] = [];

function replica(prefix: string, connection: Redis = redis, opts: { deaf?: boolean } = {}): Replica {
  const channels = new RedisChannels(connection, logger);
  // A deaf replica hears nothing on the channels: every message to it is lost.
  const listen: ReplicatedPollerOptions<{ v: string; at: number }>['listen'] = opts.deaf
    ? async () => () => undefined
    : (channel, handler) => channels.listen(channel, handler);
  const r: Replica = {
    reads: 0,
    poller: new ReplicatedPoller({
      redis: connection,
      listen,
      prefix,
      intervalMs: INTERVAL,
      read: async () => {
        r.reads++;
        return { v: source, at: Date.now() };
      },
      fingerprint: (s) => s.v,
      onError: () => undefined,
    }),
    async close() {
      r.poller.close();
      await channels.onApplicationShutdown();
    },
  };
  open.push(r);
  return r;
}

function collect(r: Replica, key: string): { got: string[]; stop: () => void } {
  const got: string[] = [];
  const stop = r.poller.subscribe(key, (s) => got.push(s.v));
  return { got, stop };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(() => {
  redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
});

afterEach(async () => {
  for (const r of open.splice(0)) await r.close();
  source = 'a';
});

afterAll(async () => {
  await redis.quit();
});

describe('ReplicatedPoller on real Redis', () => {
  it('one replica reads for all; every replica hears each change once, in order', async () => {
    const prefix = uniqueQueuePrefix('poll');
    const all = [replica(prefix), replica(prefix), replica(prefix)];
    const [a, b, c] = all as [Replica, Replica, Replica];
    const onA = collect(a, 'shop:60');
    await eventually(async () => onA.got.length === 1);
    const [onB, onC] = [collect(b, 'shop:60'), collect(c, 'shop:60')];
    // Late subscribers on other replicas get the current state from Redis, without reading.
    await eventually(async () => onB.got.length === 1 && onC.got.length === 1);
    expect(b.reads + c.reads).toBe(0);
    const reads = () => all.reduce((n, r) => n + r.reads, 0);
    const [before, started] = [reads(), Date.now()];
    await sleep(INTERVAL * 10);
    // One read per interval between them (three replicas reading alone would make about 30);
    // a stalled leader on a busy machine may hand over, which costs a read or two, not a multiple.
    expect(reads() - before).toBeLessThanOrEqual(Math.ceil((Date.now() - started) / INTERVAL) + 3);
    await eventually(async () => all.flatMap((r) => r.poller.leadingKeys).join() === 'shop:60');
    source = 'b';
    await eventually(async () => [onA, onB, onC].every((x) => x.got.length === 2));
    source = 'c';
    await eventually(async () => [onA, onB, onC].every((x) => x.got.length === 3));
    await sleep(INTERVAL * 3);
    for (const x of [onA, onB, onC]) expect(x.got).toEqual(['a', 'b', 'c']);
  });

  it('a follower that loses the published messages still catches up from the stored state', async () => {
    const prefix = uniqueQueuePrefix('poll');
    const [a, deaf] = [replica(prefix), replica(prefix, redis, { deaf: true })];
    const onA = collect(a, 'k');
    await eventually(async () => onA.got.length === 1);
    const onDeaf = collect(deaf, 'k');
    await eventually(async () => onDeaf.got.length === 1);
    source = 'b';
    await eventually(async () => onDeaf.got.join() === 'a,b', INTERVAL * 6, 20);
    expect(deaf.reads).toBe(0);
  });

  it('a second subscriber on the same replica gets the current state at once', async () => {
    const a = replica(uniqueQueuePrefix('poll'));
    const first = collect(a, 'k');
    await eventually(async () => first.got.length === 1);
    const second = collect(a, 'k');
    expect(second.got).toEqual(['a']);
  });

  it('another replica takes over at once when the leader stops, and keeps the stream going', async () => {
    const prefix = uniqueQueuePrefix('poll');
    const [a, b] = [replica(prefix), replica(prefix)];
    const onA = collect(a, 'k');
    await eventually(async () => onA.got.length === 1);
    const onB = collect(b, 'k');
    await eventually(async () => onB.got.length === 1);
    onA.stop();
    expect(a.poller.activeKeys).toEqual([]);
    await eventually(async () => b.poller.leadingKeys.length === 1, INTERVAL * 6, 20);
    source = 'b';
    await eventually(async () => onB.got.join() === 'a,b');
  });

  it('a leader that dies without giving up its lease is replaced once the lease runs out', async () => {
    const prefix = uniqueQueuePrefix('poll');
    await redis.set(`${prefix}:lease:k`, 'a-replica-that-crashed', 'PX', INTERVAL * 3);
    const b = replica(prefix);
    const onB = collect(b, 'k');
    // No state stored yet: the follower reads once for its first subscriber, then waits.
    await eventually(async () => onB.got.length === 1);
    expect(b.poller.leadingKeys).toEqual([]);
    const readsAsFollower = b.reads;
    expect(readsAsFollower).toBe(1);
    await eventually(async () => b.poller.leadingKeys.length === 1, INTERVAL * 6, 20);
    source = 'b';
    await eventually(async () => onB.got.join() === 'a,b');
  });

  it('stops reading when its last subscriber leaves', async () => {
    const a = replica(uniqueQueuePrefix('poll'));
    const sub = collect(a, 'k');
    await eventually(async () => sub.got.length === 1);
    sub.stop();
    const reads = a.reads;
    await sleep(INTERVAL * 4);
    expect(a.reads).toBe(reads);
  });

  it('without Redis, each replica reads by itself and its subscribers still hear changes', async () => {
    const dead = new Redis(`redis://127.0.0.1:${await freePort()}`, {
      maxRetriesPerRequest: null,
      lazyConnect: true,
      retryStrategy: () => 1_000,
    });
    dead.on('error', () => undefined);
    const a = replica(uniqueQueuePrefix('poll'), dead);
    const sub = collect(a, 'k');
    await eventually(async () => sub.got.length === 1, 5_000);
    source = 'b';
    await eventually(async () => sub.got.join() === 'a,b');
    await open.pop()!.close();
    dead.disconnect();
  });
});
