import { type DynamicModule, Module } from '@nestjs/common';
import { DatabaseModule } from '@heliomesh/db';
import { ObservabilityModule, type ServiceRuntime } from '@heliomesh/observability';
import { QueueModule } from '@heliomesh/queue';
import type { CollectorConfig } from './config.js';

@Module({})
export class CollectorModule {
  static forRoot(config: CollectorConfig, runtime: ServiceRuntime): DynamicModule {
    return {
      module: CollectorModule,
      imports: [
        ObservabilityModule.forRoot(runtime),
        DatabaseModule.forRoot({
          url: config.DATABASE_URL,
          applicationName: 'heliomesh-metrics-collector',
          migrateOnStart: config.DB_MIGRATE_ON_START,
        }),
        QueueModule.forRoot({ redisUrl: config.REDIS_URL, prefix: config.QUEUE_PREFIX }),
      ],
    };
  }
}
