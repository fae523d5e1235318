import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

/** Takes the lease when it is free, renews it when it is ours: 1 when this replica leads. */
const LEAD = `
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
if not holder then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end
return 0`;

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
 * replica hands what it hears to its own subscribers. A leader that stops gives the lease up; one
 * that dies loses it after three intervals, and a replica that still has subscribers takes over.
 * Without Redis each replica reads by itself, so subscribers keep their stream.
 */
export class ReplicatedPoller<S> {
  private readonly entries = new Map<string, Entry<S>>();
  private readonly replicaId = randomUUID();

  constructor(private readonly opts: ReplicatedPollerOptions<S>) {}

  subscribe(key: string, listener: (state: S) => void): () => void {
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { listeners: new Set(), leading: false, stopped: false };
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

  /** Listens for the leader's states, takes the last one it stored, then starts the loop. */
  private async start(key: string, entry: Entry<S>): Promise<void> {
    const { prefix } = this.opts;
    const unlisten = await this.opts.listen(`${prefix}:state:${key}`, (message) =>
      this.accept(entry, message),
    );
    if (entry.stopped) return unlisten();
    entry.unlisten = unlisten;
    const last = await this.redis((r) => r.get(`${prefix}:last:${key}`));
    if (last) this.accept(entry, last);
    await this.tick(key, entry);
  }

  private async tick(key: string, entry: Entry<S>): Promise<void> {
    if (entry.stopped) return;
    const { prefix, intervalMs } = this.opts;
    const ttl = String(intervalMs * 3);
    const led = await this.redis((r) => r.eval(LEAD, 1, `${prefix}:lease:${key}`, this.replicaId, ttl));
    if (entry.stopped) return this.release(key, led);
    // A new leader publishes its first state whatever it published when it led before.
    if (led !== 0 && !entry.leading) entry.published = undefined;
    entry.leading = led !== 0;
    // A follower reads once when it has no state yet (the leader may not have stored one), so
    // its first subscriber never waits for the leader's next change.
    if (entry.leading || entry.state === undefined) {
      try {
        const next = await this.opts.read(key);
        if (!entry.stopped) this.deliver(entry, next);
        if (entry.leading && !entry.stopped) await this.share(key, entry, next);
      } catch (err) {
        this.opts.onError(err, key);
      }
    }
    if (entry.stopped) return;
    entry.timer = setTimeout(() => void this.tick(key, entry), intervalMs);
    entry.timer.unref();
  }

  /** Stores the state for late subscribers on any replica and publishes it when it changed. */
  private async share(key: string, entry: Entry<S>, state: S): Promise<void> {
    const { prefix, intervalMs } = this.opts;
    const json = JSON.stringify(state);
    const fp = this.opts.fingerprint(state);
    await this.redis((r) => r.set(`${prefix}:last:${key}`, json, 'PX', intervalMs * 3));
    if (fp === entry.published) return;
    await this.redis((r) => r.publish(`${prefix}:state:${key}`, json));
    entry.published = fp;
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
    if (entry.leading) void this.release(key, 1);
    entry.leading = false;
    if (this.entries.get(key) === entry) this.entries.delete(key);
  }

  private async release(key: string, led: unknown): Promise<void> {
    if (led === 1)
      await this.redis((r) => r.eval(RELEASE, 1, `${this.opts.prefix}:lease:${key}`, this.replicaId));
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
