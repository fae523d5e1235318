import {
  type DynamicModule,
  Global,
  Inject,
  Injectable,
  Module,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import { HealthService, LOGGER, type Logger } from '@heliomesh/observability';
import { errorMessage, sleep } from '@heliomesh/util';
import { AuditRepository } from '../audit/audit.repository.js';
import { createDataSource } from '../data-source.factory.js';
import { ensureDatabase, migrateWithLock, redactUrl, warmPool } from '../database-lifecycle.util.js';

export interface DatabaseModuleOptions {
  url: string;
  applicationName: string;
  /** Create the database if missing and apply pending migrations once connected. */
  migrateOnStart: boolean;
  /** Connections opened once connected and kept open (DATABASE_POOL_MIN). */
  poolMin?: number;
}

const DATABASE_OPTIONS = Symbol('DATABASE_OPTIONS');

/**
 * Connects in the background and keeps trying, so a service started before Postgres (or
 * while it restarts) becomes ready by itself; /readyz says what it is waiting for meanwhile.
 */
@Injectable()
export class DatabaseConnector implements OnModuleInit, OnApplicationShutdown {
  private lastError = 'connecting';
  private stopped = false;
  private connecting?: Promise<void>;

  constructor(
    @Inject(DATABASE_OPTIONS) private readonly opts: DatabaseModuleOptions,
    private readonly dataSource: DataSource,
    private readonly health: HealthService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    this.health.register({ name: 'postgres', check: () => this.check() });
    this.connecting = this.connectUntilReady();
  }

  /** Resolves once connected and migrated (tests and start-up ordering use it). */
  async ready(): Promise<void> {
    await this.connecting;
    if (!this.dataSource.isInitialized) throw new Error(`postgres: ${this.lastError}`);
  }

  private async check(): Promise<void> {
    if (!this.dataSource.isInitialized) throw new Error(`not connected (${this.lastError})`);
    await this.dataSource.query('SELECT 1');
  }

  private async connectUntilReady(): Promise<void> {
    for (let attempt = 0; !this.stopped; attempt++) {
      try {
        if (this.opts.migrateOnStart) await ensureDatabase(this.opts.url);
        if (!this.dataSource.isInitialized) await this.dataSource.initialize();
        if (this.opts.migrateOnStart) {
          const applied = await migrateWithLock(this.dataSource);
          if (applied.length) this.logger.info({ applied }, 'database migrations applied');
        }
        // Warm connections are an optimisation: without them the pool still grows on demand.
        await warmPool(this.dataSource, this.opts.poolMin ?? 0).catch((err: unknown) =>
          this.logger.warn(
            { poolMin: this.opts.poolMin, err: errorMessage(err) },
            'could not open DATABASE_POOL_MIN connections at start; the pool opens them on demand',
          ),
        );
        this.logger.info({ url: redactUrl(this.opts.url) }, 'postgres connected');
        return;
      } catch (err) {
        const message = errorMessage(err);
        if (message !== this.lastError)
          this.logger.warn(
            { url: redactUrl(this.opts.url), err: message },
            'postgres not available; retrying',
          );
        this.lastError = message;
        await sleep(Math.min(250 * 2 ** attempt, 5_000));
      }
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await this.connecting;
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}

@Global()
@Module({})
export class DatabaseModule {
  static forRoot(opts: DatabaseModuleOptions): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [
        { provide: DATABASE_OPTIONS, useValue: opts },
        {
          provide: DataSource,
          useFactory: () =>
            createDataSource({
              url: opts.url,
              applicationName: opts.applicationName,
              ...(opts.poolMin ? { poolMin: opts.poolMin } : {}),
            }),
        },
        DatabaseConnector,
        AuditRepository,
      ],
      exports: [DataSource, DatabaseConnector, AuditRepository],
    };
  }
}
