import { type DynamicModule, Module } from '@nestjs/common';
import { CollectorMetricsProvider } from '@heliomesh/metrics';
import { GatewayAuth } from './auth/gateway-auth.service.js';
import { GATEWAY_CONFIG, type GatewayConfig } from './config.js';
import { GraphqlOptionsFactory } from './graphql/graphql-options.factory.js';
import { LoaderFactory } from './loaders/request-loaders.js';
import { CachedMeshTelemetry } from './mesh/cached-telemetry.util.js';
import { MESH_TELEMETRY, type MeshTelemetry } from './mesh/mesh-telemetry.types.js';

/** What the GraphQL options and the resolvers share: authentication, loaders, the collector client. */
@Module({})
export class GatewaySupportModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    return {
      module: GatewaySupportModule,
      global: true,
      providers: [
        { provide: GATEWAY_CONFIG, useValue: config },
        {
          provide: MESH_TELEMETRY,
          useFactory: (): MeshTelemetry =>
            new CachedMeshTelemetry(
              new CollectorMetricsProvider({ baseUrl: config.COLLECTOR_URL, timeoutMs: 5_000 }),
              config.TELEMETRY_CACHE_MS,
            ),
        },
        GatewayAuth,
        LoaderFactory,
        GraphqlOptionsFactory,
      ],
      exports: [GATEWAY_CONFIG, MESH_TELEMETRY, GatewayAuth, LoaderFactory, GraphqlOptionsFactory],
    };
  }
}
