import { describe, expect, it } from 'vitest';
import { reconcileJobId, rolloutNotifyJobId, rolloutTickJobId } from './job-data.types.js';
import { redisOptionsFromUrl } from './redis-options.util.js';

describe('queue helpers', () => {
  it('reads host, port, credentials, database and TLS from a Redis URL', () => {
    expect(redisOptionsFromUrl('redis://127.0.0.1:6379')).toEqual({ host: '127.0.0.1', port: 6379 });
    expect(redisOptionsFromUrl('rediss://user:p%40ss@cache.internal:6380/2')).toEqual({
      host: 'cache.internal',
      port: 6380,
      username: 'user',
      password: 'p@ss',
      db: 2,
      tls: {},
    });
    expect(redisOptionsFromUrl('redis://cache')).toEqual({ host: 'cache', port: 6379 });
  });

  it('builds job ids without ":", which BullMQ rejects in custom ids', () => {
    expect(reconcileJobId({ serviceId: 's-1' })).toBe('reconcile-s-1');
    expect(rolloutTickJobId({ rolloutId: 'r-1', tick: 7 })).toBe('rollout-r-1-tick-7');
    expect(rolloutTickJobId({ rolloutId: 'r-1', tick: 7 })).not.toContain(':');
    expect(rolloutNotifyJobId({ deliveryId: 'r-1-post-rollout-7' })).toBe('notify-r-1-post-rollout-7');
  });
});
