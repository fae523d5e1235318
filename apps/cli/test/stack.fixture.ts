import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createTestDatabase,
  freePort,
  spawnNode,
  type SpawnedProcess,
  type TestDatabase,
  uniqueQueuePrefix,
} from '@heliomesh/testing';

/** `npm start` as a user runs it, on ports, a database, queues and a state directory of its own. */
export interface Stack {
  api: string;
  gateway: string;
  meshSim: string;
  stateDir: string;
  token: string;
  ports: Record<string, string>;
  launcher: SpawnedProcess;
  stop(): Promise<void>;
}

/**
 * Starts the launcher from the existing build (this project's test target builds what it runs).
 * Time runs faster for the demo: mesh-sim simulates `speed` seconds per second and the collector
 * scrapes every 500 ms, so 2 s analysis windows hold enough traffic.
 */
export async function startStack(opts: { speed: number }): Promise<Stack> {
  const db: TestDatabase = await createTestDatabase();
  const ports = {
    POLICY_API_PORT: String(await freePort()),
    GATEWAY_PORT: String(await freePort()),
    WORKER_PORT: String(await freePort()),
    COLLECTOR_PORT: String(await freePort()),
    KUBE_SIM_PORT: String(await freePort()),
    MESH_SIM_PORT: String(await freePort()),
  };
  const stateDir = mkdtempSync(join(tmpdir(), 'heliomesh-cli-stack-'));
  const launcher = spawnNode(
    'tools/launcher/bin/start.mjs',
    {
      ...ports,
      DATABASE_URL: db.url,
      QUEUE_PREFIX: uniqueQueuePrefix('cli'),
      HELIOMESH_STATE_DIR: stateDir,
      MESH_SIM_SPEED: String(opts.speed),
      SCRAPE_INTERVAL_MS: '500',
      ROLLOUT_SWEEP_INTERVAL_MS: '2000',
      LOG_LEVEL: 'warn',
    },
    ['--no-build'],
  );
  const stop = async () => {
    if (launcher.child.exitCode === null && launcher.child.signalCode === null) launcher.child.kill('SIGINT');
    await launcher.exited;
    await db.drop();
  };
  try {
    await launcher.waitForOutput(/Heliomesh is ready/, 150_000);
    return {
      api: `http://127.0.0.1:${ports.POLICY_API_PORT}`,
      gateway: `http://127.0.0.1:${ports.GATEWAY_PORT}`,
      meshSim: `http://127.0.0.1:${ports.MESH_SIM_PORT}`,
      stateDir,
      token: readFileSync(join(stateDir, 'demo-operator-token'), 'utf8').trim(),
      ports,
      launcher,
      stop,
    };
  } catch (err) {
    // Whatever failed after the launcher started, its services must not outlive the test run.
    await stop();
    throw err;
  }
}

/** Simulated milliseconds mesh-sim has run. */
export async function simulatedMs(stack: Stack): Promise<number> {
  const stats = (await (await fetch(`${stack.meshSim}/stats`)).json()) as { simTimeMs: number };
  return stats.simTimeMs;
}
