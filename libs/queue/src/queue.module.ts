import { BullModule, getQueueToken } from '@nestjs/bullmq';
import { ModuleRef } from '@nestjs/core';
import type { Queue } from 'bullmq';
import {
  type DynamicModule,
  Inject,
  Injectable,
  Module,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { Redis } from 'ioredis';
import { HealthService, LOGGER, type Logger } from '@heliomesh/observability';
import { QUEUE_NAMES } from './queue-names.constant.js';
import { createRedisProbe } from './redis-probe.util.js';
import { redisOptionsFromUrl } from './redis-options.util.js';

export interface QueueModuleOptions {
  redisUrl: string;
  prefix: string;
}

const QUEUE_OPTIONS = Symbol('QUEUE_OPTIONS');
/** The shared ioredis connection of the queues (also usable for pub/sub publishing). */
export const QUEUE_CONNECTION = Symbol('QUEUE_CONNECTION');

/**
 * Owns the shared Redis connection and the readiness probe. BullMQ gets a connection instance
 * rather than options: with options, a worker whose connection dropped and came back quickly
 * can wedge in close() forever (taskforcesh/bullmq#4656); with a caller-owned instance it
 * closes cleanly. Workers still duplicate it for their blocking reads.
 */
@Injectable()
class RedisConnectionOwner implements OnModuleInit, OnApplicationShutdown {
  private probe?: ReturnType<typeof createRedisProbe>;

  constructor(
    @Inject(QUEUE_OPTIONS) private readonly opts: QueueModuleOptions,
    @Inject(QUEUE_CONNECTION) private readonly connection: Redis,
    private readonly health: HealthService,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly moduleRef: ModuleRef,
  ) {}

  onModuleInit(): void {
    // Connection errors are logged once above; without a listener BullMQ prints each one.
    for (const name of Object.values(QUEUE_NAMES))
      this.moduleRef.get<Queue>(getQueueToken(name), { strict: false }).on('error', () => undefined);
    let lastError = '';
    this.connection.on('error', (err: Error) => {
      if (err.message !== lastError) this.logger.warn({ err: err.message }, 'queue redis connection error');
      lastError = err.message;
    });
    this.probe = createRedisProbe(this.opts.redisUrl, this.logger);
    this.health.register(this.probe);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.probe?.close();
    // Runs after the queues and workers of the modules that import this one have closed.
    if (this.connection.status !== 'end')
      await this.connection.quit().catch(() => this.connection.disconnect());
  }
}

/** BullMQ on Redis with both queues registered, for producers and processors alike. */
@Module({})
export class QueueModule {
  static forRoot(opts: QueueModuleOptions): DynamicModule {
    const connection = new Redis({ ...redisOptionsFromUrl(opts.redisUrl), maxRetriesPerRequest: null });
    return {
      module: QueueModule,
      global: true,
      imports: [
        BullModule.forRoot({ connection, prefix: opts.prefix }),
        BullModule.registerQueue(
          { name: QUEUE_NAMES.reconcile },
          { name: QUEUE_NAMES.rollout },
          { name: QUEUE_NAMES.discovery },
        ),
      ],
      providers: [
        { provide: QUEUE_OPTIONS, useValue: opts },
        { provide: QUEUE_CONNECTION, useValue: connection },
        RedisConnectionOwner,
      ],
      exports: [BullModule, QUEUE_CONNECTION],
    };
  }
}
