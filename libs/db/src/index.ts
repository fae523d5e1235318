export { DatabaseConnector, DatabaseModule, type DatabaseModuleOptions } from './nest/database.module.js';
export {
  AUDIT_CHANNEL,
  AuditRepository,
  parseAuditNotification,
  type AuditEventRow,
  type ChainBreak,
  type ChainVerification,
  type NewAuditEvent,
} from './audit/audit.repository.js';
export { createDataSource, type DataSourceOptions } from './data-source.factory.js';
export {
  databaseName,
  ensureDatabase,
  migrateWithLock,
  MIGRATION_LOCK_KEY,
  redactUrl,
  warmPool,
} from './database-lifecycle.util.js';
export { ApiTokenEntity, TOKEN_ROLES, type TokenRole } from './entities/api-token.entity.js';
export { AuditEventEntity } from './entities/audit-event.entity.js';
export { TenantEntity } from './entities/tenant.entity.js';
export { ENTITIES, MIGRATIONS } from './schema.js';
export { SnakeNamingStrategy } from './snake-naming.strategy.js';
export { AppliedObjectEntity } from './entities/applied-object.entity.js';
export type { JsonObject } from './entities/json.types.js';
export { CLUSTER_CONNECTIONS, ClusterEntity, type ClusterConnection } from './entities/cluster.entity.js';
export { NamespaceClaimEntity } from './entities/namespace-claim.entity.js';
export {
  POLICY_STATUSES,
  PolicyEntity,
  PolicyRevisionEntity,
  type PolicyStatus,
  type PolicyStatusReason,
} from './entities/policy.entity.js';
export { ServiceEntity, ServiceVersionEntity, type ServicePortRecord } from './entities/service.entity.js';
export { OUTBOX_CHANNEL, OutboxRepository, type OutboxMessage } from './outbox/outbox.repository.js';
export { APP_ROLE, inSystemTx, inTenantTx, PLATFORM_TENANT_ID } from './tenancy/transactions.util.js';
export {
  ROLLOUT_PHASES,
  ROLLOUT_STRATEGIES,
  RolloutEntity,
  RolloutEventEntity,
  TERMINAL_ROLLOUT_PHASES,
  type RolloutPhase,
  type RolloutStrategyKind,
} from './entities/rollout.entity.js';
export { postgresInputError } from './errors/postgres-input-error.util.js';
