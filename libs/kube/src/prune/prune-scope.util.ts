import { KubeError } from '../errors/kube-error.util.js';
import {
  MANAGED_BY,
  MANAGED_BY_LABEL,
  SERVICE_LABEL,
  TENANT_LABEL,
  type KindRef,
  type KubeObject,
} from '../kube.types.js';

/** Which of our objects a prune may consider. */
export interface PruneScope {
  /** Tenant label value; required: a prune never spans tenants. */
  tenant: string;
  /** Narrow to one service's objects (heliomesh.io/service label). */
  service?: string;
  /** Default: all namespaces. */
  namespaces?: string[];
  /** Default: the kinds Heliomesh generates (VirtualService, DestinationRule, AuthorizationPolicy, EnvoyFilter, WasmPlugin). */
  kinds?: readonly KindRef[];
}

/** A Kubernetes label value: at most 63 characters, alphanumerics with '-', '_', '.' inside. */
const LABEL_VALUE = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/**
 * Rejects a scope that could select more than intended: an empty tenant, or a value that is not a
 * plain label value (a comma or `!` would change the selector's meaning).
 */
export function validateScope(scope: PruneScope): void {
  const fail = (field: string, message: string) =>
    new KubeError({ code: 'KUBE_SCOPE_INVALID', message, path: [field] });
  if (typeof scope.tenant !== 'string' || !LABEL_VALUE.test(scope.tenant))
    throw fail(
      'tenant',
      `tenant must be a non-empty label value (letters, digits, '-', '_', '.'; at most 63), got ${JSON.stringify(scope.tenant)}`,
    );
  if (scope.service !== undefined && (typeof scope.service !== 'string' || !LABEL_VALUE.test(scope.service)))
    throw fail('service', `service must be a non-empty label value, got ${JSON.stringify(scope.service)}`);
  for (const ns of scope.namespaces ?? [])
    if (!DNS_LABEL.test(ns))
      throw fail('namespaces', `namespace ${JSON.stringify(ns)} is not a valid namespace name`);
}

export function scopeSelector(scope: PruneScope): string {
  const parts = [`${MANAGED_BY_LABEL}=${MANAGED_BY}`, `${TENANT_LABEL}=${scope.tenant}`];
  if (scope.service !== undefined) parts.push(`${SERVICE_LABEL}=${scope.service}`);
  return parts.join(',');
}

/** The client-side re-check: both our labels (and the service label when scoped), exactly. */
export function isOurs(obj: KubeObject, scope: PruneScope): boolean {
  const labels = obj.metadata.labels ?? {};
  if (labels[MANAGED_BY_LABEL] !== MANAGED_BY) return false;
  if (labels[TENANT_LABEL] !== scope.tenant) return false;
  if (scope.service !== undefined && labels[SERVICE_LABEL] !== scope.service) return false;
  return true;
}
