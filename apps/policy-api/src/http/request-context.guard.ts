import {
  type CanActivate,
  createParamDecorator,
  type ExecutionContext,
  Injectable,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { TokenService } from '@heliomesh/auth';
import { type RequestContext, TenantsService } from '@heliomesh/core';
import { HeliomeshError } from '@heliomesh/util';

const PUBLIC = Symbol('public');
/** Routes that answer without a token (health, docs, API info). */
export const Public = () => SetMetadata(PUBLIC, true);

type WithContext = FastifyRequest & { heliomesh?: RequestContext };

const MAX_REASON = 500;

function header(req: FastifyRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Authenticates every request that is not public and fixes the tenant it acts in. Roles are
 * checked by the use cases themselves, so REST and GraphQL cannot drift apart.
 */
@Injectable()
export class RequestContextGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
    private readonly tenants: TenantsService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<WithContext>();
    // Only the versioned API needs a token; /healthz, /readyz, /metrics and the docs do not.
    if (
      !req.url.startsWith('/v1/') ||
      this.reflector.getAllAndOverride<boolean>(PUBLIC, [context.getHandler(), context.getClass()])
    )
      return true;
    const auth = await this.tokens.authenticate(header(req, 'authorization'));
    const tenantId = await this.tenants.resolveScope({ auth }, header(req, 'x-heliomesh-tenant'));
    const reason = header(req, 'x-change-reason');
    if (reason !== undefined && reason.length > MAX_REASON) {
      throw new HeliomeshError({
        code: 'REASON_TOO_LONG',
        status: 400,
        message: `X-Change-Reason is limited to ${MAX_REASON} characters.`,
        path: ['headers', 'x-change-reason'],
      });
    }
    req.heliomesh = { auth, tenantId, requestId: String(req.id), ...(reason ? { reason } : {}) };
    return true;
  }
}

/** The caller's RequestContext, set by RequestContextGuard. */
export const Ctx = createParamDecorator((_data: unknown, context: ExecutionContext): RequestContext => {
  const ctx = context.switchToHttp().getRequest<WithContext>().heliomesh;
  if (!ctx) throw new Error('RequestContextGuard did not run for this route');
  return ctx;
});
