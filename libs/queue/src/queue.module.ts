import { BullModule } from '@nestjs/bullmq';
import {
  type DynamicModule,
  Inject,
  Injectable,
  Module,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { HealthService, LOGGER, type Logger } from '@heliomesh/observability';
import { QUEUE_NAMES } from './queue-names.constant.js';
import { createRedisProbe } from './redis-probe.util.js';
import { redisOptionsFromUrl } from './redis-options.util.js';

export interface QueueModuleOptions {
  redisUrl: string;
  prefix: string;
}

const QUEUE_OPTIONS = Symbol('QUEUE_OPTIONS');

/** Registers the Redis readiness check. */
@Injectable()
class RedisHealthRegistrar implements OnModuleInit, OnApplicationShutdown {
  private probe?: ReturnType<typeof createRedisProbe>;

  constructor(
    @Inject(QUEUE_OPTIONS) private readonly opts: QueueModuleOptions,
    private readonly health: HealthService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    this.probe = createRedisProbe(this.opts.redisUrl, this.logger);
    this.health.register(this.probe);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.probe?.close();
  }
}

/** BullMQ on Redis with both queues registered, for producers and processors alike. */
@Module({})
export class QueueModule {
  static forRoot(opts: QueueModuleOptions): DynamicModule {
    const connection = { ...redisOptionsFromUrl(opts.redisUrl), maxRetriesPerRequest: null };
    return {
      module: QueueModule,
      global: true,
      imports: [
        BullModule.forRoot({ connection, prefix: opts.prefix }),
        BullModule.registerQueue({ name: QUEUE_NAMES.reconcile }, { name: QUEUE_NAMES.rollout }),
      ],
      providers: [{ provide: QUEUE_OPTIONS, useValue: opts }, RedisHealthRegistrar],
      exports: [BullModule],
    };
  }
}
