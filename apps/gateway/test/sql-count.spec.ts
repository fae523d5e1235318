import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataSource } from 'typeorm';
import { NamespaceClaimsService, TenantsService, TokensService } from '@heliomesh/core';
import type { GraphqlClient } from './graphql-client.js';
import { type GatewayOnDatabase, startGatewayOnDatabase } from './gateway-platform.js';

const SERVICES = 1_000;
const NAMESPACES = 10;

let g: GatewayOnDatabase;
let viewer: GraphqlClient;
const statements: string[] = [];

/** Counts every statement the gateway's connection pool sends (BEGIN, set_config and COMMIT included). */
function countStatements(ds: DataSource): void {
  const logger = ds.logger;
  const original = logger.logQuery.bind(logger);
  logger.logQuery = (query, parameters, runner) => {
    statements.push(query);
    return original(query, parameters, runner);
  };
}

/** Statements that read data, without transaction control and the tenant setting. */
const dataReads = (list: string[]) =>
  list.filter((q) => !/^(START TRANSACTION|COMMIT|ROLLBACK|SELECT set_config)/.test(q));

async function counted<T>(fn: () => Promise<T>): Promise<{ result: T; statements: string[] }> {
  statements.length = 0;
  const result = await fn();
  return { result, statements: [...statements] };
}

beforeAll(async () => {
  g = await startGatewayOnDatabase();
  const admin = await g.adminContext();
  const tenant = await g.gateway.app.get(TenantsService).create(admin, { name: 'bulk' });
  const ds = g.gateway.app.get(DataSource);
  const [cluster] = await ds.query(
    `INSERT INTO clusters (name, connection) VALUES ('bulk', 'sandbox') RETURNING id`,
  );
  for (let n = 0; n < NAMESPACES; n++)
    await g.gateway.app
      .get(NamespaceClaimsService)
      .claim(admin, { tenant: 'bulk', cluster: 'bulk', namespace: `ns${n}` });
  // 1,000 services with two versions and one policy (with its revision) each, written directly:
  // the point is reading them, and going through discovery and policy writes would take minutes.
  await ds.query(
    `INSERT INTO services (tenant_id, cluster_id, namespace, name, ports)
     SELECT $1, $2, 'ns' || (g % ${NAMESPACES}), 'svc-' || lpad(g::text, 4, '0'), '[{"name":"http","port":8080}]'
     FROM generate_series(1, ${SERVICES}) g`,
    [tenant.id, cluster.id],
  );
  await ds.query(
    `INSERT INTO service_versions (service_id, tenant_id, name, labels, pods)
     SELECT s.id, s.tenant_id, v, jsonb_build_object('version', v), 1 FROM services s, unnest(ARRAY['v1', 'v2']) v`,
  );
  await ds.query(
    `INSERT INTO policies (tenant_id, cluster_id, service_id, namespace, name, kind, target, spec, created_by, updated_by)
     SELECT tenant_id, cluster_id, id, namespace, name || '-timeout', 'Timeout',
            jsonb_build_object('namespace', namespace, 'service', name), '{"timeout": "2s"}', 'seed', 'seed'
     FROM services`,
  );
  await ds.query(
    `INSERT INTO policy_revisions (policy_id, revision, tenant_id, change, name, kind, target, spec, actor)
     SELECT id, 1, tenant_id, 'create', name, kind, target, spec, 'seed' FROM policies`,
  );
  const token = await g.gateway.app
    .get(TokensService)
    .create({ ...admin, tenantId: tenant.id }, { name: 'bulk-viewer', role: 'viewer' });
  viewer = g.admin.as(token.secret);
  countStatements(ds);
  // Authenticate once: the token is then cached, and its last-use write is done.
  await viewer.query('{ me { actor } }');
  await new Promise((r) => setTimeout(r, 200));
}, 120_000);

afterAll(async () => {
  await g?.stop();
});

const PAGE = `query($first: Int, $after: String) {
  services(first: $first, after: $after) {
    edges { node { id name namespace versions { name pods } policies { id name kind revision } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

describe('DataLoader: SQL statements do not grow with the number of services', () => {
  it('lists all 1,000 services with their versions and policies in two pages of the same constant cost', async () => {
    await viewer.query(PAGE, { first: 1 });
    const small = await counted(() => viewer.query(PAGE, { first: 5 }));
    expect(small.result.data.services.edges).toHaveLength(5);
    const seen: string[] = [];
    const costs: number[] = [];
    let after: string | null = null;
    do {
      const page = await counted(() => viewer.query(PAGE, { first: 500, after }));
      expect(page.result.errors).toBeUndefined();
      for (const { node } of page.result.data.services.edges) {
        expect(node.versions.map((v: { name: string }) => v.name)).toEqual(['v1', 'v2']);
        expect(node.policies).toEqual([
          expect.objectContaining({ name: `${node.name}-timeout`, kind: 'Timeout' }),
        ]);
        seen.push(node.id);
      }
      costs.push(page.statements.length);
      after = page.result.data.services.pageInfo.hasNextPage
        ? page.result.data.services.pageInfo.endCursor
        : null;
    } while (after);
    expect(new Set(seen).size).toBe(SERVICES);
    expect(costs).toEqual([small.statements.length, small.statements.length]);
    // One transaction for the page and its versions (two reads), one for all their policies (one read).
    expect(dataReads(small.statements)).toHaveLength(3);
    expect(small.statements).toHaveLength(9);
  });

  it('loads policy histories, the target service and compiled config in a fixed number of statements too', async () => {
    const q = `query($first: Int) {
      services(first: $first) { nodes { generatedConfig { host } policies { history { revision } } } }
      policies(first: $first) { nodes { id service { name versions { name } } } }
    }`;
    // The same engine for both counts: Mercurius compiles a query (graphql-jit) after its first run.
    await viewer.query(q, { first: 1 });
    const small = await counted(() => viewer.query(q, { first: 3 }));
    const large = await counted(() => viewer.query(q, { first: 300 }));
    expect(large.result.errors).toBeUndefined();
    expect(large.result.data.services.nodes).toHaveLength(300);
    expect(large.result.data.policies.nodes[299].service.versions).toHaveLength(2);
    expect(large.result.data.services.nodes[0].policies[0].history).toEqual([{ revision: 1 }]);
    expect(large.statements.length).toBe(small.statements.length);
  });
});
