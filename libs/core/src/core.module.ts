import {
  type DynamicModule,
  Global,
  Inject,
  Injectable,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import { TokenService } from '@heliomesh/auth';
import { AuditQueryService } from './audit/audit-query.service.js';
import type { ClusterTargets } from './clusters/cluster-target.types.js';
import { ClustersService } from './clusters/clusters.service.js';
import { NamespaceClaimsService } from './clusters/namespace-claims.service.js';
import { SecretBox } from './common/secret-box.util.js';
import { warmUpCompiler } from './desired-state/compiler-warm-up.util.js';
import { GitOpsService } from './gitops/gitops.service.js';
import { PoliciesService } from './policies/policies.service.js';
import { ServiceSyncService } from './services/service-sync.service.js';
import { ServicesService } from './services/services.service.js';
import { TenantsService } from './tenancy/tenants.service.js';
import { TokensService } from './tenancy/tokens.service.js';
import { QUEUE_CONNECTION } from '@heliomesh/queue';
import {
  NoopRolloutEventPublisher,
  RedisRolloutEventPublisher,
  type RedisPublisherClient,
  type RolloutEventPublisher,
} from './rollouts/rollout-event.publisher.js';
import { RolloutsService } from './rollouts/rollouts.service.js';

export const CLUSTER_TARGETS = Symbol('CLUSTER_TARGETS');
/** Where rollout progress events go: Redis pub/sub when the queue connection exists. */
export const ROLLOUT_EVENT_PUBLISHER = Symbol('ROLLOUT_EVENT_PUBLISHER');

export interface CoreModuleOptions {
  /** Base64 of 32 bytes; encrypts cluster credentials at rest. */
  secretKey: string;
  /** The cluster access implementation (Kubernetes in the services, a fake in some tests). */
  clusterTargets: () => ClusterTargets;
  /** Most rollouts one tenant may run at once; default 50. */
  rolloutTenantLimit?: number;
}

/** Pays the compiler's first-use cost at boot, not on the first request (see warmUpCompiler). */
@Injectable()
class CompilerWarmUp implements OnApplicationBootstrap {
  onApplicationBootstrap(): void {
    warmUpCompiler();
  }
}

@Injectable()
class ClusterTargetsCloser implements OnApplicationShutdown {
  constructor(@Inject(CLUSTER_TARGETS) private readonly targets: ClusterTargets) {}

  async onApplicationShutdown(): Promise<void> {
    await this.targets.close();
  }
}

/** The use cases as Nest providers: the REST API and the GraphQL gateway import the same ones. */
@Global()
@Module({})
export class CoreModule {
  static forRoot(opts: CoreModuleOptions): DynamicModule {
    const classes = [
      TenantsService,
      PoliciesService,
      AuditQueryService,
      GitOpsService,
      NamespaceClaimsService,
    ];
    return {
      module: CoreModule,
      providers: [
        { provide: SecretBox, useFactory: () => new SecretBox(opts.secretKey) },
        { provide: CLUSTER_TARGETS, useFactory: opts.clusterTargets },
        { provide: TokenService, useFactory: (db: DataSource) => new TokenService(db), inject: [DataSource] },
        ...classes.map((cls) => ({
          provide: cls,
          useFactory: (db: DataSource) => new cls(db),
          inject: [DataSource],
        })),
        {
          provide: TokensService,
          useFactory: (db: DataSource, tokens: TokenService) => new TokensService(db, tokens),
          inject: [DataSource, TokenService],
        },
        {
          provide: ClustersService,
          useFactory: (db: DataSource, t: ClusterTargets, s: SecretBox) => new ClustersService(db, t, s),
          inject: [DataSource, CLUSTER_TARGETS, SecretBox],
        },
        {
          provide: ServiceSyncService,
          useFactory: (db: DataSource, c: ClustersService, t: ClusterTargets) =>
            new ServiceSyncService(db, c, t),
          inject: [DataSource, ClustersService, CLUSTER_TARGETS],
        },
        {
          provide: ServicesService,
          useFactory: (db: DataSource, s: ServiceSyncService) => new ServicesService(db, s),
          inject: [DataSource, ServiceSyncService],
        },
        {
          provide: ROLLOUT_EVENT_PUBLISHER,
          useFactory: (redis?: RedisPublisherClient): RolloutEventPublisher =>
            redis ? new RedisRolloutEventPublisher(redis) : new NoopRolloutEventPublisher(),
          inject: [{ token: QUEUE_CONNECTION, optional: true }],
        },
        {
          provide: RolloutsService,
          useFactory: (db: DataSource, box: SecretBox, publisher: RolloutEventPublisher) =>
            new RolloutsService(db, box, publisher, { tenantLimit: opts.rolloutTenantLimit ?? 50 }),
          inject: [DataSource, SecretBox, ROLLOUT_EVENT_PUBLISHER],
        },
        ClusterTargetsCloser,
        CompilerWarmUp,
      ],
      exports: [
        SecretBox,
        CLUSTER_TARGETS,
        TokenService,
        ...classes,
        TokensService,
        ClustersService,
        ServiceSyncService,
        ServicesService,
        ROLLOUT_EVENT_PUBLISHER,
        RolloutsService,
      ],
    };
  }
}
