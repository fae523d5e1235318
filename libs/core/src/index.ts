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
export { PendingAudit } from './common/pending-audit.util.js';
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
export {
  CLUSTER_TARGETS,
  CoreModule,
  type CoreModuleOptions,
  ROLLOUT_EVENT_PUBLISHER,
} from './core.module.js';
export { KubeClusterTargets } from './clusters/kube-cluster-targets.js';
export { type CompiledService, loadCompiledServices } from './loaders/generated-config.loader.js';
export { loadPoliciesByIds, loadPolicyHistories } from './loaders/policy-relations.loader.js';
export {
  loadPoliciesByServiceIds,
  loadServicesByIds,
  loadVersionsByServiceIds,
} from './loaders/service-relations.loader.js';
export { latestAuditSeq, loadAuditEventsAfter, tenantAuditChannel } from './loaders/audit-tail.loader.js';
export { ReleasePinService } from './rollouts/release-pin.service.js';
export { commandEffect, type CommandEffect, type RolloutCommand } from './rollouts/rollout-commands.util.js';
export {
  NoopRolloutEventPublisher,
  RedisRolloutEventPublisher,
  type RedisPublisherClient,
  type RolloutEventPublisher,
} from './rollouts/rollout-event.publisher.js';
export {
  abMatch,
  describeStep,
  planRollout,
  remainingMs,
  routeAt,
  settleMs,
  withSticky,
  type PlanStep,
  type RolloutPlan,
  type RolloutRouteState,
  type RouteTarget,
} from './rollouts/rollout-plan.util.js';
export {
  GATE_WEBHOOKS,
  rolloutDurationSchema,
  rolloutSpecSchema,
  WEBHOOK_TYPES,
  type CanaryStrategy,
  type RolloutSpec,
  type RolloutSpecInput,
  type RolloutStep,
  type RolloutWebhook,
  type WebhookType,
} from './rollouts/rollout-spec.schema.js';
export { parseRolloutSpec, rolloutSpecJsonSchema } from './rollouts/rollout-spec.util.js';
export {
  ACTIVE_PHASES,
  assertTransition,
  canTransition,
  drivesTraffic,
  isTerminal,
  ROLLOUT_PHASES,
  ROLLOUT_TRANSITIONS,
  type NextPhase,
  type RollbackOutcome,
  type RolloutPhase,
} from './rollouts/rollout-state-machine.js';
export {
  fromRaw,
  notificationDeliveryId,
  ROLLOUT_NOTIFY_TOPIC,
  ROLLOUT_TICK_TOPIC,
  RolloutRepository,
  RolloutRoutesRepository,
  type CommitRequest,
  type CommitResult,
  type RawRollout,
  type RolloutChange,
  type RolloutNotifyMessage,
  type RolloutTickMessage,
} from './rollouts/rollout.repository.js';
export {
  ROLLOUT_EVENT_TYPES,
  rolloutChannel,
  tenantRolloutsChannel,
  type AnalysisEventData,
  type CompactVerdict,
  type PhaseReason,
  type PhaseReasonCode,
  type RolloutEventDraft,
  type RolloutEventType,
  type RolloutEventView,
  type RolloutProgressEvent,
  type RolloutView,
  type StepState,
} from './rollouts/rollout.types.js';
export { etaOf, planOf, progressEvents, specOf, toRolloutView } from './rollouts/rollout-view.util.js';
export {
  commandBodySchema,
  promoteSchema,
  rolloutListSchema,
  RolloutsService,
  type CreatedRollout,
  type RolloutsOptions,
} from './rollouts/rollouts.service.js';
export {
  generateWebhookSecret,
  signWebhook,
  verifyWebhookSignature,
  WEBHOOK_DELIVERY_HEADER,
  WEBHOOK_EVENT_HEADER,
  WEBHOOK_SIGNATURE_HEADER,
} from './rollouts/webhook-signature.util.js';
export { loadRolloutEvents, type RolloutEventsQuery } from './loaders/rollout-relations.loader.js';
export { warmUpCompiler } from './desired-state/compiler-warm-up.util.js';
