import { HeliomeshError } from '@heliomesh/util';
import type { TokenRole } from '@heliomesh/db';

const RANK: Record<TokenRole, number> = { viewer: 1, operator: 2, admin: 3 };

/** viewer reads; operator also writes policies and drives rollouts; admin also manages tokens (and, platform-wide, tenants and clusters). */
export function roleAllows(have: TokenRole, need: TokenRole): boolean {
  return RANK[have] >= RANK[need];
}

export interface AuthContext {
  tokenId: string;
  tokenName: string;
  role: TokenRole;
  /** Null for platform tokens. */
  tenantId: string | null;
  /** How the audit log names this caller. */
  actor: string;
}

export function isPlatformAdmin(ctx: AuthContext): boolean {
  return ctx.tenantId === null && ctx.role === 'admin';
}

export function requireRole(ctx: AuthContext, need: TokenRole): void {
  if (!roleAllows(ctx.role, need)) {
    throw new HeliomeshError({
      code: 'FORBIDDEN',
      status: 403,
      message: `This needs the ${need} role; the token "${ctx.tokenName}" has ${ctx.role}. Ask an admin for a token with that role.`,
    });
  }
}

export function requirePlatformAdmin(ctx: AuthContext): void {
  if (!isPlatformAdmin(ctx)) {
    throw new HeliomeshError({
      code: 'FORBIDDEN',
      status: 403,
      message: 'Only a platform admin token (an admin token that belongs to no tenant) may do this.',
    });
  }
}
