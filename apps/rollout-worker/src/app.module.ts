import { type DynamicModule, Module } from '@nestjs/common';
import {
  CLUSTER_TARGETS,
  type ClusterTargets,
  ClustersService,
  CoreModule,
  KubeClusterTargets,
  ReconcileService,
  RolloutRoutesRepository,
} from '@heliomesh/core';
import { DatabaseModule } from '@heliomesh/db';
import { ObservabilityModule, type ServiceRuntime } from '@heliomesh/observability';
import { QueueModule } from '@heliomesh/queue';
import { DataSource } from 'typeorm';
import { AuditRelayService } from './audit/audit-relay.service.js';
import { WORKER_CONFIG, type WorkerConfig } from './config.js';
import { DiscoveryProcessor } from './discovery/discovery.processor.js';
import { OutboxRelayService } from './outbox/outbox-relay.service.js';
import { ReconcileProcessor } from './reconcile.processor.js';
import { DriftSupervisor } from './reconcile/drift-supervisor.service.js';
import { RolloutProcessor } from './rollout.processor.js';
import { rolloutProviders } from './rollouts/rollout.providers.js';

@Module({})
export class WorkerModule {
  static forRoot(
    config: WorkerConfig,
    runtime: ServiceRuntime,
    clusterTargets: () => ClusterTargets = () => new KubeClusterTargets(),
  ): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        ObservabilityModule.forRoot(runtime),
        DatabaseModule.forRoot({
          url: config.DATABASE_URL,
          applicationName: 'heliomesh-rollout-worker',
          migrateOnStart: config.DB_MIGRATE_ON_START,
          poolMin: config.DATABASE_POOL_MIN,
        }),
        QueueModule.forRoot({ redisUrl: config.REDIS_URL, prefix: config.QUEUE_PREFIX }),
        CoreModule.forRoot({ secretKey: config.CLUSTER_SECRET_KEY, clusterTargets }),
      ],
      providers: [
        { provide: WORKER_CONFIG, useValue: config },
        {
          provide: ReconcileService,
          useFactory: (db: DataSource, clusters: ClustersService, targets: ClusterTargets) =>
            new ReconcileService(db, clusters, targets, new RolloutRoutesRepository()),
          inject: [DataSource, ClustersService, CLUSTER_TARGETS],
        },
        OutboxRelayService,
        AuditRelayService,
        DriftSupervisor,
        ReconcileProcessor,
        RolloutProcessor,
        DiscoveryProcessor,
        ...rolloutProviders(config),
      ],
    };
  }
}
