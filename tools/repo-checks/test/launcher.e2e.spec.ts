import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestDatabase,
  freePort,
  spawnNode,
  type SpawnedProcess,
  type TestDatabase,
  uniqueQueuePrefix,
} from '@heliomesh/testing';

// `npm start` as a newcomer runs it (from the existing build: this project's test target builds
// everything it starts first), on ports and a state directory of its own.
const LAUNCHER = 'tools/launcher/bin/start.mjs';
let db: TestDatabase;
/** A launcher still running when a test failed: stopped (with its services) before the next. */
let running: SpawnedProcess | undefined;

beforeAll(async () => {
  db = await createTestDatabase();
});

afterAll(async () => {
  if (running && running.child.exitCode === null && running.child.signalCode === null) {
    running.child.kill('SIGINT');
    await running.exited;
  }
  await db?.drop();
});

describe('npm start', () => {
  it('exits within 10 s naming the URL and how to start Postgres when it is unreachable', async () => {
    const closed = await freePort();
    const result = await spawnNode(
      LAUNCHER,
      { DATABASE_URL: `postgres://postgres@127.0.0.1:${closed}/heliomesh` },
      ['--no-build'],
    ).exited;
    expect(result.code).toBe(1);
    expect(result.elapsedMs).toBeLessThan(10_000);
    expect(result.stderr).toContain(
      `Cannot reach Postgres at postgres://postgres@127.0.0.1:${closed}/heliomesh`,
    );
    expect(result.stderr).toContain('pg_ctlcluster');
  });

  it('starts the sandbox and the four services within 60 s, seeds the demo tenant, and stops cleanly on Ctrl-C', async () => {
    const ports = {
      POLICY_API_PORT: await freePort(),
      GATEWAY_PORT: await freePort(),
      WORKER_PORT: await freePort(),
      COLLECTOR_PORT: await freePort(),
    };
    const sandboxPorts = { KUBE_SIM_PORT: await freePort(), MESH_SIM_PORT: await freePort() };
    const stateDir = mkdtempSync(join(tmpdir(), 'heliomesh-launcher-'));
    const env = {
      ...Object.fromEntries(Object.entries({ ...ports, ...sandboxPorts }).map(([k, v]) => [k, String(v)])),
      DATABASE_URL: db.url,
      QUEUE_PREFIX: uniqueQueuePrefix('launcher'),
      HELIOMESH_STATE_DIR: stateDir,
    };
    const started = Date.now();
    const launcher = spawnNode(LAUNCHER, env, ['--no-build']);
    running = launcher;
    // The banner's last line: the lines before it (URLs, tokens) may arrive in separate chunks.
    await launcher.waitForOutput(/Press Ctrl-C to stop/, 60_000);
    expect(Date.now() - started).toBeLessThan(60_000);
    for (const port of Object.values(ports))
      expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);

    const { stdout } = launcher.output();
    expect(stdout).toContain(`http://127.0.0.1:${ports.GATEWAY_PORT}/graphql`);
    expect(stdout).toContain(`kube-sim at http://127.0.0.1:${sandboxPorts.KUBE_SIM_PORT}`);
    for (const name of [
      'kube-sim',
      'mesh-sim',
      'policy-api',
      'gateway',
      'rollout-worker',
      'metrics-collector',
    ]) {
      expect(stdout).toMatch(new RegExp(`^${name}\\s*\\| `, 'm'));
    }
    const token = /demo operator token\s+(hm_\S+)/.exec(stdout)?.[1];
    expect(token, `${stdout.slice(-3000)}\n${launcher.output().stderr.slice(-3000)}`).toBeDefined();
    expect(readFileSync(join(stateDir, 'demo-operator-token'), 'utf8').trim()).toBe(token);
    expect(statSync(join(stateDir, 'admin-token')).mode & 0o777).toBe(0o600);
    const services = await fetch(
      `http://127.0.0.1:${ports.POLICY_API_PORT}/v1/services?namespace=shop&limit=100`,
      { headers: { authorization: `Bearer ${token}` } },
    );
    expect(
      ((await services.json()) as { items: Array<{ name: string }> }).items.map((x) => x.name),
    ).toContain('reviews');

    launcher.child.kill('SIGINT');
    const result = await launcher.exited;
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Stopped.');
    expect(result.stdout.match(/shutdown complete/g)).toHaveLength(4);
  });
});
