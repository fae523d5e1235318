import { governedObjects } from '../desired-state/governed.util.js';
import { randomUUID } from 'node:crypto';
import { type DataSource, type EntityManager, In } from 'typeorm';
import {
  compileHost,
  type Finding,
  indexSnapshot,
  type IstioObject,
  previewPolicy,
  toYaml,
} from '@heliomesh/istio';
import type { PolicyBody, StoredPolicy } from '@heliomesh/policy';
import {
  AppliedObjectEntity,
  inTenantTx,
  type JsonObject,
  OutboxRepository,
  PolicyEntity,
  PolicyRevisionEntity,
} from '@heliomesh/db';
import { canonicalJson, HeliomeshError } from '@heliomesh/util';
import { stringify } from 'yaml';
import { invalid, isUniqueViolation } from '../common/errors.util.js';
import { PendingAudit } from '../common/pending-audit.util.js';
import type { TenantRequestContext } from '../common/request-context.types.js';
import { unifiedDiff } from '../common/text-diff.util.js';
import {
  type DesiredState,
  DesiredStateRepository,
  serviceKey,
  toStoredPolicy,
} from '../desired-state/desired-state.repository.js';
import { RolloutRoutesRepository } from '../rollouts/rollout.repository.js';
import { auditImage } from './policy.dto.js';
import { type ServiceName, touchedServices } from './policy-targets.util.js';

export interface DryRunResult {
  dryRun: true;
  /** The generated Istio objects of every service the change touches, as they would be. */
  yaml: string;
  /** Unified diff against what is applied now, per object. */
  diff: string;
  findings: Finding[];
}

type ClusterRef = { id: string; name: string };

export type Change =
  | { type: 'create'; body: PolicyBody; cluster: ClusterRef }
  | { type: 'update'; body: PolicyBody; cluster: ClusterRef; existing: PolicyEntity }
  | { type: 'delete'; existing: PolicyEntity; cluster: ClusterRef };

export interface ChangeOutcome {
  policy: PolicyEntity | null;
  warnings: Finding[];
}

class DryRunRollback extends Error {
  constructor(readonly result: DryRunResult) {
    super('dry run');
  }
}

/**
 * Locking, in two levels. A policy write holds the tenant-and-cluster lock *shared* and an
 * exclusive lock on each service it touches: writes to different services run in parallel, and
 * two writes that could conflict (they touch a common service) are serialised, so they cannot
 * both pass validation. A rollout start holds the tenant-and-cluster lock exclusively, so it and
 * a weight write never pass their checks together.
 */
const CLUSTER_KEY = `hashtextextended('heliomesh.policies:' || $1::text || ':' || $2::text, 0)`;

export async function lockRouteWrites(m: EntityManager, tenantId: string, clusterId: string): Promise<void> {
  await m.query(`SELECT pg_advisory_xact_lock(${CLUSTER_KEY})`, [tenantId, clusterId]);
}

async function lockServices(
  m: EntityManager,
  tenantId: string,
  clusterId: string,
  services: ServiceName[],
): Promise<void> {
  // One round trip: the shared cluster lock, then the service locks in id order (no deadlocks).
  await m.query(
    `SELECT pg_advisory_xact_lock_shared(${CLUSTER_KEY}),
            (SELECT count(pg_advisory_xact_lock(hashtextextended('heliomesh.service:' || s.id, 0)))
               FROM (SELECT id FROM services WHERE cluster_id = $2::uuid AND (namespace, name) IN (SELECT * FROM unnest($3::text[], $4::text[])) ORDER BY id) s)`,
    [tenantId, clusterId, services.map((x) => x.namespace), services.map((x) => x.name)],
  );
}
/**
 * Policy changes as one transaction: each is validated against the whole desired state (with
 * the changes before it applied), then its row, revision and one outbox message per touched
 * service are written; the audit events of all changes come last (decision 0004). Several changes
 * (a GitOps bundle) commit or fail together. A dry run validates and writes the rows, then rolls
 * back, returning the YAML and diff instead.
 */
export class PolicyChangeService {
  private readonly desired = new DesiredStateRepository();
  private readonly outbox = new OutboxRepository();
  private readonly rollouts = new RolloutRoutesRepository();

  constructor(private readonly db: DataSource) {}

  /**
   * Applies changes inside the caller's transaction (the rollout engine pins a release this way);
   * their audit events go to `audit`, which the caller appends as its transaction's last step.
   */
  async applyIn(
    m: EntityManager,
    ctx: TenantRequestContext,
    changes: Change[],
    audit: PendingAudit,
  ): Promise<ChangeOutcome[]> {
    const states = await this.lockAndLoad(m, ctx, changes);
    const outcomes: ChangeOutcome[] = [];
    for (const change of changes)
      outcomes.push(await this.applyOne(m, ctx, change, states.get(change.cluster.id)!, audit));
    return outcomes;
  }

  /**
   * `plan` may be the changes, or a function that works them out inside the transaction (reading
   * the current policy and resolving its cluster there saves the round trips of separate ones).
   */
  async run(
    ctx: TenantRequestContext,
    plan: Change[] | ((m: EntityManager) => Promise<Change[]>),
    dryRun: boolean,
  ): Promise<ChangeOutcome[] | DryRunResult> {
    try {
      return await inTenantTx(this.db, ctx.tenantId, async (m) => {
        const changes = typeof plan === 'function' ? await plan(m) : plan;
        const states = await this.lockAndLoad(m, ctx, changes);
        const audit = new PendingAudit();
        const outcomes: ChangeOutcome[] = [];
        for (const change of changes)
          outcomes.push(await this.applyOne(m, ctx, change, states.get(change.cluster.id)!, audit, dryRun));
        if (dryRun)
          throw new DryRunRollback(
            await this.dryRun(
              m,
              changes,
              states,
              outcomes.flatMap((o) => o.warnings),
            ),
          );
        // Last, after every change is written (decision 0004).
        await audit.appendAll(m);
        return outcomes;
      });
    } catch (err) {
      if (err instanceof DryRunRollback) return err.result;
      if (isUniqueViolation(err))
        throw new HeliomeshError({
          code: 'POLICY_EXISTS',
          status: 409,
          message:
            'A policy with this name was just created in this namespace; update it (PUT) or choose another name.',
          path: ['name'],
        });
      throw err;
    }
  }

  private async lockAndLoad(
    m: EntityManager,
    ctx: TenantRequestContext,
    changes: Change[],
  ): Promise<Map<string, DesiredState>> {
    const clusters = [...new Map(changes.map((c) => [c.cluster.id, c.cluster])).values()].sort((a, b) =>
      a.id.localeCompare(b.id),
    );
    const states = new Map<string, DesiredState>();
    for (const cluster of clusters) {
      // Only the services these changes touch, and only the policies on them: the cost and the
      // contention stay flat as the tenant grows.
      const touching = dedupe(changes.filter((c) => c.cluster.id === cluster.id).flatMap(touched));
      await lockServices(m, ctx.tenantId, cluster.id, touching);
      const rollouts = await this.rollouts.routesFor(m, ctx.tenantId, cluster.id);
      states.set(cluster.id, await this.desired.load(m, ctx.tenantId, cluster, { rollouts, touching }));
    }
    for (const change of changes) if (change.type !== 'create') await assertUnchanged(m, change.existing);
    return states;
  }

  private async applyOne(
    m: EntityManager,
    ctx: TenantRequestContext,
    change: Change,
    state: DesiredState,
    audit: PendingAudit,
    dryRun = false,
  ): Promise<ChangeOutcome> {
    const id = change.type === 'create' ? randomUUID() : change.existing.id;
    const revision = change.type === 'create' ? 1 : change.existing.revision + 1;
    let warnings: Finding[] = [];
    if (change.type !== 'delete') {
      const candidate = { ...change.body, id, revision } as StoredPolicy;
      if (!state.services.has(serviceKey(candidate.target.namespace, candidate.target.service))) {
        throw invalid(
          'SERVICE_NOT_FOUND',
          `No service "${candidate.target.service}" has been discovered in namespace "${candidate.target.namespace}" of cluster "${change.cluster.name}". Deploy it, then run POST /v1/services/sync.`,
          ['target', 'service'],
        );
      }
      const findings = previewPolicy(state.snapshot, candidate).findings.filter((f) =>
        f.policyIds?.includes(id),
      );
      const errors = findings.filter((f) => f.severity === 'error');
      if (errors.length) throw rejected(change.body.name, errors);
      const override = findings.find((f) => f.code === 'HM5005' && f.rolloutId);
      if (override) throw rolloutInProgress(change.body.name, override, state);
      warnings = findings;
    }
    const policy = await this.write(m, ctx, change, id, revision, state);
    state.policies = [...state.policies.filter((p) => p.id !== id), ...(policy ? [policy] : [])];
    state.snapshot = { ...state.snapshot, policies: state.policies.map(toStoredPolicy) };
    if (dryRun) return { policy, warnings };
    for (const svc of touched(change)) {
      const row = state.services.get(serviceKey(svc.namespace, svc.name));
      if (row)
        await this.outbox.add(m, {
          tenantId: ctx.tenantId,
          topic: 'reconcile',
          payload: { tenantId: ctx.tenantId, serviceId: row.id, reason: 'policy-change' },
        });
    }
    audit.add({
      tenantId: ctx.tenantId,
      actor: ctx.auth.actor,
      action: `policy.${change.type}`,
      resourceKind: 'Policy',
      resourceId: id,
      requestId: ctx.requestId ?? null,
      reason: ctx.reason ?? null,
      data: {
        before: change.type === 'create' ? null : auditImage(change.existing),
        after: policy ? auditImage(policy) : null,
        ...(warnings.length ? { warnings: warnings.map((f) => f.code) } : {}),
      },
    });
    return { policy, warnings };
  }

  private async write(
    m: EntityManager,
    ctx: TenantRequestContext,
    change: Change,
    id: string,
    revision: number,
    state: DesiredState,
  ): Promise<PolicyEntity | null> {
    const repo = m.getRepository(PolicyEntity);
    const revisions = m.getRepository(PolicyRevisionEntity);
    const base = {
      policyId: id,
      revision,
      tenantId: ctx.tenantId,
      actor: ctx.auth.actor,
      reason: ctx.reason ?? null,
    };
    if (change.type === 'delete') {
      const p = change.existing;
      await revisions.insert({
        ...base,
        change: 'delete',
        name: p.name,
        kind: p.kind,
        target: p.target,
        spec: p.spec,
      });
      await repo.delete({ id });
      return null;
    }
    const body = change.body;
    const fields = {
      serviceId: state.services.get(serviceKey(body.target.namespace, body.target.service))!.id,
      clusterId: change.cluster.id,
      namespace: body.target.namespace,
      target: body.target as JsonObject,
      spec: body.spec as JsonObject,
      revision,
      touchedServiceIds: touchedServices(body.target as JsonObject, body.spec as JsonObject)
        .map((t) => state.services.get(serviceKey(t.namespace, t.name))?.id)
        .filter((x): x is string => x !== undefined),
      status: 'Pending' as const,
      statusReason: null,
      statusUpdatedAt: new Date(),
      updatedBy: ctx.auth.actor,
    };
    if (change.type === 'create')
      await repo.insert({
        id,
        tenantId: ctx.tenantId,
        name: body.name,
        kind: body.kind,
        createdBy: ctx.auth.actor,
        ...fields,
      });
    else await repo.update({ id }, fields);
    await revisions.insert({
      ...base,
      change: change.type,
      name: body.name,
      kind: body.kind,
      target: fields.target,
      spec: fields.spec,
    });
    return repo.findOneByOrFail({ id });
  }

  /** What the changes would generate for every touched service, and the diff against what is applied. */
  private async dryRun(
    m: EntityManager,
    changes: Change[],
    states: Map<string, DesiredState>,
    findings: Finding[],
  ): Promise<DryRunResult> {
    const objects: IstioObject[] = [];
    const before = new Map<string, string>();
    for (const [clusterId, state] of states) {
      const services = dedupe(changes.filter((c) => c.cluster.id === clusterId).flatMap(touched));
      const index = indexSnapshot(state.snapshot);
      objects.push(
        ...services.flatMap((s) =>
          governedObjects(compileHost(index, { namespace: s.namespace, service: s.name })),
        ),
      );
      const ids = services
        .map((s) => state.services.get(serviceKey(s.namespace, s.name))?.id)
        .filter((x): x is string => x !== undefined);
      const applied = ids.length
        ? await m.getRepository(AppliedObjectEntity).find({ where: { clusterId, serviceId: In(ids) } })
        : [];
      for (const o of applied) before.set(objectKey(o.kind, o.namespace, o.name), diffableYaml(o.object));
    }
    const after = new Map(
      objects.map((o) => [objectKey(o.kind, o.metadata.namespace, o.metadata.name), diffableYaml(o)]),
    );
    const diff = [...new Set([...before.keys(), ...after.keys()])]
      .sort()
      .map((key) =>
        unifiedDiff(before.get(key) ?? '', after.get(key) ?? '', {
          from: `applied/${key}`,
          to: `desired/${key}`,
        }),
      )
      .join('');
    return { dryRun: true, yaml: toYaml(objects), diff, findings };
  }
}

/**
 * YAML with keys sorted at every level: stored objects come back from jsonb in another key
 * order, and a diff must show changed values, not reordered keys.
 */
function diffableYaml(object: unknown): string {
  return stringify(JSON.parse(canonicalJson(object)), { lineWidth: 0 });
}

function objectKey(kind: string, namespace: string | undefined, name: string): string {
  return `${kind}/${namespace ?? ''}/${name}`;
}

/** Services a change writes configuration on: before (for updates and deletes) and after it. */
function touched(change: Change): ServiceName[] {
  const all: ServiceName[] = [];
  if (change.type !== 'create') all.push(...touchedServices(change.existing.target, change.existing.spec));
  if (change.type !== 'delete')
    all.push(...touchedServices(change.body.target as JsonObject, change.body.spec as JsonObject));
  return dedupe(all);
}

function dedupe(services: ServiceName[]): ServiceName[] {
  return [...new Map(services.map((s) => [serviceKey(s.namespace, s.name), s])).values()];
}

/** The revision checked before the lock must still be current under it: lost updates are impossible. */
async function assertUnchanged(m: EntityManager, existing: PolicyEntity): Promise<void> {
  const [row]: Array<{ revision: number }> = await m.query(
    `SELECT revision FROM policies WHERE id = $1 FOR UPDATE`,
    [existing.id],
  );
  if (!row)
    throw new HeliomeshError({
      code: 'NOT_FOUND',
      status: 404,
      message: `The policy "${existing.name}" was deleted meanwhile.`,
    });
  if (row.revision !== existing.revision)
    throw new HeliomeshError({
      code: 'REVISION_MISMATCH',
      status: 412,
      message: `The policy moved to revision ${row.revision} while this change was being made. Read it again and reapply your change.`,
      path: ['headers', 'if-match'],
    });
}

/** A running rollout is the only writer of its service's weights (and the mirror and sticky setting it uses). */
function rolloutInProgress(policyName: string, finding: Finding, state: DesiredState): HeliomeshError {
  const rollout = state.snapshot.rollouts?.find((r) => r.rolloutId === finding.rolloutId);
  const what = rollout
    ? `rollout ${finding.rolloutId} (${rollout.namespace}/${rollout.service} ${rollout.stable} -> ${rollout.canary})`
    : `rollout ${finding.rolloutId}`;
  return new HeliomeshError({
    code: 'ROLLOUT_IN_PROGRESS',
    status: 409,
    message: `Policy "${policyName}" would change what ${what} drives (${finding.message}). While it runs the rollout is the only writer of the service's route weights: wait for it to finish, or promote or abort it (POST /v1/rollouts/${finding.rolloutId}/abort), then write the policy.`,
    path: finding.path,
    details: [{ code: 'ROLLOUT_IN_PROGRESS', path: finding.path, message: finding.message }],
  });
}

function rejected(policyName: string, errors: Finding[]): HeliomeshError {
  const first = errors[0]!;
  return new HeliomeshError({
    code: 'POLICY_REJECTED',
    status: 422,
    message: `Policy "${policyName}" was rejected: ${first.code}: ${first.message}${errors.length > 1 ? ` (and ${errors.length - 1} more problem${errors.length > 2 ? 's' : ''})` : ''}`,
    path: first.path,
    details: errors.map((f) => ({ code: f.code, path: f.path, message: f.message })),
  });
}
