import { type DynamicModule, Module } from '@nestjs/common';
import { DatabaseModule } from '@heliomesh/db';
import { ObservabilityModule, type ServiceRuntime } from '@heliomesh/observability';
import { QueueModule } from '@heliomesh/queue';
import type { PolicyApiConfig } from './config.js';
import { InfoController } from './info.controller.js';

@Module({})
export class PolicyApiModule {
  static forRoot(config: PolicyApiConfig, runtime: ServiceRuntime): DynamicModule {
    return {
      module: PolicyApiModule,
      imports: [
        ObservabilityModule.forRoot(runtime),
        DatabaseModule.forRoot({
          url: config.DATABASE_URL,
          applicationName: 'heliomesh-policy-api',
          migrateOnStart: config.DB_MIGRATE_ON_START,
        }),
        QueueModule.forRoot({ redisUrl: config.REDIS_URL, prefix: config.QUEUE_PREFIX }),
      ],
      controllers: [InfoController],
    };
  }
}
