import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { LOGGER, type Logger } from '@heliomesh/observability';
import { QUEUE_CONNECTION } from '@heliomesh/queue';
import { errorMessage } from '@heliomesh/util';

/** How long a new subscription waits for Redis to confirm it before reading the current state anyway. */
const SUBSCRIBE_WAIT_MS = 1_000;

/**
 * Redis pub/sub for this replica: one subscriber connection, each channel subscribed once
 * however many GraphQL subscriptions listen to it, unsubscribed when the last one stops.
 * ioredis resubscribes after a reconnect; what was published meanwhile is lost, which is why
 * every stream built on this also reads what it missed from the database.
 */
@Injectable()
export class RedisChannels implements OnApplicationShutdown {
  private subscriber?: Redis;
  private readonly handlers = new Map<string, Set<(message: string) => void>>();
  private lastError = '';

  constructor(
    @Inject(QUEUE_CONNECTION) private readonly connection: Redis,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Calls `handler` with each message on `channel` until the returned function is called. */
  async listen(channel: string, handler: (message: string) => void): Promise<() => void> {
    const redis = this.connect();
    let set = this.handlers.get(channel);
    if (!set) {
      set = new Set();
      this.handlers.set(channel, set);
      const subscribed = redis.subscribe(channel).catch((err: unknown) => this.warn(err));
      await Promise.race([subscribed, new Promise((r) => setTimeout(r, SUBSCRIBE_WAIT_MS).unref())]);
    }
    set.add(handler);
    const current = set;
    return () => {
      current.delete(handler);
      if (current.size > 0 || this.handlers.get(channel) !== current) return;
      this.handlers.delete(channel);
      redis.unsubscribe(channel).catch((err: unknown) => this.warn(err));
    };
  }

  async onApplicationShutdown(): Promise<void> {
    this.handlers.clear();
    const s = this.subscriber;
    if (!s || s.status === 'end') return;
    // QUIT waits for a connection that may never come back; without one there is nothing to close politely.
    if (s.status !== 'ready') return s.disconnect();
    await s.quit().catch(() => s.disconnect());
  }

  private connect(): Redis {
    if (this.subscriber) return this.subscriber;
    const s = this.connection.duplicate();
    s.on('message', (channel: string, message: string) => {
      for (const h of this.handlers.get(channel) ?? []) h(message);
    });
    s.on('error', (err: Error) => this.warn(err));
    this.subscriber = s;
    return s;
  }

  private warn(err: unknown): void {
    const message = errorMessage(err);
    if (message !== this.lastError) this.logger.warn({ err: message }, 'redis subscriber error');
    this.lastError = message;
  }
}
