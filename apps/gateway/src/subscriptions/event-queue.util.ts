import { GraphQLError } from 'graphql';
import { HeliomeshError } from '@heliomesh/util';
import { toGraphQLError } from '../graphql/graphql-errors.util.js';

/** Events a subscriber may fall behind by before it is cut off (it can resubscribe and catch up). */
export const MAX_BUFFERED_EVENTS = 1_000;

/**
 * A subscription's event stream: producers push, GraphQL pulls. Mercurius calls `return()` when
 * the client stops or the socket closes; `onClose` then releases whatever fed the queue. A
 * consumer that falls too far behind is ended with SUBSCRIBER_TOO_SLOW rather than buffering
 * without bound.
 */
export class EventQueue<T> implements AsyncIterableIterator<T> {
  private readonly buffer: T[] = [];
  private readonly waiters: Array<{
    resolve: (r: IteratorResult<T>) => void;
    reject: (err: unknown) => void;
  }> = [];
  private closed = false;
  private failure: GraphQLError | undefined;

  constructor(
    private readonly onClose: () => void = () => undefined,
    private readonly maxBuffered = MAX_BUFFERED_EVENTS,
  ) {}

  get isClosed(): boolean {
    return this.closed;
  }

  push(value: T): void {
    if (this.closed) return;
    const waiter = this.waiters.shift();
    if (waiter) return waiter.resolve({ value, done: false });
    this.buffer.push(value);
    if (this.buffer.length > this.maxBuffered)
      this.fail(
        new HeliomeshError({
          code: 'SUBSCRIBER_TOO_SLOW',
          status: 429,
          message: `More than ${this.maxBuffered} events were waiting for this subscriber; subscribe again to continue.`,
        }),
      );
  }

  /** Ends the stream with an error the client receives with its code (after what was buffered). */
  fail(err: unknown): void {
    if (this.closed) return;
    this.failure =
      err instanceof HeliomeshError ? toGraphQLError(err) : err instanceof GraphQLError ? err : internal();
    this.close();
    for (const w of this.waiters.splice(0)) w.reject(this.failure);
  }

  end(): void {
    if (this.closed) return;
    this.close();
    for (const w of this.waiters.splice(0)) w.resolve({ value: undefined, done: true });
  }

  next(): Promise<IteratorResult<T>> {
    if (this.buffer.length) return Promise.resolve({ value: this.buffer.shift()!, done: false });
    if (this.failure) {
      const failure = this.failure;
      this.failure = undefined;
      return Promise.reject(failure);
    }
    if (this.closed) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  return(): Promise<IteratorResult<T>> {
    this.buffer.length = 0;
    this.failure = undefined;
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(err?: unknown): Promise<IteratorResult<T>> {
    void err;
    return this.return();
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }

  private close(): void {
    this.closed = true;
    this.onClose();
  }
}

function internal(): GraphQLError {
  return new GraphQLError('Something went wrong on our side; the stream ended.', {
    extensions: { code: 'INTERNAL', status: 500, path: '$' },
  });
}
