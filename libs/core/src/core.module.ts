import {
  type DynamicModule,
  Global,
  Inject,
  Injectable,
  Module,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import { TokenService } from '@heliomesh/auth';
import { AuditQueryService } from './audit/audit-query.service.js';
import type { ClusterTargets } from './clusters/cluster-target.types.js';
import { ClustersService } from './clusters/clusters.service.js';
import { NamespaceClaimsService } from './clusters/namespace-claims.service.js';
import { SecretBox } from './common/secret-box.util.js';
import { GitOpsService } from './gitops/gitops.service.js';
import { PoliciesService } from './policies/policies.service.js';
import { ServiceSyncService } from './services/service-sync.service.js';
import { ServicesService } from './services/services.service.js';
import { TenantsService } from './tenancy/tenants.service.js';
import { TokensService } from './tenancy/tokens.service.js';

export const CLUSTER_TARGETS = Symbol('CLUSTER_TARGETS');

export interface CoreModuleOptions {
  /** Base64 of 32 bytes; encrypts cluster credentials at rest. */
  secretKey: string;
  /** The cluster access implementation (Kubernetes in the services, a fake in some tests). */
  clusterTargets: () => ClusterTargets;
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
        ClusterTargetsCloser,
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
      ],
    };
  }
}
