import { HeliomeshError } from '@heliomesh/util';
import type { RequestContext, TenantRequestContext } from '../common/request-context.types.js';

/** Use cases that act on one tenant's data call this first. */
export function tenantScope(ctx: RequestContext): TenantRequestContext {
  if (ctx.tenantId === null) {
    throw new HeliomeshError({
      code: 'TENANT_REQUIRED',
      status: 400,
      message:
        'A platform token must name the tenant it acts for: send the header X-Heliomesh-Tenant: <tenant name>.',
      path: ['headers', 'x-heliomesh-tenant'],
    });
  }
  return ctx as TenantRequestContext;
}
