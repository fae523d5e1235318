import type { DataSource, EntityManager } from 'typeorm';
import type { MeshService } from '@heliomesh/istio';
import {
  AuditRepository,
  inTenantTx,
  OutboxRepository,
  ServiceEntity,
  ServiceVersionEntity,
} from '@heliomesh/db';
import { contentHash } from '@heliomesh/util';
import type { ClusterTargets } from '../clusters/cluster-target.types.js';
import type { ClustersService } from '../clusters/clusters.service.js';
import { serviceKey } from '../desired-state/desired-state.repository.js';

export interface SyncReport {
  cluster: string;
  namespaces: string[];
  added: string[];
  updated: string[];
  removed: string[];
  unchanged: number;
}

/**
 * Imports the services of a tenant's namespaces from a cluster: ports, selector, and the
 * versions behind each (pods grouped by their `version` label). A service whose versions
 * changed is reconciled, since its DestinationRule subsets depend on them.
 */
export class ServiceSyncService {
  private readonly audit = new AuditRepository();
  private readonly outbox = new OutboxRepository();

  constructor(
    private readonly db: DataSource,
    private readonly clusters: ClustersService,
    private readonly targets: ClusterTargets,
  ) {}

  /** Syncs every cluster where the tenant claims namespaces (or only `clusterName`). */
  async syncTenant(
    tenantId: string,
    actor: string,
    opts: { clusterName?: string; requestId?: string } = {},
  ): Promise<SyncReport[]> {
    const claims: Array<{ cluster_id: string; cluster: string; namespace: string }> = await inTenantTx(
      this.db,
      tenantId,
      (m) =>
        m.query(
          `SELECT n.cluster_id, c.name AS cluster, n.namespace FROM namespace_claims n JOIN clusters c ON c.id = n.cluster_id ORDER BY c.name, n.namespace`,
        ),
    );
    const byCluster = new Map<string, { name: string; namespaces: string[] }>();
    for (const c of claims) {
      if (opts.clusterName && c.cluster !== opts.clusterName) continue;
      const entry = byCluster.get(c.cluster_id) ?? { name: c.cluster, namespaces: [] };
      entry.namespaces.push(c.namespace);
      byCluster.set(c.cluster_id, entry);
    }
    const reports: SyncReport[] = [];
    for (const [clusterId, { name, namespaces }] of byCluster) {
      const discovered = await this.targets
        .target(await this.clusters.record(clusterId))
        .discover(namespaces);
      reports.push(
        await inTenantTx(this.db, tenantId, (m) =>
          this.store(m, tenantId, { id: clusterId, name }, namespaces, discovered, actor, opts.requestId),
        ),
      );
    }
    return reports;
  }

  private async store(
    m: EntityManager,
    tenantId: string,
    cluster: { id: string; name: string },
    namespaces: string[],
    discovered: MeshService[],
    actor: string,
    requestId?: string,
  ): Promise<SyncReport> {
    const report: SyncReport = {
      cluster: cluster.name,
      namespaces,
      added: [],
      updated: [],
      removed: [],
      unchanged: 0,
    };
    // One sync of a tenant's cluster at a time (an API call and the scheduled round may meet):
    // the second waits, then reads what the first stored instead of inserting it again.
    await m.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [
      `heliomesh.sync:${tenantId}:${cluster.id}`,
    ]);
    const services = m.getRepository(ServiceEntity);
    const versions = m.getRepository(ServiceVersionEntity);
    const existing = new Map(
      (await services.findBy({ clusterId: cluster.id }))
        .filter((s) => namespaces.includes(s.namespace))
        .map((s) => [serviceKey(s.namespace, s.name), s]),
    );
    const existingVersions = await versions.find({ where: { tenantId } });
    const changed: string[] = [];
    for (const svc of discovered) {
      const key = serviceKey(svc.namespace, svc.name);
      const row = existing.get(key);
      existing.delete(key);
      const fingerprint = contentHash({
        ports: svc.ports,
        selector: svc.selector ?? null,
        versions: [...svc.versions].sort((a, b) => a.name.localeCompare(b.name)),
      });
      const before =
        row &&
        contentHash({
          ports: row.ports,
          selector: row.selector,
          versions: existingVersions
            .filter((v) => v.serviceId === row.id)
            .map((v) => ({ name: v.name, labels: v.labels, pods: v.pods }))
            .sort((a, b) => a.name.localeCompare(b.name)),
        });
      if (row && !row.removedAt && before === fingerprint) {
        report.unchanged++;
        continue;
      }
      const saved = await services.save({
        ...(row ?? {}),
        tenantId,
        clusterId: cluster.id,
        namespace: svc.namespace,
        name: svc.name,
        ports: svc.ports,
        selector: svc.selector ?? null,
        discoveredAt: new Date(),
        removedAt: null,
      });
      await versions.delete({ serviceId: saved.id });
      if (svc.versions.length)
        await versions.insert(
          svc.versions.map((v) => ({
            serviceId: saved.id,
            tenantId,
            name: v.name,
            labels: v.labels,
            pods: v.pods,
          })),
        );
      (row ? report.updated : report.added).push(key);
      changed.push(saved.id);
    }
    for (const [key, row] of existing) {
      if (row.removedAt) continue;
      await services.update({ id: row.id }, { removedAt: new Date() });
      report.removed.push(key);
      changed.push(row.id);
    }
    // Only services Heliomesh governs (policies on them, or objects applied for them) need a
    // reconcile; a newly discovered service has neither.
    const governed: Array<{ id: string }> = changed.length
      ? await m.query(
          `SELECT s.id FROM services s WHERE s.id = ANY($1::uuid[])
             AND (EXISTS (SELECT 1 FROM policies p WHERE s.id = ANY(p.touched_service_ids)) OR EXISTS (SELECT 1 FROM applied_objects a WHERE a.service_id = s.id))`,
          [changed],
        )
      : [];
    for (const { id: serviceId } of governed)
      await this.outbox.add(m, {
        tenantId,
        topic: 'reconcile',
        payload: { tenantId, serviceId, reason: 'resync' },
      });
    if (changed.length) {
      await this.audit.append(m, {
        tenantId,
        actor,
        action: 'services.sync',
        resourceKind: 'Cluster',
        resourceId: cluster.id,
        requestId: requestId ?? null,
        data: { added: report.added, updated: report.updated, removed: report.removed },
      });
    }
    return report;
  }
}
