import { type DataSource, type EntityManager, IsNull } from 'typeorm';
import { isPlatformAdmin, requireRole, type TokenService } from '@heliomesh/auth';
import {
  ApiTokenEntity,
  AuditRepository,
  inSystemTx,
  inTenantTx,
  PLATFORM_TENANT_ID,
  TOKEN_ROLES,
} from '@heliomesh/db';
import { HeliomeshError } from '@heliomesh/util';
import { z } from 'zod';
import { assertId, notFound } from '../common/errors.util.js';
import { parseInput } from '../common/input.util.js';
import type { RequestContext } from '../common/request-context.types.js';

export interface TokenView {
  id: string;
  name: string;
  role: string;
  tenantId: string | null;
  prefix: string;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export const createTokenSchema = z.strictObject({
  name: z
    .string()
    .min(1)
    .max(100)
    .regex(/^[\w.@-]+$/, 'use letters, digits, ".", "_", "@" and "-"'),
  role: z.enum(TOKEN_ROLES),
  expiresAt: z.iso.datetime({ offset: true }).optional(),
  /** Platform admins only: create a platform token (no tenant) instead of one for the request's tenant. */
  platform: z.boolean().optional(),
});

const view = (t: ApiTokenEntity): TokenView => ({
  id: t.id,
  name: t.name,
  role: t.role,
  tenantId: t.tenantId,
  prefix: t.tokenPrefix,
  createdAt: t.createdAt.toISOString(),
  expiresAt: t.expiresAt?.toISOString() ?? null,
  lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
  revokedAt: t.revokedAt?.toISOString() ?? null,
});

/**
 * Token administration: a tenant admin manages its tenant's tokens; a platform admin any
 * tenant's (through X-Heliomesh-Tenant) and platform tokens. The secret is returned once.
 */
export class TokensService {
  private readonly audit = new AuditRepository();

  constructor(
    private readonly db: DataSource,
    private readonly tokens: TokenService,
  ) {}

  async create(ctx: RequestContext, input: unknown): Promise<{ token: TokenView; secret: string }> {
    requireRole(ctx.auth, 'admin');
    const body = parseInput(createTokenSchema, input);
    const platform = body.platform === true;
    if (platform && !isPlatformAdmin(ctx.auth))
      throw new HeliomeshError({
        code: 'FORBIDDEN',
        status: 403,
        message: 'Only a platform admin can create platform tokens.',
        path: ['platform'],
      });
    const tenantId = platform ? null : ctx.tenantId;
    if (tenantId === null && !platform)
      throw new HeliomeshError({
        code: 'TENANT_REQUIRED',
        status: 400,
        message: 'Name the tenant with X-Heliomesh-Tenant, or set "platform": true for a platform token.',
        path: ['headers', 'x-heliomesh-tenant'],
      });
    if (body.expiresAt && new Date(body.expiresAt) <= new Date())
      throw new HeliomeshError({
        code: 'INPUT_INVALID',
        status: 422,
        message: 'expiresAt must be in the future.',
        path: ['expiresAt'],
      });
    return this.tx(tenantId, async (m) => {
      const { token, secret } = await this.tokens.create(m, {
        tenantId,
        name: body.name,
        role: body.role,
        expiresAt: body.expiresAt ? new Date(body.expiresAt) : null,
      });
      await this.audit.append(m, {
        tenantId: tenantId ?? PLATFORM_TENANT_ID,
        actor: ctx.auth.actor,
        action: 'token.create',
        resourceKind: 'Token',
        resourceId: token.id,
        requestId: ctx.requestId ?? null,
        reason: ctx.reason ?? null,
        data: { after: view(token) },
      });
      return { token: view(token), secret };
    });
  }

  async list(ctx: RequestContext): Promise<TokenView[]> {
    requireRole(ctx.auth, 'admin');
    return this.tx(ctx.tenantId, async (m) => {
      const repo = m.getRepository(ApiTokenEntity);
      const rows = await repo.find({
        where: { tenantId: ctx.tenantId === null ? IsNull() : ctx.tenantId },
        order: { createdAt: 'ASC' },
      });
      return rows.map(view);
    });
  }

  async revoke(ctx: RequestContext, id: string): Promise<TokenView> {
    requireRole(ctx.auth, 'admin');
    assertId('token', id);
    const result = await this.tx(ctx.tenantId, async (m) => {
      const token = await m.getRepository(ApiTokenEntity).findOneBy({ id });
      if (!token || token.tenantId !== ctx.tenantId) throw notFound('token', id);
      if (!token.revokedAt) {
        token.revokedAt = new Date();
        await m.getRepository(ApiTokenEntity).save(token);
        await this.audit.append(m, {
          tenantId: ctx.tenantId ?? PLATFORM_TENANT_ID,
          actor: ctx.auth.actor,
          action: 'token.revoke',
          resourceKind: 'Token',
          resourceId: id,
          requestId: ctx.requestId ?? null,
          reason: ctx.reason ?? null,
          data: { before: { name: token.name, role: token.role } },
        });
      }
      return view(token);
    });
    this.tokens.forget();
    return result;
  }

  /** Tenant tokens are read and written under row-level security; platform tokens by a platform admin. */
  private tx<T>(tenantId: string | null, fn: (m: EntityManager) => Promise<T>): Promise<T> {
    return tenantId === null ? inSystemTx(this.db, fn) : inTenantTx(this.db, tenantId, fn);
  }
}
