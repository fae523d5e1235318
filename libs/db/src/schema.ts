import { ApiTokenEntity } from './entities/api-token.entity.js';
import { AuditEventEntity } from './entities/audit-event.entity.js';
import { TenantEntity } from './entities/tenant.entity.js';
import { InitialSchema1764180000000 } from './migrations/1764180000000-initial-schema.migration.js';

/** Explicit lists (no globs): ESM builds and bundlers see every entity and migration. */
export const ENTITIES = [TenantEntity, ApiTokenEntity, AuditEventEntity];

/** Append only; never edit a migration that has shipped. */
export const MIGRATIONS = [InitialSchema1764180000000];
