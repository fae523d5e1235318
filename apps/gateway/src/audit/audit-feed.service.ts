import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  type AuditEventView,
  latestAuditSeq,
  loadAuditEventsAfter,
  type RequestContext,
  tenantAuditChannel,
  tenantScope,
} from '@heliomesh/core';
import { LOGGER, type Logger } from '@heliomesh/observability';
import { errorMessage } from '@heliomesh/util';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config.js';
import { EventQueue } from '../subscriptions/event-queue.util.js';
import { RedisChannels } from '../subscriptions/redis-channels.service.js';

const BATCH = 500;

interface Subscriber {
  queue: EventQueue<AuditEventView>;
  /** The last sequence number this subscriber received (or chose to start after). */
  cursor: number;
  /** Events the tail saw while the subscriber was still catching up from the database. */
  pending: AuditEventView[] | null;
}

interface Tail {
  ctx: RequestContext;
  lastSeq: number;
  subscribers: Set<Subscriber>;
  timer?: NodeJS.Timeout;
  /** A read is running; `again` asks for one more when it ends (a wake-up came meanwhile). */
  polling: boolean;
  again: boolean;
  unlisten?: () => void;
  stopped: boolean;
}

/**
 * Live audit events of a tenant. Each replica tails the audit log of the tenants someone on it
 * subscribes to, by sequence number: the log is the single source of every writer's events
 * (REST, GraphQL, the worker), and a client resumes after a reconnect with `afterSeq`. Redis is
 * the emitter: each commit's sequence number reaches every replica on the tenant's channel
 * (relayed from Postgres NOTIFY by the worker), and the tail reads at once. The read is shared by
 * all of the tenant's subscribers on the replica; a slow poll (AUDIT_POLL_MS) covers lost
 * wake-ups. Events are read through the tenant's row-level security, never taken from Redis.
 */
@Injectable()
export class AuditFeed implements OnApplicationShutdown {
  private readonly tails = new Map<string, Tail>();

  constructor(
    private readonly db: DataSource,
    private readonly channels: RedisChannels,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /**
   * Events after `afterSeq` (stored ones first), or from now on without it. Throws before any
   * event when the caller may not read the tenant's audit log.
   */
  async subscribe(ctx: RequestContext, afterSeq?: number): Promise<EventQueue<AuditEventView>> {
    const head = await latestAuditSeq(this.db, ctx);
    const tenantId = tenantScope(ctx).tenantId;
    const sub: Subscriber = {
      queue: new EventQueue(() => this.unsubscribe(tenantId, sub)),
      cursor: afterSeq ?? head,
      pending: [],
    };
    this.tailOf(tenantId, ctx, head).subscribers.add(sub);
    try {
      await this.catchUp(ctx, sub);
    } catch (err) {
      sub.queue.fail(err);
    }
    return sub.queue;
  }

  onApplicationShutdown(): void {
    for (const [tenantId, tail] of this.tails) {
      this.stop(tenantId, tail);
      for (const sub of tail.subscribers) sub.queue.end();
    }
  }

  /** Reads the stored events after the subscriber's cursor, then hands it what the tail saw meanwhile. */
  private async catchUp(ctx: RequestContext, sub: Subscriber): Promise<void> {
    for (;;) {
      const events = await loadAuditEventsAfter(this.db, ctx, sub.cursor, BATCH);
      for (const e of events) deliver(sub, e);
      if (events.length < BATCH || sub.queue.isClosed) break;
    }
    const pending = sub.pending ?? [];
    sub.pending = null;
    for (const e of pending) deliver(sub, e);
  }

  private tailOf(tenantId: string, ctx: RequestContext, head: number): Tail {
    const existing = this.tails.get(tenantId);
    if (existing) return existing;
    const tail: Tail = {
      ctx,
      lastSeq: head,
      subscribers: new Set(),
      polling: false,
      again: false,
      stopped: false,
    };
    this.tails.set(tenantId, tail);
    this.schedule(tail);
    void this.channels
      .listen(tenantAuditChannel(tenantId), (message) => {
        if (Number(message) > tail.lastSeq) this.wake(tail);
      })
      .then((unlisten) => {
        if (tail.stopped) return unlisten();
        tail.unlisten = unlisten;
        // Covers what committed between reading the head and Redis confirming the subscription.
        this.wake(tail);
      });
    return tail;
  }

  /** Reads now, or once more after the read that is running. */
  private wake(tail: Tail): void {
    if (tail.stopped) return;
    if (tail.polling) {
      tail.again = true;
      return;
    }
    clearTimeout(tail.timer);
    void this.poll(tail);
  }

  private schedule(tail: Tail, delay = this.config.AUDIT_POLL_MS): void {
    if (tail.stopped) return;
    tail.timer = setTimeout(() => void this.poll(tail), delay);
    tail.timer.unref();
  }

  private async poll(tail: Tail): Promise<void> {
    tail.polling = true;
    tail.again = false;
    let more = false;
    try {
      const events = await loadAuditEventsAfter(this.db, tail.ctx, tail.lastSeq, BATCH);
      for (const e of events) {
        tail.lastSeq = e.seq;
        for (const sub of tail.subscribers) {
          if (sub.pending) sub.pending.push(e);
          else deliver(sub, e);
        }
      }
      more = events.length === BATCH;
    } catch (err) {
      this.logger.warn({ err: errorMessage(err) }, 'audit feed poll failed; retrying');
    }
    tail.polling = false;
    this.schedule(tail, more || tail.again ? 0 : this.config.AUDIT_POLL_MS);
  }

  private unsubscribe(tenantId: string, sub: Subscriber): void {
    const tail = this.tails.get(tenantId);
    if (!tail) return;
    tail.subscribers.delete(sub);
    if (tail.subscribers.size === 0) this.stop(tenantId, tail);
  }

  private stop(tenantId: string, tail: Tail): void {
    tail.stopped = true;
    clearTimeout(tail.timer);
    tail.unlisten?.();
    if (this.tails.get(tenantId) === tail) this.tails.delete(tenantId);
  }
}

/** In sequence, once: events at or before the subscriber's cursor were already sent. */
function deliver(sub: Subscriber, e: AuditEventView): void {
  if (e.seq <= sub.cursor) return;
  sub.cursor = e.seq;
  sub.queue.push(e);
}
