import fc from 'fast-check';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setUpTenant, type TenantSetup } from '@heliomesh/testing';
import { type Platform, startPlatform } from './platform-harness.js';

/**
 * Thousands of generated bad requests across the endpoints: every one gets a 4xx with a stable
 * code and a JSON path, none a 5xx, and the database is byte-for-byte what it was.
 */
let p: Platform;
let t: TenantSetup;
let policyId: string;
let serviceId: string;

const TABLES: Record<string, string> = {
  tenants: 'id',
  api_tokens: 'id',
  clusters: 'id',
  namespace_claims: 'id',
  services: 'id',
  service_versions: 'service_id, name',
  policies: 'id',
  policy_revisions: 'policy_id, revision',
  applied_objects: 'id',
  outbox: 'id',
  audit_events: 'tenant_id, seq',
};

/** A digest of every table, minus the last-use timestamp of tokens (reads update it). */
async function databaseDigest(url: string): Promise<Record<string, string>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const out: Record<string, string> = {};
    for (const [table, order] of Object.entries(TABLES)) {
      const projection =
        table === 'api_tokens' ? `(t.id, t.name, t.role, t.token_hash, t.revoked_at, t.expires_at)` : 't';
      const { rows } = await client.query(
        `SELECT count(*) AS n, md5(coalesce(string_agg(${projection}::text, '|' ORDER BY ${order}), '')) AS h FROM ${table} t`,
      );
      out[table] = `${rows[0].n}:${rows[0].h}`;
    }
    return out;
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  p = await startPlatform();
  t = await setUpTenant(p.admin, {
    tenant: 'fuzz',
    cluster: 'sandbox',
    kubeconfig: p.sandbox.kubeconfig,
    namespaces: ['shop'],
  });
  const created = await t.operator.post('/v1/policies', {
    name: 'reviews-timeout',
    kind: 'Timeout',
    target: { namespace: 'shop', service: 'reviews' },
    spec: { timeout: '2s' },
  });
  policyId = created.body.policy.id;
  serviceId = created.body.policy.serviceId;
  // Let the worker apply it, so nothing moves while we fuzz.
  for (
    let i = 0;
    i < 100 && (await t.operator.get(`/v1/policies/${policyId}`)).body.status.phase === 'Pending';
    i++
  )
    await new Promise((r) => setTimeout(r, 100));
}, 120_000);

afterAll(async () => {
  await p?.stop();
});

const nasty = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 80 }),
  fc.constantFrom(
    "'; DROP TABLE policies; --",
    '" OR 1=1 --',
    '\u0000',
    '\u202e',
    '../../etc/passwd',
    '%00',
    '${jndi:ldap://x}',
    'A'.repeat(5000),
    '💥🔥',
    'Reviews',
    '-bad-',
    'x'.repeat(64),
  ),
);
const anyJson = fc.jsonValue({ maxDepth: 4 });

/** A policy body that is certainly invalid: a valid one with one thing broken. */
const brokenPolicy = fc
  .record({
    name: fc.oneof(nasty, fc.constant('ok-name')),
    kind: fc.oneof(fc.constantFrom('TrafficSplit', 'Timeout', 'FaultInjection', 'Nope', ''), nasty),
    target: fc.oneof(
      fc.constant({ namespace: 'shop', service: 'reviews' }),
      anyJson,
      fc.record({ namespace: nasty, service: nasty }),
    ),
    spec: fc.oneof(
      anyJson,
      fc.constant({ timeout: 'soon' }),
      fc.constant({ weights: [{ version: 'v1', weight: 'lots' }] }),
    ),
  })
  .chain((body) =>
    fc
      .constantFrom<(b: Record<string, unknown>) => unknown>(
        (b) => ({ ...b, unexpected: true }),
        (b) => ({ ...b, name: 42 }),
        (b) => ({ ...b, spec: { ...(typeof b['spec'] === 'object' ? b['spec'] : {}), surprise: 1 } }),
        (b) => ({ kind: b['kind'], spec: b['spec'] }),
        (b) => [b],
        () => null,
      )
      .map((breakIt) => breakIt(body)),
  );

interface BadRequest {
  method: string;
  path: string;
  body?: string;
  contentType?: string;
  headers?: Record<string, string>;
}

const json = (v: unknown) => JSON.stringify(v);
const id = fc.oneof(
  fc.uuid(),
  nasty.map(encodeURIComponent),
  fc.constant('00000000-0000-0000-0000-000000000000'),
);

function badRequests(): fc.Arbitrary<BadRequest> {
  return fc.oneof(
    brokenPolicy.map((b) => ({ method: 'POST', path: '/v1/policies', body: json(b) })),
    brokenPolicy.map((b) => ({ method: 'POST', path: '/v1/policies?dryRun=true', body: json(b) })),
    brokenPolicy.map((b) => ({
      method: 'PUT',
      path: `/v1/policies/${policyId}`,
      body: json(b),
      headers: { 'if-match': '1' },
    })),
    fc.string().map((s) => ({ method: 'POST', path: '/v1/policies', body: `{${s}` })),
    anyJson.map((b) => ({ method: 'POST', path: '/v1/policies', body: json(b), contentType: 'text/html' })),
    fc.constant({ method: 'POST', path: '/v1/policies', body: 'x'.repeat(1_100_000) }),
    nasty.map((s) => ({
      method: 'PUT',
      path: `/v1/policies/${policyId}`,
      body: json({
        name: 'reviews-timeout',
        kind: 'Timeout',
        target: { namespace: 'shop', service: 'reviews' },
        spec: { timeout: '2s' },
      }),
      headers: { 'if-match': s.replace(/[^\x20-\x7e]/g, '') || 'x' },
    })),
    fc
      .nat({ max: 1000 })
      .filter((n) => n !== 1)
      .map((n) => ({
        method: 'PUT',
        path: `/v1/policies/${policyId}`,
        body: json({
          name: 'reviews-timeout',
          kind: 'Timeout',
          target: { namespace: 'shop', service: 'reviews' },
          spec: { timeout: '3s' },
        }),
        headers: { 'if-match': String(n) },
      })),
    id.map((i) => ({ method: 'GET', path: `/v1/policies/${i}` })),
    id.map((i) => ({ method: 'DELETE', path: `/v1/policies/${i}` })),
    id.map((i) => ({ method: 'GET', path: `/v1/services/${i}/config` })),
    id.map((i) => ({ method: 'DELETE', path: `/v1/tokens/${i}` })),
    fc.record({ limit: nasty, cursor: nasty }).map((q) => ({
      method: 'GET',
      path: `/v1/policies?limit=${encodeURIComponent(q.limit)}&cursor=${encodeURIComponent(q.cursor)}&kind=x`,
    })),
    fc.record({ since: nasty, limit: nasty }).map((q) => ({
      method: 'GET',
      path: `/v1/audit?since=${encodeURIComponent(q.since)}&limit=${encodeURIComponent(q.limit)}&bogus=1`,
    })),
    fc.oneof(nasty, fc.string()).map((y) => ({
      method: 'POST',
      path: '/v1/apply?prune=maybe',
      body: y,
      contentType: 'application/yaml',
    })),
    fc.oneof(nasty, fc.string()).map((y) => ({
      method: 'POST',
      path: '/v1/apply',
      body: `apiVersion: heliomesh.io/v1alpha1\nkind: Timeout\nmetadata: {name: ${y}}\nspec: [${y}]`,
      contentType: 'application/yaml',
    })),
    anyJson.map((b) => ({ method: 'POST', path: '/v1/tenants', body: json(b) })),
    anyJson.map((b) => ({ method: 'POST', path: '/v1/tokens', body: json(b) })),
    anyJson.map((b) => ({ method: 'POST', path: '/v1/clusters', body: json(b) })),
    anyJson.map((b) => ({ method: 'POST', path: '/v1/namespaces', body: json(b) })),
    nasty.map((s) => ({
      method: 'GET',
      path: '/v1/policies',
      headers: { 'x-heliomesh-tenant': s.replace(/[^\x20-\x7e]/g, '') || 'x' },
    })),
    fc.constant({ method: 'DELETE', path: `/v1/services/${serviceId}` }),
    fc.constant({ method: 'PATCH', path: `/v1/policies/${policyId}`, body: '{}' }),
  );
}

describe('bad input', () => {
  it('answers 2,000 generated bad requests with 4xx errors and changes nothing', async () => {
    const before = await databaseDigest(p.db.url);
    const requests = fc.sample(badRequests(), { numRuns: 2_000, seed: 20261126 });
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    for (let i = 0; i < requests.length; i += 8) {
      await Promise.all(
        requests.slice(i, i + 8).map(async (r) => {
          const res = await t.operator.request(r.method, r.path, {
            ...(r.body !== undefined
              ? { body: r.body, contentType: r.contentType ?? 'application/json' }
              : {}),
            ...(r.headers ? { headers: r.headers } : {}),
          });
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          const error = (res.body as { error?: { code?: unknown; path?: unknown; message?: unknown } }).error;
          if (
            res.status < 400 ||
            res.status >= 500 ||
            typeof error?.code !== 'string' ||
            typeof error.path !== 'string' ||
            typeof error.message !== 'string'
          ) {
            failures.push(`${r.method} ${r.path.slice(0, 80)} -> ${res.status} ${res.text.slice(0, 200)}`);
          }
        }),
      );
    }
    expect(failures).toEqual([]);
    expect([...statuses.keys()].every((s) => s >= 400 && s < 500)).toBe(true);
    expect(statuses.size).toBeGreaterThanOrEqual(5);
    expect(await databaseDigest(p.db.url)).toEqual(before);
  });
});
