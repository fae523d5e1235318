import { governedObjects } from '../desired-state/governed.util.js';
import type { DataSource, EntityManager } from 'typeorm';
import {
  AppliedObjectEntity,
  AuditRepository,
  inSystemTx,
  inTenantTx,
  type JsonObject,
  type PolicyStatusReason,
  ServiceEntity,
} from '@heliomesh/db';
import {
  compileHost,
  type Finding,
  type HostResult,
  type IstioObject,
  type RolloutRoute,
  SOURCES_ANNOTATION,
} from '@heliomesh/istio';
import type { ReconcileJobData } from '@heliomesh/queue';
import { contentHash, errorMessage, HeliomeshError } from '@heliomesh/util';
import type { ApplyReport, ClusterTargets, ObjectRef } from '../clusters/cluster-target.types.js';
import { refOf } from '../clusters/cluster-target.types.js';
import type { ClustersService } from '../clusters/clusters.service.js';
import { DesiredStateRepository } from '../desired-state/desired-state.repository.js';
import { RolloutRoutesRepository } from '../rollouts/rollout.repository.js';

export type ReconcileOutcome =
  | { status: 'applied'; created: number; configured: number; unchanged: number; pruned: number }
  | { status: 'blocked'; findings: string[] }
  | { status: 'skipped'; reason: string };

/** Where the routes of running rollouts come from (the progressive-delivery engine). */
export interface RolloutRoutesSource {
  routesFor(m: EntityManager, tenantId: string, clusterId: string): Promise<RolloutRoute[]>;
}

/**
 * Brings one service's Istio objects in its cluster to the desired state in Postgres: compile the
 * host, apply, prune what is no longer desired, record the inventory and every contributing
 * policy's status, and audit what changed. Idempotent: a repeated job finds nothing to write.
 */
export class ReconcileService {
  private readonly desired = new DesiredStateRepository();
  private readonly audit = new AuditRepository();

  constructor(
    private readonly db: DataSource,
    private readonly clusters: ClustersService,
    private readonly targets: ClusterTargets,
    private readonly rollouts: RolloutRoutesSource = new RolloutRoutesRepository(),
  ) {}

  async reconcile(job: ReconcileJobData): Promise<ReconcileOutcome> {
    const service = await inSystemTx(this.db, (m) =>
      m.getRepository(ServiceEntity).findOneBy({ id: job.serviceId }),
    );
    if (!service) return { status: 'skipped', reason: 'the service no longer exists' };
    const record = await this.clusters.record(service.clusterId);
    const target = this.targets.target(record);
    const foreign = await target.foreignObjects(service.namespace);
    const { state, result } = await inTenantTx(this.db, job.tenantId, async (m) => {
      const rollouts = await this.rollouts.routesFor(m, job.tenantId, service.clusterId);
      const loaded = await this.desired.load(
        m,
        job.tenantId,
        { id: record.id, name: record.name },
        {
          rollouts,
          foreignObjects: foreign,
          touching: [{ namespace: service.namespace, name: service.name }],
        },
      );
      return {
        state: loaded,
        result: compileHost(loaded.snapshot, { namespace: service.namespace, service: service.name }),
      };
    });
    const tenantName = state.snapshot.tenant.name;
    if (result && !result.emitted) {
      await this.blocked(job, service, result.findings);
      return {
        status: 'blocked',
        findings: result.findings.filter((f) => f.severity === 'error').map((f) => f.code),
      };
    }
    const objects = governedObjects(result);
    let report: ApplyReport;
    let pruned: ObjectRef[];
    try {
      report = await target.apply(objects);
      if (report.failed.length)
        throw new HeliomeshError({
          code: report.failed[0]!.code,
          status: 502,
          message: `${report.failed.length} object(s) could not be applied; first: ${report.failed[0]!.kind} ${report.failed[0]!.namespace}/${report.failed[0]!.name}: ${report.failed[0]!.message}`,
        });
      pruned = (await this.mustPrune(job, service.id, objects))
        ? await target.prune({ tenant: tenantName, service: service.name }, objects.map(refOf))
        : [];
    } catch (err) {
      await this.clusterFailed(job, result, errorMessage(err));
      throw err;
    }
    await this.record(job, service, record.id, objects, result, report, pruned);
    const count = (o: string) => report.applied.filter((a) => a.outcome === o).length;
    return {
      status: 'applied',
      created: count('created'),
      configured: count('configured'),
      unchanged: count('unchanged'),
      pruned: pruned.length,
    };
  }

  /**
   * Listing the cluster to prune costs a request per kind, so it is skipped when the inventory
   * shows nothing we applied before has become undesired. Drift repairs and periodic resyncs
   * always prune, which catches anything the inventory missed (e.g. a crash between an apply and
   * its record).
   */
  private async mustPrune(
    job: ReconcileJobData,
    serviceId: string,
    desired: IstioObject[],
  ): Promise<boolean> {
    if (job.reason === 'drift' || job.reason === 'resync') return true;
    const previous: Array<{ kind: string; namespace: string; name: string }> = await inTenantTx(
      this.db,
      job.tenantId,
      (m) => m.query(`SELECT kind, namespace, name FROM applied_objects WHERE service_id = $1`, [serviceId]),
    );
    if (previous.length === 0) return desired.length === 0;
    const keep = new Set(desired.map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`));
    return previous.some((p) => !keep.has(`${p.kind}/${p.namespace}/${p.name}`));
  }

  private async record(
    job: ReconcileJobData,
    service: ServiceEntity,
    clusterId: string,
    objects: IstioObject[],
    result: HostResult | undefined,
    report: ApplyReport,
    pruned: ObjectRef[],
  ): Promise<void> {
    await inTenantTx(this.db, job.tenantId, async (m) => {
      const inventory = m.getRepository(AppliedObjectEntity);
      await inventory.delete({ serviceId: service.id });
      if (objects.length) {
        await inventory.insert(
          objects.map((o) => ({
            tenantId: job.tenantId,
            clusterId,
            serviceId: service.id,
            apiVersion: o.apiVersion,
            kind: o.kind,
            namespace: o.metadata.namespace ?? '',
            name: o.metadata.name,
            contentHash: contentHash(o),
            object: o as unknown as JsonObject,
            sources: sourcesOf(o),
            appliedAt: new Date(),
          })),
        );
      }
      for (const policy of contributingPolicies(result)) {
        await m.query(
          `UPDATE policies SET status = 'Applied', applied_revision = revision, status_reason = $3, status_updated_at = now() WHERE id = $1 AND revision = $2`,
          [
            policy.id,
            policy.revision,
            policy.warnings.length
              ? JSON.stringify({
                  kind: 'findings',
                  message: `${policy.warnings.length} warning(s)`,
                  findings: policy.warnings.map(findingView),
                } satisfies PolicyStatusReason)
              : null,
          ],
        );
      }
      const changed = report.applied.filter((a) => a.outcome !== 'unchanged');
      if (changed.length || pruned.length || job.reason === 'drift') {
        await this.audit.append(m, {
          tenantId: job.tenantId,
          actor: 'system:reconciler',
          action: job.reason === 'drift' ? 'reconcile.drift-repaired' : 'reconcile.applied',
          resourceKind: 'Service',
          resourceId: service.id,
          data: {
            service: `${service.namespace}/${service.name}`,
            reason: job.reason,
            applied: changed.map((a) => ({ ...a })),
            pruned,
            unchanged: report.applied.length - changed.length,
          },
        });
      }
    });
  }

  private async blocked(job: ReconcileJobData, service: ServiceEntity, findings: Finding[]): Promise<void> {
    const errors = findings.filter((f) => f.severity === 'error');
    await inTenantTx(this.db, job.tenantId, async (m) => {
      const ids = [...new Set(errors.flatMap((f) => f.policyIds ?? []))];
      const reason: PolicyStatusReason = {
        kind: 'findings',
        message: errors.map((f) => `${f.code}: ${f.message}`).join('; '),
        findings: errors.map(findingView),
      };
      if (ids.length)
        await m.query(
          `UPDATE policies SET status = 'Error', status_reason = $2, status_updated_at = now() WHERE id = ANY($1::uuid[])`,
          [ids, JSON.stringify(reason)],
        );
      await this.audit.append(m, {
        tenantId: job.tenantId,
        actor: 'system:reconciler',
        action: 'reconcile.blocked',
        resourceKind: 'Service',
        resourceId: service.id,
        data: { service: `${service.namespace}/${service.name}`, findings: errors.map(findingView) },
      });
    });
  }

  private async clusterFailed(
    job: ReconcileJobData,
    result: HostResult | undefined,
    message: string,
  ): Promise<void> {
    const ids = contributingPolicies(result).map((p) => p.id);
    if (ids.length === 0) return;
    const reason: PolicyStatusReason = {
      kind: 'cluster',
      message: `The cluster did not accept the configuration: ${message}. Retrying.`,
    };
    await inTenantTx(this.db, job.tenantId, (m) =>
      m.query(
        `UPDATE policies SET status = 'Error', status_reason = $2, status_updated_at = now() WHERE id = ANY($1::uuid[])`,
        [ids, JSON.stringify(reason)],
      ),
    );
  }
}

function findingView(f: Finding) {
  return { code: f.code, severity: f.severity, message: f.message, path: f.path };
}

/** Policies whose settings reached this host's objects, with their revision and their own warnings. */
function contributingPolicies(
  result: HostResult | undefined,
): Array<{ id: string; revision: number; warnings: Finding[] }> {
  const byId = new Map<string, { id: string; revision: number; warnings: Finding[] }>();
  for (const e of result?.explain ?? []) {
    if (e.source === 'policy' && e.policyId && e.policyRevision !== undefined && !byId.has(e.policyId))
      byId.set(e.policyId, { id: e.policyId, revision: e.policyRevision, warnings: [] });
  }
  for (const f of result?.findings ?? []) for (const id of f.policyIds ?? []) byId.get(id)?.warnings.push(f);
  return [...byId.values()];
}

function sourcesOf(o: IstioObject): Array<{ id: string; revision: number }> {
  try {
    const raw = o.metadata.annotations?.[SOURCES_ANNOTATION];
    const parsed: unknown = raw ? JSON.parse(raw) : [];
    return Array.isArray(parsed) ? (parsed as Array<{ id: string; revision: number }>) : [];
  } catch {
    return [];
  }
}
