import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

/** Takes the lease when it is free, renews it when it is ours: 1 when this replica leads. */
const LEAD = `
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
if not holder then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end
return 0`;

/**
 * Stores the state for late subscribers, and publishes it when asked, only while the lease is still
 * ours: a leader whose read outlasted its lease must not overwrite its successor's state.
 */
const SHARE = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
if ARGV[5] == '1' then redis.call('PUBLISH', ARGV[4], ARGV[2]) end
return 1`;

/** Gives the lease up only if it is still ours, so another replica can take over at once. */
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/** A Redis command slower than this counts as Redis being away; the replica then reads by itself. */
const REDIS_TIMEOUT_MS = 1_000;

export interface ReplicatedPollerOptions<S> {
  /** Commands (leases, last state, publish). */
  redis: Redis;
  /** Subscriptions to the state channels (the replica's shared subscriber connection). */
  listen: (channel: string, handler: (message: string) => void) => Promise<() => void>;
  /** Prefix of every Redis key and channel, unique per installation. */
  prefix: string;
  intervalMs: number;
  read: (key: string) => Promise<S>;
  /** A fingerprint of what subscribers care about; a new state is sent only when it differs. */
  fingerprint: (state: S) => string;
  onError: (err: unknown, key: string) => void;
}

interface Entry<S> {
  /** Names this entry as a lease holder: a late release of an earlier entry for the key cannot free a newer one's lease. */
  token: string;
  listeners: Set<(state: S) => void>;
  state?: S;
  timer?: NodeJS.Timeout;
  unlisten?: () => void;
  leading: boolean;
  published?: string;
  stopped: boolean;
}

/**
 * One poll loop per key across all gateway replicas, with Redis as the emitter: the replica that
 * holds the key's lease reads (a hundred dashboards on five replicas watching one namespace cost
 * one read per interval), stores the state for late subscribers and publishes each change; every
 * replica hands what it hears to its own subscribers, and checks the stored state each interval for
 * what the channel lost. A leader that stops gives the lease up; one that dies loses it after three
 * intervals, and a replica that still has subscribers takes over at its next tick (so within four).
 * Without Redis each replica reads by itself, so subscribers keep their stream.
 */
export class ReplicatedPoller<S> {
  private readonly entries = new Map<string, Entry<S>>();

  constructor(private readonly opts: ReplicatedPollerOptions<S>) {}

  subscribe(key: string, listener: (state: S) => void): () => void {
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { token: randomUUID(), listeners: new Set(), leading: false, stopped: false };
      this.entries.set(key, entry);
      void this.start(key, entry);
    } else if (entry.state !== undefined) {
      listener(entry.state);
    }
    entry.listeners.add(listener);
    const current = entry;
    return () => {
      current.listeners.delete(listener);
      if (current.listeners.size === 0) this.stop(key, current);
    };
  }

  /** Keys this replica reads for everyone right now (tests and metrics). */
  get leadingKeys(): string[] {
    return [...this.entries].filter(([, e]) => e.leading).map(([key]) => key);
  }

  get activeKeys(): string[] {
    return [...this.entries.keys()];
  }

  close(): void {
    for (const [key, entry] of this.entries) this.stop(key, entry);
  }

  /** Listens for the leader's states, then starts the loop (a follower's first tick takes the stored one). */
  private async start(key: string, entry: Entry<S>): Promise<void> {
    const { prefix } = this.opts;
    const unlisten = await this.opts.listen(`${prefix}:state:${key}`, (message) =>
      this.accept(entry, message),
    );
    if (entry.stopped) return unlisten();
    entry.unlisten = unlisten;
    await this.tick(key, entry);
  }

  private async tick(key: string, entry: Entry<S>): Promise<void> {
    if (entry.stopped) return;
    const { prefix, intervalMs } = this.opts;
    const ttl = String(intervalMs * 3);
    const led = await this.redis((r) => r.eval(LEAD, 1, `${prefix}:lease:${key}`, entry.token, ttl));
    if (entry.stopped) return this.release(key, entry, led);
    // A new leader publishes its first state whatever it published when it led before.
    if (led !== 0 && !entry.leading) entry.published = undefined;
    entry.leading = led !== 0;
    try {
      if (entry.leading) await this.lead(key, entry);
      else await this.follow(key, entry);
    } catch (err) {
      this.opts.onError(err, key);
    }
    if (entry.stopped) return;
    entry.timer = setTimeout(() => void this.tick(key, entry), intervalMs);
    entry.timer.unref();
  }

  /** Reads, hands the state to this replica's subscribers, and shares it with the others. */
  private async lead(key: string, entry: Entry<S>): Promise<void> {
    const { prefix, intervalMs } = this.opts;
    const next = await this.opts.read(key);
    if (entry.stopped) return;
    this.deliver(entry, next);
    const fp = this.opts.fingerprint(next);
    const publish = fp === entry.published ? '0' : '1';
    const keys = [`${prefix}:lease:${key}`, `${prefix}:last:${key}`];
    const args = [
      entry.token,
      JSON.stringify(next),
      String(intervalMs * 3),
      `${prefix}:state:${key}`,
      publish,
    ];
    const shared = await this.redis((r) => r.eval(SHARE, 2, ...keys, ...args));
    // Unpublished (Redis away, lease lost) means the change is published again next time.
    if (shared === 1 && publish === '1') entry.published = fp;
  }

  /**
   * Takes the leader's stored state: the channel brings changes at once, this catches up within
   * an interval on what it missed (a reconnecting subscriber, a publish that failed). With
   * nothing stored yet it reads once, so a first subscriber never waits for the leader.
   */
  private async follow(key: string, entry: Entry<S>): Promise<void> {
    const last = await this.redis((r) => r.get(`${this.opts.prefix}:last:${key}`));
    if (last) this.accept(entry, last);
    else if (entry.state === undefined) {
      const next = await this.opts.read(key);
      if (!entry.stopped) this.deliver(entry, next);
    }
  }

  private accept(entry: Entry<S>, message: string): void {
    let state: S;
    try {
      state = JSON.parse(message) as S;
    } catch {
      return;
    }
    if (!entry.stopped) this.deliver(entry, state);
  }

  private deliver(entry: Entry<S>, next: S): void {
    if (entry.state !== undefined && this.opts.fingerprint(entry.state) === this.opts.fingerprint(next)) {
      return;
    }
    entry.state = next;
    for (const listener of [...entry.listeners]) listener(next);
  }

  private stop(key: string, entry: Entry<S>): void {
    entry.stopped = true;
    clearTimeout(entry.timer);
    entry.unlisten?.();
    if (entry.leading) void this.release(key, entry, 1);
    entry.leading = false;
    if (this.entries.get(key) === entry) this.entries.delete(key);
  }

  private async release(key: string, entry: Entry<S>, led: unknown): Promise<void> {
    if (led === 1)
      await this.redis((r) => r.eval(RELEASE, 1, `${this.opts.prefix}:lease:${key}`, entry.token));
  }

  /**
   * Runs a command when Redis is there. Away (not ready, or too slow), the answer is `undefined`,
   * which makes this replica lead for itself: subscribers keep getting fresh states.
   */
  private async redis<T>(command: (r: Redis) => Promise<T>): Promise<T | undefined> {
    if (this.opts.redis.status !== 'ready') return undefined;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), REDIS_TIMEOUT_MS);
    });
    try {
      return await Promise.race([command(this.opts.redis), timeout]);
    } catch (err) {
      this.opts.onError(err, 'redis');
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }
}
