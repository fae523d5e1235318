import { type DataSource, type EntityManager, IsNull } from 'typeorm';
import { ApiTokenEntity, inSystemTx, type TokenRole } from '@heliomesh/db';
import { HeliomeshError } from '@heliomesh/util';
import type { AuthContext } from './roles.util.js';
import { generateToken, hashToken, isWellFormedToken } from './token.util.js';

const CACHE_TTL_MS = 5_000;
const CACHE_MAX_ENTRIES = 10_000;
const LAST_USED_RESOLUTION_MS = 60_000;
const BOOTSTRAP_LOCK = '7522537958006730101';

interface CachedToken {
  ctx: AuthContext;
  expiresAt: Date | null;
  cachedUntil: number;
}

function unauthenticated(code: string, message: string): HeliomeshError {
  return new HeliomeshError({ code, status: 401, message, path: ['headers', 'authorization'] });
}

/**
 * Resolves bearer tokens. Results are cached for a few seconds to keep a database read off
 * every request; a revoked token therefore stops working within CACHE_TTL_MS everywhere.
 */
export class TokenService {
  /** Resolutions by token hash, each good until its cachedUntil (insertion order is age). */
  private readonly cache = new Map<string, CachedToken>();
  private readonly lastUsedWrites = new Map<string, number>();

  constructor(private readonly db: DataSource) {}

  async authenticate(authorization: string | undefined, now = new Date()): Promise<AuthContext> {
    if (!authorization) throw unauthenticated('AUTH_MISSING', 'Send a token: Authorization: Bearer <token>.');
    const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
    if (!match) throw unauthenticated('AUTH_MALFORMED', 'The Authorization header must be "Bearer <token>".');
    const secret = match[1]!;
    if (!isWellFormedToken(secret))
      throw unauthenticated('AUTH_INVALID', 'This token is not valid. Check that it was copied whole.');
    const hash = hashToken(secret);
    const cached = this.cache.get(hash);
    const entry = cached && cached.cachedUntil > now.getTime() ? cached : await this.load(hash, now);
    if (entry.expiresAt && entry.expiresAt <= now)
      throw unauthenticated(
        'AUTH_EXPIRED',
        `The token "${entry.ctx.tokenName}" expired at ${entry.expiresAt.toISOString()}. Ask an admin for a new one.`,
      );
    this.touch(entry.ctx.tokenId, now);
    return entry.ctx;
  }

  private async load(hash: string, now: Date): Promise<CachedToken> {
    const token = await this.db
      .getRepository(ApiTokenEntity)
      .createQueryBuilder('t')
      .where('t.token_hash = :hash', { hash })
      .getOne();
    if (!token)
      throw unauthenticated('AUTH_INVALID', 'This token is not valid. Check that it was copied whole.');
    if (token.revokedAt)
      throw unauthenticated(
        'AUTH_REVOKED',
        `The token "${token.name}" was revoked. Ask an admin for a new one.`,
      );
    const tenantName = token.tenantId
      ? ((await this.db.query(`SELECT name FROM tenants WHERE id = $1`, [token.tenantId]))[0]?.name as
          string | undefined)
      : undefined;
    const ctx: AuthContext = {
      tokenId: token.id,
      tokenName: token.name,
      role: token.role,
      tenantId: token.tenantId,
      actor: `token:${token.name}@${tenantName ?? 'platform'}`,
    };
    const entry = { ctx, expiresAt: token.expiresAt, cachedUntil: now.getTime() + CACHE_TTL_MS };
    this.remember(hash, entry, now.getTime());
    return entry;
  }

  /**
   * Caches a resolution under the token's hash (never the secret itself). Lapsed entries are
   * dropped on every database read, and the cache never holds more than CACHE_MAX_ENTRIES
   * (oldest go first).
   */
  private remember(hash: string, entry: CachedToken, now: number): void {
    for (const [key, cached] of this.cache) if (cached.cachedUntil <= now) this.cache.delete(key);
    this.cache.delete(hash);
    for (const key of this.cache.keys()) {
      if (this.cache.size < CACHE_MAX_ENTRIES) break;
      this.cache.delete(key);
    }
    this.cache.set(hash, entry);
  }

  /** Records use at most once a minute per token, off the request path. */
  private touch(tokenId: string, now: Date): void {
    const last = this.lastUsedWrites.get(tokenId) ?? 0;
    if (now.getTime() - last < LAST_USED_RESOLUTION_MS) return;
    this.lastUsedWrites.set(tokenId, now.getTime());
    this.db
      .query(`UPDATE api_tokens SET last_used_at = $2 WHERE id = $1`, [tokenId, now])
      .catch(() => undefined);
  }

  /** Creates a token in the caller's transaction; the secret is returned once and never stored. */
  async create(
    m: EntityManager,
    input: { tenantId: string | null; name: string; role: TokenRole; expiresAt?: Date | null },
  ): Promise<{ token: ApiTokenEntity; secret: string }> {
    const generated = generateToken();
    const repo = m.getRepository(ApiTokenEntity);
    const token = await repo.save(
      repo.create({
        tenantId: input.tenantId,
        name: input.name,
        role: input.role,
        tokenHash: generated.hash,
        tokenPrefix: generated.prefix,
        expiresAt: input.expiresAt ?? null,
      }),
    );
    return { token, secret: generated.secret };
  }

  /** Forgets cached resolutions, e.g. right after a revocation in this process. */
  forget(): void {
    this.cache.clear();
  }

  /**
   * Makes sure a platform admin token exists. With `secret` (from the environment) that exact
   * token is registered; without it, one is generated when none exists and returned so the
   * caller can print it once. Safe when several replicas start together.
   */
  async ensureBootstrapAdmin(secret?: string): Promise<{ created: boolean; secret?: string }> {
    if (secret !== undefined && !isWellFormedToken(secret)) {
      throw new HeliomeshError({
        code: 'CONFIG_ADMIN_TOKEN',
        status: 500,
        message:
          "ADMIN_TOKEN must look like hm_ followed by 43 base64url characters; generate one with: node -e \"console.log('hm_'+require('crypto').randomBytes(32).toString('base64url'))\"",
      });
    }
    return inSystemTx(this.db, async (m) => {
      await m.query('SELECT pg_advisory_xact_lock($1::bigint)', [BOOTSTRAP_LOCK]);
      const repo = m.getRepository(ApiTokenEntity);
      if (secret) {
        const hash = hashToken(secret);
        if (await repo.createQueryBuilder('t').where('t.token_hash = :hash', { hash }).getExists())
          return { created: false };
        await repo.save(
          repo.create({
            tenantId: null,
            name: 'bootstrap-admin',
            role: 'admin',
            tokenHash: hash,
            tokenPrefix: secret.slice(0, 10),
            expiresAt: null,
          }),
        );
        return { created: true };
      }
      const existing = await repo.count({
        where: { tenantId: IsNull(), role: 'admin', revokedAt: IsNull() },
      });
      if (existing > 0) return { created: false };
      const { secret: generated } = await this.create(m, {
        tenantId: null,
        name: 'bootstrap-admin',
        role: 'admin',
      });
      return { created: true, secret: generated };
    });
  }
}
