import type { PolicyEntity, PolicyRevisionEntity, PolicyStatus, PolicyStatusReason } from '@heliomesh/db';

/** A policy as the APIs return it. */
export interface PolicyView {
  id: string;
  name: string;
  kind: string;
  cluster: string;
  namespace: string;
  serviceId: string | null;
  target: Record<string, unknown>;
  spec: Record<string, unknown>;
  revision: number;
  status: {
    phase: PolicyStatus;
    appliedRevision: number | null;
    reason: PolicyStatusReason | null;
    updatedAt: string;
  };
  createdAt: string;
  updatedAt: string;
  createdBy: string;
  updatedBy: string;
}

export interface PolicyRevisionView {
  revision: number;
  change: 'create' | 'update' | 'delete';
  name: string;
  kind: string;
  target: Record<string, unknown>;
  spec: Record<string, unknown>;
  actor: string;
  reason: string | null;
  createdAt: string;
}

export function toPolicyView(p: PolicyEntity, clusterName: string): PolicyView {
  return {
    id: p.id,
    name: p.name,
    kind: p.kind,
    cluster: clusterName,
    namespace: p.namespace,
    serviceId: p.serviceId,
    target: p.target,
    spec: p.spec,
    revision: p.revision,
    status: {
      phase: p.status,
      appliedRevision: p.appliedRevision,
      reason: p.statusReason,
      updatedAt: p.statusUpdatedAt.toISOString(),
    },
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
    createdBy: p.createdBy,
    updatedBy: p.updatedBy,
  };
}

export function toRevisionView(r: PolicyRevisionEntity): PolicyRevisionView {
  return {
    revision: r.revision,
    change: r.change,
    name: r.name,
    kind: r.kind,
    target: r.target,
    spec: r.spec,
    actor: r.actor,
    reason: r.reason,
    createdAt: r.createdAt.toISOString(),
  };
}

/** The part of a policy the audit log records as before/after. */
export function auditImage(
  p: Pick<PolicyEntity, 'name' | 'kind' | 'target' | 'spec' | 'revision'>,
): Record<string, unknown> {
  return { name: p.name, kind: p.kind, target: p.target, spec: p.spec, revision: p.revision };
}
