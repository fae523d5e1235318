import { rolloutChannel, type RolloutProgressEvent, tenantRolloutsChannel } from './rollout.types.js';

/** Where progress events go after their transaction commits (the GraphQL gateway subscribes). */
export interface RolloutEventPublisher {
  publish(events: RolloutProgressEvent[]): Promise<void>;
}

/** The part of an ioredis client publishing needs. */
export interface RedisPublisherClient {
  publish(channel: string, message: string): Promise<unknown>;
}

/**
 * Publishes each event on the rollout's channel and on its tenant's. Best effort and never
 * awaited by the caller's work: the events are already stored, so a subscriber that missed some
 * (Redis away, late start) replays them from the API by sequence number. Commands on one ioredis
 * connection keep their order, so subscribers see events in sequence.
 */
export class RedisRolloutEventPublisher implements RolloutEventPublisher {
  constructor(
    private readonly redis: RedisPublisherClient,
    private readonly onError: (err: unknown) => void = () => undefined,
  ) {}

  publish(events: RolloutProgressEvent[]): Promise<void> {
    for (const event of events) {
      const message = JSON.stringify(event);
      this.redis.publish(rolloutChannel(event.rolloutId), message).catch(this.onError);
      this.redis.publish(tenantRolloutsChannel(event.tenantId), message).catch(this.onError);
    }
    return Promise.resolve();
  }
}

/** For front doors without Redis: events stay replayable from the database. */
export class NoopRolloutEventPublisher implements RolloutEventPublisher {
  publish(): Promise<void> {
    return Promise.resolve();
  }
}
