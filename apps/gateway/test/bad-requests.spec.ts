import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphqlClient, GraphqlResponse } from './graphql-client.js';
import { type GatewayOnDatabase, startGatewayOnDatabase } from './gateway-platform.js';

let g: GatewayOnDatabase;
let admin: GraphqlClient;

beforeAll(async () => {
  g = await startGatewayOnDatabase({ GRAPHQL_MAX_DEPTH: 8, GRAPHQL_MAX_COST: 5_000 });
  admin = g.admin;
}, 60_000);

afterAll(async () => {
  await g?.stop();
});

/** Every error names a stable code, a status and a JSON path; none is ours unless asked to be. */
function expectClientErrors(res: GraphqlResponse, code?: string): void {
  expect(res.status, res.text).toBeLessThan(500);
  expect(res.errors?.length, res.text).toBeGreaterThan(0);
  for (const e of res.errors!) {
    expect(e.extensions).toMatchObject({
      code: expect.stringMatching(/^[A-Z_]+$/),
      status: expect.any(Number),
      path: expect.stringMatching(/^\$/),
    });
    expect(e.extensions.code).not.toBe('INTERNAL');
  }
  if (code) expect(res.errors![0]!.extensions.code, res.text).toBe(code);
}

describe('requests that cannot run get a 400 with a code, never a crash', () => {
  it.each([
    ['a syntax error', '{ me { actor ', 'GRAPHQL_PARSE_FAILED'],
    ['an unknown field', '{ me { nope } }', 'GRAPHQL_VALIDATION_FAILED'],
    ['a missing required argument', '{ policy { id } }', 'GRAPHQL_VALIDATION_FAILED'],
    ['a wrong literal type', '{ services(first: "many") { nodes { id } } }', 'GRAPHQL_VALIDATION_FAILED'],
  ])('%s', async (_name, query, code) => {
    const res = await admin.query(query);
    expect(res.status).toBe(400);
    expectClientErrors(res, code);
  });

  it('names the variable that is missing or of the wrong type', async () => {
    const q =
      'query($id: ID!, $first: Int) { policy(id: $id) { id } services(first: $first) { nodes { id } } }';
    const missing = await admin.query(q, {});
    expect(missing.status).toBe(400);
    expectClientErrors(missing, 'BAD_USER_INPUT');
    expect(missing.errors![0]!.extensions.path).toBe('$.variables.id');
    const wrong = await admin.query(q, { id: 'x', first: 'ten' });
    expectClientErrors(wrong, 'BAD_USER_INPUT');
    expect(wrong.errors![0]!.extensions.path).toBe('$.variables.first');
    const badDate = await admin.query('query($f: AuditFilter) { auditEvents(filter: $f) { nodes { id } } }', {
      f: { since: 'yesterday' },
    });
    expectClientErrors(badDate, 'BAD_USER_INPUT');
  });

  it('refuses a query nested deeper than the limit, and says what the limit is', async () => {
    const deep = `{ policies { nodes { service { policies { service { policies { service { policies { id } } } } } } } } }`;
    // Twice: the verdict is remembered per parsed document only for documents that passed.
    for (const res of [await admin.query(deep), await admin.query(deep)]) {
      expect(res.status).toBe(400);
      expectClientErrors(res, 'QUERY_TOO_DEEP');
      expect(res.errors![0]!.message).toMatch(/limit is 8/);
    }
  });

  it('refuses a query whose estimated cost is over the limit, counting variables', async () => {
    const q = 'query($n: Int) { services(first: $n) { nodes { policies { history { revision } } } } }';
    const res = await admin.query(q, { n: 400 });
    expect(res.status).toBe(400);
    expectClientErrors(res, 'QUERY_TOO_COSTLY');
    expect((await admin.query(q, { n: 2 })).status).toBe(200);
    // A document with variables is measured on every request, after it once passed too.
    expectClientErrors(await admin.query(q, { n: 400 }), 'QUERY_TOO_COSTLY');
  });

  it('answers malformed bodies, other media types and GET mutations with a code', async () => {
    const bodies: Array<[string, Record<string, string>, string]> = [
      ['{"query": ', {}, 'JSON_MALFORMED'],
      ['{}', {}, 'QUERY_MISSING'],
      ['{ me { actor } }', { 'content-type': 'text/plain' }, 'BODY_INVALID'],
      ['{ me { actor } }', { 'content-type': 'application/xml' }, 'UNSUPPORTED_MEDIA_TYPE'],
      ['[{"query": "{ me { actor } }"}]', {}, 'BODY_INVALID'],
    ];
    for (const [body, headers, code] of bodies) {
      const res = await admin.post(body, headers);
      expectClientErrors(res, code);
    }
    const get = await fetch(
      `${g.gateway.url}/graphql?query=${encodeURIComponent('mutation { revokeToken(id: "x") { id } }')}`,
      {
        headers: { authorization: `Bearer ${g.adminToken}` },
      },
    );
    expect(get.status).toBe(405);
    expect(JSON.parse(await get.text()).errors[0].extensions.code).toBe('METHOD_NOT_ALLOWED');
  });
});

describe('operations that run answer 200 with the REST code in extensions', () => {
  it('without a token, with a malformed one and with an unknown one', async () => {
    for (const [client, code] of [
      [admin.as(undefined), 'AUTH_MISSING'],
      [admin.as('not-a-token'), 'AUTH_INVALID'],
      [admin.as(`hm_${'A'.repeat(43)}`), 'AUTH_INVALID'],
    ] as const) {
      const res = await client.query('{ me { actor } }');
      expect(res.status).toBe(200);
      expectClientErrors(res, code);
      expect(res.errors![0]!.extensions).toMatchObject({ status: 401, path: '$.headers.authorization' });
    }
    expect((await admin.as(undefined).query('{ health { ready } }')).data.health.ready).toBe(true);
  });

  it('asks a platform token to name its tenant, and answers ids that name nothing with NOT_FOUND', async () => {
    const res = await admin.query('{ policies { nodes { id } } }');
    expectClientErrors(res, 'TENANT_REQUIRED');
    expect(res.errors![0]!.extensions.path).toBe('$.headers.x-heliomesh-tenant');
    const unknownTenant = await admin.forTenant('nobody').query('{ me { actor } }');
    expectClientErrors(unknownTenant, 'TENANT_NOT_FOUND');
  });
});

describe('fuzzing the endpoint', () => {
  const fragments = [
    '{',
    '}',
    '(',
    ')',
    'me',
    'services',
    'first:',
    '-1',
    '9999999999',
    '"x"',
    '$v',
    '...',
    'on',
    'Query',
    '@skip',
    'query',
    'mutation',
    'subscription',
    'createPolicy',
    'input:',
    '{name:',
    'null',
    '[',
    ']',
    '\\u0000',
    '#',
  ];
  it('answers 300 random documents, variables and bodies without a 5xx and stays up', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc
            .array(fc.constantFrom(...fragments), { maxLength: 25 })
            .map((parts) => JSON.stringify({ query: parts.join(' ') })),
          fc
            .record({
              query: fc.constant(
                'query($v: Int, $s: String) { services(first: $v, after: $s) { nodes { id } } }',
              ),
              variables: fc.record({ v: fc.jsonValue(), s: fc.jsonValue() }),
            })
            .map((b) => JSON.stringify(b)),
          fc.string({ maxLength: 200 }),
          fc.jsonValue().map((v) => JSON.stringify(v)),
        ),
        async (body) => {
          const res = await admin.forTenant('nobody').post(body);
          expect(res.status, `${body} -> ${res.text}`).toBeLessThan(500);
          if (res.errors)
            for (const e of res.errors) expect(e.extensions.code, res.text).not.toBe('INTERNAL');
        },
      ),
      { numRuns: 300 },
    );
    expect((await admin.query('{ health { ready } }')).data.health.ready).toBe(true);
  });
});

/**
 * Mercurius compiles a query with graphql-jit from its second run on: a repeated query must
 * answer exactly as the first (same status, same error codes and paths, same data).
 */
describe('queries compiled after their first run', () => {
  it.each<[string, () => GraphqlClient, string, Record<string, unknown> | undefined]>([
    ['no token', () => admin.as(undefined), '{ me { actor } }', undefined],
    ['unknown tenant', () => admin.forTenant('nobody'), '{ me { actor } }', undefined],
    ['no tenant named', () => admin, 'query($id: ID!) { policy(id: $id) { id } }', { id: 'x' }],
    ['a bad page size', () => admin, 'query($f: Int) { tenants(first: $f) { nodes { name } } }', { f: 0 }],
    [
      'a variable of the wrong type',
      () => admin,
      'query($f: Int) { tenants(first: $f) { nodes { name createdAt } } }',
      { f: 'x' },
    ],
    [
      'a good query',
      () => admin,
      '{ me { actor role platformToken tenant { name } } clusters { nodes { name } } }',
      undefined,
    ],
  ])('%s', async (_name, client, query, variables) => {
    const runs = [];
    for (let i = 0; i < 3; i++) runs.push(await client().query(query, variables));
    for (const r of runs.slice(1)) {
      expect(r.status).toBe(runs[0]!.status);
      expect(r.data).toEqual(runs[0]!.data);
      expect(r.errors?.map((e) => e.extensions)).toEqual(runs[0]!.errors?.map((e) => e.extensions));
      expect(r.errors?.map((e) => e.path)).toEqual(runs[0]!.errors?.map((e) => e.path));
    }
  });
});
