import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { ENTITIES, MIGRATIONS } from './schema.js';
import { SnakeNamingStrategy } from './snake-naming.strategy.js';

export interface DataSourceOptions {
  url: string;
  applicationName?: string;
  poolSize?: number;
  /** Connections kept open however long they idle (see `warmPool`). */
  poolMin?: number;
  /** How long a new connection may take before the attempt fails (ms). */
  connectTimeoutMs?: number;
}

export function createDataSource(opts: DataSourceOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url: opts.url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    namingStrategy: new SnakeNamingStrategy(),
    applicationName: opts.applicationName ?? 'heliomesh',
    poolSize: opts.poolSize ?? 20,
    logging: false,
    extra: {
      // Under a burst, waiting a little for a pooled connection beats failing the request.
      connectionTimeoutMillis: opts.connectTimeoutMs ?? 10_000,
      // A statement that hangs must not pin a pool slot forever.
      statement_timeout: 30_000,
      idle_in_transaction_session_timeout: 60_000,
      // Connections the pool keeps however long they idle. The connector opens them at start;
      // one that drops later (a Postgres restart) is reopened on demand, not in advance.
      min: opts.poolMin ?? 0,
    },
  });
}
