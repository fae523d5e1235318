import { type DataSource } from 'typeorm';
import { isPlatformAdmin, requirePlatformAdmin, requireRole } from '@heliomesh/auth';
import { AuditRepository, inSystemTx, TenantEntity } from '@heliomesh/db';
import { dnsLabelSchema } from '@heliomesh/policy';
import { HeliomeshError } from '@heliomesh/util';
import { z } from 'zod';
import { assertId, conflict, isUniqueViolation, notFound } from '../common/errors.util.js';
import { parseInput } from '../common/input.util.js';
import type { RequestContext } from '../common/request-context.types.js';

export interface TenantView {
  id: string;
  name: string;
  displayName: string;
  createdAt: string;
}

export const createTenantSchema = z.strictObject({
  name: dnsLabelSchema,
  displayName: z.string().max(200).optional(),
});

const view = (t: TenantEntity): TenantView => ({
  id: t.id,
  name: t.name,
  displayName: t.displayName,
  createdAt: t.createdAt.toISOString(),
});

/** Tenants are created and removed by platform admins; a tenant token sees only its own. */
export class TenantsService {
  private readonly audit = new AuditRepository();

  constructor(private readonly db: DataSource) {}

  async create(ctx: RequestContext, input: unknown): Promise<TenantView> {
    requirePlatformAdmin(ctx.auth);
    const body = parseInput(createTenantSchema, input);
    try {
      return await inSystemTx(this.db, async (m) => {
        const tenant = await m
          .getRepository(TenantEntity)
          .save(
            m
              .getRepository(TenantEntity)
              .create({ name: body.name, displayName: body.displayName ?? body.name }),
          );
        await this.audit.append(m, {
          tenantId: tenant.id,
          actor: ctx.auth.actor,
          action: 'tenant.create',
          resourceKind: 'Tenant',
          resourceId: tenant.id,
          requestId: ctx.requestId ?? null,
          reason: ctx.reason ?? null,
          data: { after: view(tenant) },
        });
        return view(tenant);
      });
    } catch (err) {
      if (isUniqueViolation(err))
        throw conflict('TENANT_EXISTS', `A tenant named "${body.name}" already exists.`, ['name']);
      throw err;
    }
  }

  async list(ctx: RequestContext): Promise<TenantView[]> {
    requireRole(ctx.auth, 'viewer');
    const repo = this.db.getRepository(TenantEntity);
    const tenants = isPlatformAdmin(ctx.auth)
      ? await repo.find({ order: { name: 'ASC' } })
      : await repo.findBy({ id: ctx.auth.tenantId ?? '00000000-0000-0000-0000-000000000000' });
    return tenants.map(view);
  }

  async get(ctx: RequestContext, id: string): Promise<TenantView> {
    requireRole(ctx.auth, 'viewer');
    assertId('tenant', id);
    if (!isPlatformAdmin(ctx.auth) && ctx.auth.tenantId !== id) throw notFound('tenant', id);
    const tenant = await this.db.getRepository(TenantEntity).findOneBy({ id });
    if (!tenant) throw notFound('tenant', id);
    return view(tenant);
  }

  /** Refuses while the tenant still owns namespaces or policies: remove those first, so nothing is orphaned in a cluster. */
  async delete(ctx: RequestContext, id: string): Promise<void> {
    requirePlatformAdmin(ctx.auth);
    assertId('tenant', id);
    await inSystemTx(this.db, async (m) => {
      const tenant = await m.getRepository(TenantEntity).findOneBy({ id });
      if (!tenant) throw notFound('tenant', id);
      const [{ claims, policies }] = await m.query(
        `SELECT (SELECT count(*)::int FROM namespace_claims WHERE tenant_id = $1) AS claims, (SELECT count(*)::int FROM policies WHERE tenant_id = $1) AS policies`,
        [id],
      );
      if (claims > 0 || policies > 0)
        throw conflict(
          'TENANT_IN_USE',
          `Tenant "${tenant.name}" still has ${policies} policies and ${claims} namespace claims; delete them first.`,
        );
      await this.audit.append(m, {
        tenantId: id,
        actor: ctx.auth.actor,
        action: 'tenant.delete',
        resourceKind: 'Tenant',
        resourceId: id,
        requestId: ctx.requestId ?? null,
        reason: ctx.reason ?? null,
        data: { before: view(tenant) },
      });
      await m.query(`DELETE FROM tenants WHERE id = $1`, [id]);
    });
  }

  /**
   * The tenant a request acts in: a tenant token's own, or for platform tokens the tenant named
   * in X-Heliomesh-Tenant. A tenant token naming another tenant is refused.
   */
  async resolveScope(
    ctx: Omit<RequestContext, 'tenantId'>,
    header: string | undefined,
  ): Promise<string | null> {
    if (ctx.auth.tenantId !== null) {
      if (header !== undefined && header !== '') {
        const [own] = await this.db.query(`SELECT name FROM tenants WHERE id = $1`, [ctx.auth.tenantId]);
        if (own?.name !== header)
          throw new HeliomeshError({
            code: 'FORBIDDEN',
            status: 403,
            message: `This token belongs to tenant "${own?.name}"; it cannot act for "${header}".`,
            path: ['headers', 'x-heliomesh-tenant'],
          });
      }
      return ctx.auth.tenantId;
    }
    if (header === undefined || header === '') return null;
    const [row] = await this.db.query(`SELECT id FROM tenants WHERE name = $1`, [header]);
    if (!row)
      throw new HeliomeshError({
        code: 'TENANT_NOT_FOUND',
        status: 404,
        message: `No tenant named "${header}".`,
        path: ['headers', 'x-heliomesh-tenant'],
      });
    return row.id as string;
  }
}
