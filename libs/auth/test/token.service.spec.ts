import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDataSource } from '@heliomesh/db';
import { createTestDatabase, type TestDatabase } from '@heliomesh/testing';
import type { DataSource } from 'typeorm';
import { TokenService } from '../src/index.js';

let db: TestDatabase;
let ds: DataSource;
let tokens: TokenService;
let tenantId: string;

beforeAll(async () => {
  db = await createTestDatabase();
  ds = createDataSource({ url: db.url, poolSize: 4 });
  await ds.initialize();
  tokens = new TokenService(ds);
  [{ id: tenantId }] = await ds.query(`INSERT INTO tenants (name) VALUES ('acme') RETURNING id`);
});

afterAll(async () => {
  await ds?.destroy();
  await db?.drop();
});

const code = async (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (err: { code?: string }) => err.code,
  );

describe('TokenService', () => {
  it('authenticates a bearer token into its tenant, role and audit name', async () => {
    const { secret } = await ds.transaction((m) =>
      tokens.create(m, { tenantId, name: 'ci', role: 'operator' }),
    );
    expect(await tokens.authenticate(`Bearer ${secret}`)).toMatchObject({
      tenantId,
      role: 'operator',
      tokenName: 'ci',
      actor: 'token:ci@acme',
    });
  });

  it('stores only the hash of the secret', async () => {
    const { secret, token } = await ds.transaction((m) =>
      tokens.create(m, { tenantId, name: 'hashed', role: 'viewer' }),
    );
    const [row] = await ds.query(`SELECT * FROM api_tokens WHERE id = $1`, [token.id]);
    expect(JSON.stringify(row)).not.toContain(secret.slice(3));
  });

  it('refuses missing, malformed, unknown, expired and revoked tokens with their own codes', async () => {
    expect(await code(tokens.authenticate(undefined))).toBe('AUTH_MISSING');
    expect(await code(tokens.authenticate('Basic abc'))).toBe('AUTH_MALFORMED');
    expect(await code(tokens.authenticate('Bearer nope'))).toBe('AUTH_INVALID');
    expect(await code(tokens.authenticate(`Bearer hm_${'x'.repeat(43)}`))).toBe('AUTH_INVALID');
    const expired = await ds.transaction((m) =>
      tokens.create(m, { tenantId, name: 'old', role: 'viewer', expiresAt: new Date(Date.now() + 1_000) }),
    );
    expect(await code(tokens.authenticate(`Bearer ${expired.secret}`, new Date(Date.now() + 60_000)))).toBe(
      'AUTH_EXPIRED',
    );
    const revoked = await ds.transaction((m) => tokens.create(m, { tenantId, name: 'gone', role: 'viewer' }));
    await ds.query(`UPDATE api_tokens SET revoked_at = now() WHERE id = $1`, [revoked.token.id]);
    expect(await code(tokens.authenticate(`Bearer ${revoked.secret}`))).toBe('AUTH_REVOKED');
  });

  it('makes exactly one bootstrap admin, even when replicas race, and registers a given one', async () => {
    const results = await Promise.all([
      tokens.ensureBootstrapAdmin(),
      tokens.ensureBootstrapAdmin(),
      tokens.ensureBootstrapAdmin(),
    ]);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    const secret = results.find((r) => r.secret)!.secret!;
    expect(await tokens.authenticate(`Bearer ${secret}`)).toMatchObject({ tenantId: null, role: 'admin' });
    const given = `hm_${'A'.repeat(43)}`;
    expect(await tokens.ensureBootstrapAdmin(given)).toEqual({ created: true });
    expect(await tokens.ensureBootstrapAdmin(given)).toEqual({ created: false });
    await expect(tokens.ensureBootstrapAdmin('short')).rejects.toMatchObject({ code: 'CONFIG_ADMIN_TOKEN' });
  });
});
