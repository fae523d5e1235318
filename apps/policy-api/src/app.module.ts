import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { CoreModule } from '@heliomesh/core';
import { DatabaseModule } from '@heliomesh/db';
import { ObservabilityModule, type ServiceRuntime } from '@heliomesh/observability';
import { QueueModule } from '@heliomesh/queue';
import { BootstrapAdmin } from './bootstrap-admin.service.js';
import { type ClusterTargetsFactory, POLICY_API_CONFIG, type PolicyApiConfig } from './config.js';
import { AuditController } from './controllers/audit.controller.js';
import { ClustersController, NamespacesController } from './controllers/clusters.controller.js';
import { GitOpsController } from './controllers/gitops.controller.js';
import { PoliciesController } from './controllers/policies.controller.js';
import { RolloutsController } from './controllers/rollouts.controller.js';
import { ServicesController } from './controllers/services.controller.js';
import { TenantsController } from './controllers/tenants.controller.js';
import { TokensController } from './controllers/tokens.controller.js';
import { ApiExceptionFilter } from './http/api-exception.filter.js';
import { RequestContextGuard } from './http/request-context.guard.js';
import { InfoController } from './info.controller.js';

@Module({})
export class PolicyApiModule {
  static forRoot(
    config: PolicyApiConfig,
    runtime: ServiceRuntime,
    clusterTargets: ClusterTargetsFactory,
  ): DynamicModule {
    return {
      module: PolicyApiModule,
      imports: [
        ObservabilityModule.forRoot(runtime),
        DatabaseModule.forRoot({
          url: config.DATABASE_URL,
          applicationName: 'heliomesh-policy-api',
          migrateOnStart: config.DB_MIGRATE_ON_START,
          poolMin: config.DATABASE_POOL_MIN,
        }),
        QueueModule.forRoot({ redisUrl: config.REDIS_URL, prefix: config.QUEUE_PREFIX }),
        CoreModule.forRoot({
          secretKey: config.CLUSTER_SECRET_KEY,
          clusterTargets,
          rolloutTenantLimit: config.ROLLOUT_TENANT_LIMIT,
        }),
      ],
      controllers: [
        InfoController,
        TenantsController,
        TokensController,
        ClustersController,
        NamespacesController,
        ServicesController,
        PoliciesController,
        RolloutsController,
        AuditController,
        GitOpsController,
      ],
      providers: [
        { provide: POLICY_API_CONFIG, useValue: config },
        { provide: APP_FILTER, useClass: ApiExceptionFilter },
        { provide: APP_GUARD, useClass: RequestContextGuard },
        BootstrapAdmin,
      ],
    };
  }
}
