import { governedObjects } from '../desired-state/governed.util.js';
import type { DataSource, EntityManager } from 'typeorm';
import { requireRole } from '@heliomesh/auth';
import { inTenantTx, ServiceEntity } from '@heliomesh/db';
import { compileHost, type ExplainEntry, type Finding, type HostResult, toYaml } from '@heliomesh/istio';
import { assertId, notFound } from '../common/errors.util.js';
import { decodeCursor, type Page, pageSize, toPage } from '../common/pagination.util.js';
import type { RequestContext, TenantRequestContext } from '../common/request-context.types.js';
import { DesiredStateRepository } from '../desired-state/desired-state.repository.js';
import { tenantScope } from '../tenancy/tenant-scope.util.js';
import type { ServiceSyncService, SyncReport } from './service-sync.service.js';
import { loadVersionViews, toServiceView } from './service-view.util.js';

export interface ServiceVersionView {
  name: string;
  labels: Record<string, string>;
  pods: number;
}

export interface ServiceView {
  id: string;
  cluster: string;
  namespace: string;
  name: string;
  ports: Array<{ name?: string; port: number; protocol?: string }>;
  versions: ServiceVersionView[];
  discoveredAt: string;
  removed: boolean;
}

export interface GeneratedConfig {
  serviceId: string;
  host: string;
  yaml: string;
  emitted: boolean;
  findings: Finding[];
}

/** Discovered services, their versions, and what Heliomesh generates for each. */
export class ServicesService {
  private readonly desired = new DesiredStateRepository();

  constructor(
    private readonly db: DataSource,
    private readonly sync: ServiceSyncService,
  ) {}

  async syncNow(rawCtx: RequestContext, opts: { cluster?: string } = {}): Promise<SyncReport[]> {
    requireRole(rawCtx.auth, 'operator');
    const ctx = tenantScope(rawCtx);
    return this.sync.syncTenant(ctx.tenantId, ctx.auth.actor, {
      ...(opts.cluster ? { clusterName: opts.cluster } : {}),
      ...(ctx.requestId ? { requestId: ctx.requestId } : {}),
    });
  }

  async list(
    rawCtx: RequestContext,
    filter: { namespace?: string; cluster?: string; limit?: number; cursor?: string },
  ): Promise<Page<ServiceView>> {
    const ctx = this.reader(rawCtx);
    const size = pageSize(filter.limit);
    const after = decodeCursor(filter.cursor);
    return inTenantTx(this.db, ctx.tenantId, async (m) => {
      const q = m
        .getRepository(ServiceEntity)
        .createQueryBuilder('s')
        .innerJoin('clusters', 'c', 'c.id = s.cluster_id')
        .addSelect('c.name', 'cluster_name')
        .orderBy('s.namespace', 'ASC')
        .addOrderBy('s.name', 'ASC')
        .addOrderBy('s.id', 'ASC')
        .limit(size + 1);
      if (filter.namespace) q.andWhere('s.namespace = :ns', { ns: filter.namespace });
      if (filter.cluster) q.andWhere('c.name = :cluster', { cluster: filter.cluster });
      if (after)
        q.andWhere(`(s.namespace || '/' || s.name, s.id) > (:key, :id::uuid)`, {
          key: after.key,
          id: after.id,
        });
      const { entities, raw } = await q.getRawAndEntities();
      const clusterById = new Map(
        entities.map((e, i) => [e.id, (raw[i] as { cluster_name: string }).cluster_name]),
      );
      const versions = await loadVersionViews(
        m,
        entities.map((e) => e.id),
      );
      const page = toPage(entities, size, (s) => ({ key: `${s.namespace}/${s.name}`, id: s.id }));
      return {
        ...page,
        items: page.items.map((s) => toServiceView(s, clusterById.get(s.id) ?? '', versions.get(s.id) ?? [])),
      };
    });
  }

  async get(rawCtx: RequestContext, id: string): Promise<ServiceView> {
    const ctx = this.reader(rawCtx);
    return inTenantTx(this.db, ctx.tenantId, async (m) => {
      const service = await this.find(m, id);
      const [cluster] = await m.query(`SELECT name FROM clusters WHERE id = $1`, [service.clusterId]);
      return toServiceView(service, cluster?.name ?? '', (await loadVersionViews(m, [id])).get(id) ?? []);
    });
  }

  /** The Istio YAML Heliomesh generates for this service from its current desired state. */
  async config(rawCtx: RequestContext, id: string): Promise<GeneratedConfig> {
    const { result } = await this.compile(rawCtx, id);
    return {
      serviceId: id,
      host: result?.host ?? '',
      yaml: toYaml(governedObjects(result)),
      emitted: result?.emitted ?? false,
      findings: result?.findings ?? [],
    };
  }

  /** For each generated field, the policy (id, revision) or rollout that produced it. */
  async explain(
    rawCtx: RequestContext,
    id: string,
  ): Promise<{ serviceId: string; host: string; entries: ExplainEntry[] }> {
    const { result } = await this.compile(rawCtx, id);
    return { serviceId: id, host: result?.host ?? '', entries: result?.explain ?? [] };
  }

  private async compile(rawCtx: RequestContext, id: string): Promise<{ result: HostResult | undefined }> {
    const ctx = this.reader(rawCtx);
    return inTenantTx(this.db, ctx.tenantId, async (m) => {
      const service = await this.find(m, id);
      const [cluster] = await m.query(`SELECT id, name FROM clusters WHERE id = $1`, [service.clusterId]);
      const state = await this.desired.load(m, ctx.tenantId, cluster, {
        touching: [{ namespace: service.namespace, name: service.name }],
      });
      return { result: compileHost(state.snapshot, { namespace: service.namespace, service: service.name }) };
    });
  }

  private reader(ctx: RequestContext): TenantRequestContext {
    requireRole(ctx.auth, 'viewer');
    return tenantScope(ctx);
  }

  private async find(m: EntityManager, id: string): Promise<ServiceEntity> {
    assertId('service', id);
    const service = await m.getRepository(ServiceEntity).findOneBy({ id });
    if (!service) throw notFound('service', id);
    return service;
  }
}
