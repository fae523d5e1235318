import { env } from './env.schema.js';

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/heliomesh';
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/** The variables every Heliomesh service reads, besides its own `<NAME>_PORT`. */
export const commonServiceEnv = {
  DATABASE_URL: env.postgresUrl(DEFAULT_DATABASE_URL),
  REDIS_URL: env.redisUrl(DEFAULT_REDIS_URL),
  HOST: env.host('127.0.0.1'),
  LOG_LEVEL: env.logLevel('info'),
  QUEUE_PREFIX: env.slug('heliomesh'),
  SHUTDOWN_TIMEOUT_MS: env.positiveInt(10_000),
  DB_MIGRATE_ON_START: env.bool(true),
  /**
   * Postgres connections each service opens at start and keeps open (of its pool of 20). A pool
   * that grows only under load opens many connections at once when the load steps up, each a new
   * Postgres backend with cold caches, just when it is busiest (docs/benchmarks.md, policy-write).
   */
  DATABASE_POOL_MIN: env.wholeNumberUpTo(20, 0),
};

/** Default ports; fixed so the README, the demo and docker-compose agree. */
export const DEFAULT_PORTS = {
  policyApi: 3000,
  gateway: 4000,
  rolloutWorker: 3001,
  metricsCollector: 3002,
  kubeSim: 6443,
  meshSim: 15020,
} as const;

/**
 * A fixed key for development and the sandbox only. Services log a warning when they run with it;
 * the Helm chart requires one and never generates it (a new key would make stored credentials unreadable).
 */
export const DEV_CLUSTER_SECRET_KEY = Buffer.from('heliomesh-development-only-key!!').toString('base64');

/** Services that read or write cluster credentials. */
export const clusterAccessEnv = {
  CLUSTER_SECRET_KEY: env.base64Key(32, DEV_CLUSTER_SECRET_KEY),
};
