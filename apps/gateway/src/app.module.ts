import { type DynamicModule, Module } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import { MercuriusDriver, type MercuriusDriverConfig } from '@nestjs/mercurius';
import { DatabaseModule } from '@heliomesh/db';
import { ObservabilityModule, type ServiceRuntime } from '@heliomesh/observability';
import { QueueModule } from '@heliomesh/queue';
import type { GatewayConfig } from './config.js';
import { HealthResolver } from './health.resolver.js';

@Module({})
export class GatewayModule {
  static forRoot(config: GatewayConfig, runtime: ServiceRuntime): DynamicModule {
    return {
      module: GatewayModule,
      imports: [
        ObservabilityModule.forRoot(runtime),
        DatabaseModule.forRoot({
          url: config.DATABASE_URL,
          applicationName: 'heliomesh-gateway',
          migrateOnStart: config.DB_MIGRATE_ON_START,
        }),
        QueueModule.forRoot({ redisUrl: config.REDIS_URL, prefix: config.QUEUE_PREFIX }),
        GraphQLModule.forRoot<MercuriusDriverConfig>({
          driver: MercuriusDriver,
          path: '/graphql',
          autoSchemaFile: true,
          sortSchema: true,
          graphiql: config.GRAPHIQL,
        }),
      ],
      providers: [HealthResolver],
    };
  }
}
