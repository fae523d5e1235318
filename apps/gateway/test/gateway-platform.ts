import { TokenService } from '@heliomesh/auth';
import { loadConfig } from '@heliomesh/config';
import {
  ClustersService,
  NamespaceClaimsService,
  type RequestContext,
  ServicesService,
  TenantsService,
  TokensService,
} from '@heliomesh/core';
import { DatabaseConnector } from '@heliomesh/db';
import type { RunningService } from '@heliomesh/observability';
import {
  createTestDatabase,
  DEMO_TOPOLOGY,
  deployTopology,
  freePort,
  type KubeSim,
  loadTopologyFile,
  spawnNode,
  type SpawnedProcess,
  startSandbox,
  TEST_REDIS_URL,
  type TestDatabase,
  testAdminToken,
  uniqueQueuePrefix,
} from '@heliomesh/testing';
import { GatewayAuth } from '../src/auth/gateway-auth.service.js';
import { gatewayEnv, type GatewayConfig } from '../src/config.js';
import { startGateway } from '../src/gateway.bootstrap.js';
import { GraphqlClient } from './graphql-client.js';

/**
 * The GraphQL gateway on one machine: the Kubernetes sandbox with the demo shop deployed, a
 * fresh database, the gateway in-process and, when asked, the rollout worker as a real child
 * process (it applies what the mutations store). Tenants, clusters and claims are set up through
 * the same use cases the REST API calls, since the gateway does not administer them.
 */
export interface GatewayPlatform {
  sandbox: KubeSim;
  db: TestDatabase;
  gateway: RunningService;
  worker?: SpawnedProcess;
  adminToken: string;
  admin: GraphqlClient;
  queuePrefix: string;
  env: Record<string, string>;
  /** Another gateway replica on the same database and Redis (for cross-replica tests). */
  startReplica(extra?: Partial<GatewayConfig>): Promise<RunningService>;
  stop(): Promise<void>;
}

export interface PlatformOptions {
  worker?: boolean;
  workerEnv?: Record<string, string>;
  gateway?: Partial<GatewayConfig>;
}

export async function startGatewayPlatform(opts: PlatformOptions = {}): Promise<GatewayPlatform> {
  const sandbox = await startSandbox();
  await deployTopology(sandbox.kubeconfig, await loadTopologyFile(DEMO_TOPOLOGY));
  const db = await createTestDatabase();
  const adminToken = testAdminToken();
  const queuePrefix = uniqueQueuePrefix('gql');
  const env = {
    DATABASE_URL: db.url,
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: queuePrefix,
    LOG_LEVEL: 'warn',
  };
  const config = (extra: Partial<GatewayConfig> = {}): GatewayConfig => ({
    ...loadConfig(gatewayEnv, { ...env, LOG_LEVEL: 'silent' }),
    GATEWAY_PORT: 0,
    AUDIT_POLL_MS: 100,
    HEALTH_POLL_MS: 200,
    ...opts.gateway,
    ...extra,
  });
  const gateway = await startGateway(config());
  await gateway.app.get(DatabaseConnector).ready();
  await gateway.app.get(TokenService).ensureBootstrapAdmin(adminToken);
  const worker = opts.worker
    ? spawnNode('apps/rollout-worker/dist/main.js', {
        ...env,
        WORKER_PORT: String(await freePort()),
        OUTBOX_POLL_MS: '200',
        DISCOVERY_INTERVAL_MS: '3600000',
        ...opts.workerEnv,
      })
    : undefined;
  const replicas: RunningService[] = [];
  return {
    sandbox,
    db,
    gateway,
    ...(worker ? { worker } : {}),
    adminToken,
    admin: new GraphqlClient(gateway.url, adminToken),
    queuePrefix,
    env,
    async startReplica(extra) {
      const replica = await startGateway(config({ ...extra, DB_MIGRATE_ON_START: false }));
      await replica.app.get(DatabaseConnector).ready();
      replicas.push(replica);
      return replica;
    },
    async stop() {
      if (worker) {
        worker.child.kill('SIGTERM');
        await worker.exited;
      }
      for (const r of replicas) await r.close();
      await gateway.close();
      await sandbox.stop();
      await db.drop();
    },
  };
}

export interface GatewayOnDatabase {
  db: TestDatabase;
  gateway: RunningService;
  adminToken: string;
  admin: GraphqlClient;
  /** The platform admin's request context, for setting up data through the use cases. */
  adminContext(): Promise<RequestContext>;
  stop(): Promise<void>;
}

/** The gateway on a fresh database only (no sandbox, no worker): for tests that need no cluster. */
export async function startGatewayOnDatabase(extra: Partial<GatewayConfig> = {}): Promise<GatewayOnDatabase> {
  const db = await createTestDatabase();
  const adminToken = testAdminToken();
  const gateway = await startGateway({
    ...loadConfig(gatewayEnv, {
      DATABASE_URL: db.url,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: uniqueQueuePrefix('gql'),
      LOG_LEVEL: 'silent',
    }),
    GATEWAY_PORT: 0,
    ...extra,
  });
  await gateway.app.get(DatabaseConnector).ready();
  await gateway.app.get(TokenService).ensureBootstrapAdmin(adminToken);
  return {
    db,
    gateway,
    adminToken,
    admin: new GraphqlClient(gateway.url, adminToken),
    adminContext: () =>
      gateway.app.get(GatewayAuth).resolve({ authorization: `Bearer ${adminToken}`, requestId: 'setup' }),
    async stop() {
      await gateway.close();
      await db.drop();
    },
  };
}

export interface TenantSetup {
  tenant: { id: string; name: string };
  operator: GraphqlClient;
  viewer: GraphqlClient;
  admin: GraphqlClient;
  tokenIds: { operator: string; viewer: string; admin: string };
}

/** The use cases, as the platform admin: register the sandbox once, create a tenant, claim, sync. */
export async function setUpTenant(
  p: GatewayPlatform,
  opts: { tenant: string; namespaces: string[] },
): Promise<TenantSetup> {
  const get = <T>(cls: new (...args: never[]) => T) => p.gateway.app.get(cls);
  const admin = await get(GatewayAuth).resolve({
    authorization: `Bearer ${p.adminToken}`,
    requestId: 'setup',
  });
  const clusters = await get(ClustersService).list(admin);
  if (!clusters.some((c) => c.name === 'sandbox'))
    await get(ClustersService).register(admin, {
      name: 'sandbox',
      connection: 'sandbox',
      kubeconfig: p.sandbox.kubeconfig,
    });
  const tenant = await get(TenantsService).create(admin, { name: opts.tenant });
  for (const namespace of opts.namespaces)
    await get(NamespaceClaimsService).claim(admin, { tenant: opts.tenant, cluster: 'sandbox', namespace });
  const scoped: RequestContext = { ...admin, tenantId: tenant.id };
  const token = (role: 'operator' | 'viewer' | 'admin') =>
    get(TokensService).create(scoped, { name: `${opts.tenant}-${role}`, role });
  const [operator, viewer, tenantAdmin] = [
    await token('operator'),
    await token('viewer'),
    await token('admin'),
  ];
  await get(ServicesService).syncNow({ ...scoped, auth: { ...admin.auth } });
  return {
    tenant: { id: tenant.id, name: tenant.name },
    operator: p.admin.as(operator.secret),
    viewer: p.admin.as(viewer.secret),
    admin: p.admin.as(tenantAdmin.secret),
    tokenIds: { operator: operator.token.id, viewer: viewer.token.id, admin: tenantAdmin.token.id },
  };
}
