import { CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import { loadConfig } from '@heliomesh/config';
import type { RunningService } from '@heliomesh/observability';
import {
  ApiClient,
  createTestDatabase,
  eventually,
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
import { policyApiEnv } from '../src/config.js';
import { startPolicyApi } from '../src/policy-api.bootstrap.js';

/**
 * The whole write path on one machine: the Kubernetes sandbox with the demo shop deployed, a
 * fresh database, the policy API in-process and the rollout worker as a real child process.
 */
export interface Platform {
  sandbox: KubeSim;
  db: TestDatabase;
  api: RunningService;
  worker: SpawnedProcess;
  admin: ApiClient;
  adminToken: string;
  queuePrefix: string;
  redisUrl: string;
  istio: CustomObjectsApi;
  /** Another worker process on the same database, Redis and queue prefix (not awaited ready). */
  startWorker(): Promise<SpawnedProcess>;
  stop(): Promise<void>;
}

export async function startPlatform(
  opts: { redisUrl?: string; workerEnv?: Record<string, string> } = {},
): Promise<Platform> {
  const sandbox = await startSandbox();
  await deployTopology(sandbox.kubeconfig, await loadTopologyFile(DEMO_TOPOLOGY));
  const db = await createTestDatabase();
  const adminToken = testAdminToken();
  const queuePrefix = uniqueQueuePrefix('e2e');
  const redisUrl = opts.redisUrl ?? TEST_REDIS_URL;
  const env = { DATABASE_URL: db.url, REDIS_URL: redisUrl, QUEUE_PREFIX: queuePrefix, LOG_LEVEL: 'warn' };
  const api = await startPolicyApi({
    ...loadConfig(policyApiEnv, { ...env, ADMIN_TOKEN: adminToken, LOG_LEVEL: 'silent' }),
    POLICY_API_PORT: 0,
  });
  const startWorker = async (port?: number) =>
    spawnNode('apps/rollout-worker/dist/main.js', {
      ...env,
      WORKER_PORT: String(port ?? (await freePort())),
      OUTBOX_POLL_MS: '200',
      DISCOVERY_INTERVAL_MS: '3600000',
      ...opts.workerEnv,
    });
  const workerPort = await freePort();
  const worker = await startWorker(workerPort);
  const admin = new ApiClient(api.url, adminToken);
  // The admin token is registered once the database is reachable; the worker relays once it is ready.
  await eventually(async () => (await admin.get('/v1/tenants')).status === 200, 30_000);
  await eventually(
    async () => (await fetch(`http://127.0.0.1:${workerPort}/readyz`).catch(() => undefined))?.ok,
    30_000,
  );
  const kc = new KubeConfig();
  kc.loadFromString(sandbox.kubeconfig);
  return {
    sandbox,
    db,
    api,
    worker,
    admin,
    adminToken,
    queuePrefix,
    redisUrl,
    istio: kc.makeApiClient(CustomObjectsApi),
    startWorker: () => startWorker(),
    async stop() {
      worker.child.kill('SIGTERM');
      await worker.exited;
      await api.close();
      await sandbox.stop();
      await db.drop();
    },
  };
}

export interface VirtualServiceLike {
  metadata: { name: string; resourceVersion?: string; labels?: Record<string, string> };
  spec: {
    http?: Array<{ route?: Array<{ destination: { subset?: string }; weight?: number }>; match?: unknown[] }>;
  };
}

export async function getVirtualService(
  p: Platform,
  namespace: string,
  name: string,
): Promise<VirtualServiceLike | undefined> {
  try {
    return (await p.istio.getNamespacedCustomObject({
      group: 'networking.istio.io',
      version: 'v1',
      namespace,
      plural: 'virtualservices',
      name,
    })) as VirtualServiceLike;
  } catch {
    return undefined;
  }
}

/** The weights of the last (default) route, by subset. */
export function defaultWeights(vs: VirtualServiceLike | undefined): Record<string, number> | undefined {
  const route = vs?.spec.http?.at(-1)?.route;
  return route && Object.fromEntries(route.map((r) => [r.destination.subset ?? '', r.weight ?? 100]));
}
