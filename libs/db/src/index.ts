export { DatabaseConnector, DatabaseModule, type DatabaseModuleOptions } from './nest/database.module.js';
export {
  AuditRepository,
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
} from './database-lifecycle.util.js';
export { ApiTokenEntity, TOKEN_ROLES, type TokenRole } from './entities/api-token.entity.js';
export { AuditEventEntity } from './entities/audit-event.entity.js';
export { TenantEntity } from './entities/tenant.entity.js';
export { ENTITIES, MIGRATIONS } from './schema.js';
export { SnakeNamingStrategy } from './snake-naming.strategy.js';
