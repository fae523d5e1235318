import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import { MercuriusDriver, type MercuriusDriverConfig } from '@nestjs/mercurius';
import { type ClusterTargets, CoreModule, KubeClusterTargets } from '@heliomesh/core';
import { DatabaseModule } from '@heliomesh/db';
import { ObservabilityModule, type ServiceRuntime } from '@heliomesh/observability';
import { QueueModule } from '@heliomesh/queue';
import { AuditFeed } from './audit/audit-feed.service.js';
import type { GatewayConfig } from './config.js';
import { GatewaySupportModule } from './gateway-support.module.js';
import { GraphqlErrorFilter } from './graphql/graphql-error.filter.js';
import { GraphqlOptionsFactory } from './graphql/graphql-options.factory.js';
import { RESOLVERS } from './graphql/resolvers.js';
import { HealthFeed } from './mesh/health-feed.service.js';
import { RolloutProgressFeed } from './rollouts/rollout-progress.service.js';
import { RedisChannels } from './subscriptions/redis-channels.service.js';

export interface GatewayModuleOptions {
  /** How cluster access is made; the Kubernetes implementation unless a test supplies another. */
  clusterTargets?: () => ClusterTargets;
}

@Module({})
export class GatewayModule {
  static forRoot(
    config: GatewayConfig,
    runtime: ServiceRuntime,
    opts: GatewayModuleOptions = {},
  ): DynamicModule {
    return {
      module: GatewayModule,
      imports: [
        ObservabilityModule.forRoot(runtime),
        DatabaseModule.forRoot({
          url: config.DATABASE_URL,
          applicationName: 'heliomesh-gateway',
          migrateOnStart: config.DB_MIGRATE_ON_START,
          poolMin: config.DATABASE_POOL_MIN,
        }),
        QueueModule.forRoot({ redisUrl: config.REDIS_URL, prefix: config.QUEUE_PREFIX }),
        CoreModule.forRoot({
          secretKey: config.CLUSTER_SECRET_KEY,
          clusterTargets: opts.clusterTargets ?? (() => new KubeClusterTargets()),
        }),
        GatewaySupportModule.forRoot(config),
        GraphQLModule.forRootAsync<MercuriusDriverConfig>({
          driver: MercuriusDriver,
          useExisting: GraphqlOptionsFactory,
        }),
      ],
      providers: [
        ...RESOLVERS,
        AuditFeed,
        HealthFeed,
        RedisChannels,
        RolloutProgressFeed,
        { provide: APP_FILTER, useClass: GraphqlErrorFilter },
      ],
    };
  }
}
