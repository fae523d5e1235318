import type { AuthContext } from '@heliomesh/auth';

/** Who is asking, on behalf of which tenant, and why: every use case takes one. */
export interface RequestContext {
  auth: AuthContext;
  /** The tenant the request acts in: the token's, or the one a platform admin named. */
  tenantId: string | null;
  requestId?: string;
  /** From the X-Change-Reason header; recorded in the audit log. */
  reason?: string;
}

/** A request context that acts within a tenant (the use case checked it). */
export interface TenantRequestContext extends RequestContext {
  tenantId: string;
}
