export { AuditQueryService, auditFilterSchema, type AuditEventView } from './audit/audit-query.service.js';
export {
  type ApplyOutcome,
  type ApplyReport,
  type ClusterRecord,
  type ClusterTarget,
  type ClusterTargets,
  type ConnectionReport,
  type DriftEvent,
  type ObjectRef,
  refKey,
  refOf,
} from './clusters/cluster-target.types.js';
export { ClustersService, registerClusterSchema, type ClusterView } from './clusters/clusters.service.js';
export {
  claimNamespaceSchema,
  NamespaceClaimsService,
  type NamespaceClaimView,
} from './clusters/namespace-claims.service.js';
export { assertId, badRequest, conflict, invalid, notFound } from './common/errors.util.js';
export { parseInput } from './common/input.util.js';
export { decodeCursor, encodeCursor, MAX_PAGE_SIZE, type Page } from './common/pagination.util.js';
export type { RequestContext, TenantRequestContext } from './common/request-context.types.js';
export { SecretBox } from './common/secret-box.util.js';
export { unifiedDiff } from './common/text-diff.util.js';
export { DesiredStateRepository, type DesiredState } from './desired-state/desired-state.repository.js';
export { GitOpsService, type ApplyBundleResult } from './gitops/gitops.service.js';
export {
  PoliciesService,
  type PolicyListFilter,
  type PolicyWriteResult,
} from './policies/policies.service.js';
export type { DryRunResult } from './policies/policy-change.service.js';
export type { PolicyRevisionView, PolicyView } from './policies/policy.dto.js';
export {
  ReconcileService,
  type ReconcileOutcome,
  type RolloutRoutesSource,
} from './reconcile/reconcile.service.js';
export { ServiceSyncService, type SyncReport } from './services/service-sync.service.js';
export { ServicesService, type GeneratedConfig, type ServiceView } from './services/services.service.js';
export { tenantScope } from './tenancy/tenant-scope.util.js';
export { createTenantSchema, TenantsService, type TenantView } from './tenancy/tenants.service.js';
export { createTokenSchema, TokensService, type TokenView } from './tenancy/tokens.service.js';
export { CLUSTER_TARGETS, CoreModule, type CoreModuleOptions } from './core.module.js';
export { KubeClusterTargets } from './clusters/kube-cluster-targets.js';
export { type CompiledService, loadCompiledServices } from './loaders/generated-config.loader.js';
export { loadPoliciesByIds, loadPolicyHistories } from './loaders/policy-relations.loader.js';
export {
  loadPoliciesByServiceIds,
  loadServicesByIds,
  loadVersionsByServiceIds,
} from './loaders/service-relations.loader.js';
export { latestAuditSeq, loadAuditEventsAfter } from './loaders/audit-tail.loader.js';
