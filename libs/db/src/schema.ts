import { ApiTokenEntity } from './entities/api-token.entity.js';
import { AppliedObjectEntity } from './entities/applied-object.entity.js';
import { AuditEventEntity } from './entities/audit-event.entity.js';
import { ClusterEntity } from './entities/cluster.entity.js';
import { NamespaceClaimEntity } from './entities/namespace-claim.entity.js';
import { PolicyEntity, PolicyRevisionEntity } from './entities/policy.entity.js';
import { RolloutEntity, RolloutEventEntity } from './entities/rollout.entity.js';
import { ServiceEntity, ServiceVersionEntity } from './entities/service.entity.js';
import { TenantEntity } from './entities/tenant.entity.js';
import { InitialSchema1764180000000 } from './migrations/1764180000000-initial-schema.migration.js';
import { PolicyTouchedServices1764205000000 } from './migrations/1764205000000-policy-touched-services.migration.js';
import { TenancyAndPolicies1764190000000 } from './migrations/1764190000000-tenancy-and-policies.migration.js';
import { MetricRollups1764200000000 } from './migrations/1764200000000-metric-rollups.migration.js';
import { Rollouts1764210000000 } from './migrations/1764210000000-rollouts.migration.js';
import { AuditNotify1764220000000 } from './migrations/1764220000000-audit-notify.migration.js';
import { AuditLinkAtCommit1764230000000 } from './migrations/1764230000000-audit-link-at-commit.migration.js';

/** Explicit lists (no globs): ESM builds and bundlers see every entity and migration. */
export const ENTITIES = [
  TenantEntity,
  ApiTokenEntity,
  AuditEventEntity,
  ClusterEntity,
  NamespaceClaimEntity,
  ServiceEntity,
  ServiceVersionEntity,
  PolicyEntity,
  PolicyRevisionEntity,
  AppliedObjectEntity,
  RolloutEntity,
  RolloutEventEntity,
];

/** Append only; never edit a migration that has shipped. */
export const MIGRATIONS = [
  InitialSchema1764180000000,
  TenancyAndPolicies1764190000000,
  MetricRollups1764200000000,
  PolicyTouchedServices1764205000000,
  Rollouts1764210000000,
  AuditNotify1764220000000,
  AuditLinkAtCommit1764230000000,
];
