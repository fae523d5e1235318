import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { redisOptionsFromUrl } from './redis-options.util.js';

/**
 * A small dedicated connection for readiness probes. With the offline queue off, a PING
 * while Redis is away fails at once instead of waiting for a reconnect.
 */
export function createRedisProbe(
  url: string,
  logger?: Logger,
): { name: string; check(): Promise<void>; close(): Promise<void> } {
  const client = new Redis({
    ...redisOptionsFromUrl(url),
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    lazyConnect: false,
    retryStrategy: (n) => Math.min(n * 200, 2_000),
  });
  let lastError = '';
  client.on('error', (err: Error) => {
    // ioredis reports every failed reconnect; log each distinct error once.
    if (err.message !== lastError) logger?.warn({ err: err.message }, 'redis connection error');
    lastError = err.message;
  });
  client.on('ready', () => {
    lastError = '';
  });
  return {
    name: 'redis',
    async check() {
      const reply = await client.ping();
      if (reply !== 'PONG') throw new Error(`unexpected PING reply ${reply}`);
    },
    async close() {
      client.disconnect();
    },
  };
}
