export {
  APPLIED_HASH_ANNOTATION,
  FIELD_MANAGER,
  GENERATED_KINDS,
  MANAGED_BY,
  MANAGED_BY_LABEL,
  SERVICE_LABEL,
  TENANT_LABEL,
  describeRef,
  objectKey,
  refOf,
  type KindRef,
  type KubeObject,
  type ManagedFieldsEntry,
  type ObjectMeta,
  type ObjectRef,
} from './kube.types.js';
export {
  KubeError,
  httpStatusOf,
  isKubeError,
  isTransient,
  type KubeErrorCode,
  type StatusCause,
} from './errors/kube-error.util.js';
export {
  DEFAULT_RATE_LIMIT,
  TokenBucket,
  systemClock,
  type Clock,
  type RateLimit,
  type RateLimiterStats,
} from './client/rate-limiter.util.js';
export {
  DEFAULT_RETRY_POLICY,
  retryDelay,
  withRetries,
  type RetryPolicy,
} from './client/retry-policy.util.js';
export { parseRetryAfter, type KubeRequest, type KubeResponse } from './client/kube-api.client.js';
export type { ApplyCall, DeleteCall, JsonPatchOp, ListOptions, ObjectList } from './client/object.client.js';
export type { ResourceType } from './client/resource-catalog.service.js';
export { ClusterRegistry, type ClusterRef, type ClusterSource } from './cluster/cluster-registry.service.js';
export {
  KubeCluster,
  DEFAULT_REQUEST_TIMEOUT_MS,
  type ClusterOptions,
} from './cluster/kube-cluster.model.js';
export type { ConnectionReport, KindAvailability, ServerVersion } from './cluster/connection.service.js';
export {
  SERVICE_ACCOUNT_DIR,
  loadKubeconfig,
  loadKubeconfigFile,
  type InClusterOptions,
  type KubeconfigOptions,
} from './cluster/kubeconfig.util.js';
export { Applier } from './apply/applier.service.js';
export { appliedHash, applyConfiguration } from './apply/applied-content.util.js';
export { checkSync, type ForeignField, type SyncState } from './apply/sync-check.util.js';
export type {
  ApplierOptions,
  ApplyCallOptions,
  ApplyOutcome,
  ApplyReport,
  ApplyResult,
  LiveObjectCache,
  PlanEntry,
} from './apply/apply.types.js';
export {
  Pruner,
  type PruneCallOptions,
  type PruneOptions,
  type PruneReport,
} from './prune/pruner.service.js';
export type { PruneScope } from './prune/prune-scope.util.js';
export { DriftWatcher } from './drift/drift-watcher.service.js';
export type { DriftChange, DriftEvent, DriftWatcherOptions } from './drift/drift.types.js';
export { ServiceDiscovery } from './discovery/service-discovery.service.js';
export { groupServices } from './discovery/service-grouping.util.js';
export type {
  DiscoveredPort,
  DiscoveredService,
  DiscoveredVersion,
  DiscoveryOptions,
} from './discovery/discovery.types.js';
