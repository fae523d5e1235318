import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { DatabaseModule } from '@heliomesh/db';
import { ObservabilityModule, type ServiceRuntime } from '@heliomesh/observability';
import { QueueModule } from '@heliomesh/queue';
import { COLLECTOR_CONFIG, type CollectorConfig } from './config.js';
import { ApiExceptionFilter } from './http/api-exception.filter.js';
import { MeshController } from './http/mesh.controller.js';
import { QueryController } from './http/query.controller.js';
import { RollupsController } from './http/rollups.controller.js';
import { StatusController } from './http/status.controller.js';
import { MeshViewService } from './mesh/mesh-view.service.js';
import { QueryService } from './query/query.service.js';
import { RollupRepository } from './rollups/rollup.repository.js';
import { RollupScheduler } from './rollups/rollup-scheduler.service.js';
import { RollupService } from './rollups/rollup.service.js';
import { CollectorMetrics } from './telemetry/collector-metrics.service.js';
import { createMetricsBackend, METRICS_BACKEND } from './telemetry/metrics-backend.factory.js';
import { ScrapeLoopService } from './telemetry/scrape-loop.service.js';

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
          poolMin: config.DATABASE_POOL_MIN,
        }),
        QueueModule.forRoot({ redisUrl: config.REDIS_URL, prefix: config.QUEUE_PREFIX }),
      ],
      controllers: [MeshController, QueryController, RollupsController, StatusController],
      providers: [
        { provide: COLLECTOR_CONFIG, useValue: config },
        { provide: METRICS_BACKEND, useFactory: () => createMetricsBackend(config) },
        { provide: APP_FILTER, useClass: ApiExceptionFilter },
        CollectorMetrics,
        ScrapeLoopService,
        MeshViewService,
        QueryService,
        RollupRepository,
        RollupService,
        RollupScheduler,
      ],
    };
  }
}
