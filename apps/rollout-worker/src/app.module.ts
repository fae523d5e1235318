import { type DynamicModule, Module } from '@nestjs/common';
import { DatabaseModule } from '@heliomesh/db';
import { ObservabilityModule, type ServiceRuntime } from '@heliomesh/observability';
import { QueueModule } from '@heliomesh/queue';
import { WORKER_CONFIG, type WorkerConfig } from './config.js';
import { ReconcileProcessor } from './reconcile.processor.js';
import { RolloutProcessor } from './rollout.processor.js';

@Module({})
export class WorkerModule {
  static forRoot(config: WorkerConfig, runtime: ServiceRuntime): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        ObservabilityModule.forRoot(runtime),
        DatabaseModule.forRoot({
          url: config.DATABASE_URL,
          applicationName: 'heliomesh-rollout-worker',
          migrateOnStart: config.DB_MIGRATE_ON_START,
        }),
        QueueModule.forRoot({ redisUrl: config.REDIS_URL, prefix: config.QUEUE_PREFIX }),
      ],
      providers: [{ provide: WORKER_CONFIG, useValue: config }, ReconcileProcessor, RolloutProcessor],
    };
  }
}
