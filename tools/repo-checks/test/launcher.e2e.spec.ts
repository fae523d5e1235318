import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestDatabase,
  freePort,
  spawnNode,
  type TestDatabase,
  uniqueQueuePrefix,
} from '@heliomesh/testing';

// `npm start` as a newcomer runs it (from the existing build: this project's test target builds
// the four apps first), on ports of its own so it can run beside anything else.
const LAUNCHER = 'tools/launcher/bin/start.mjs';
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});

afterAll(async () => {
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

  it('starts all four services ready within 60 s, prefixes their output, and stops them cleanly on Ctrl-C', async () => {
    const ports = {
      POLICY_API_PORT: await freePort(),
      GATEWAY_PORT: await freePort(),
      WORKER_PORT: await freePort(),
      COLLECTOR_PORT: await freePort(),
    };
    const env = {
      ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])),
      DATABASE_URL: db.url,
      QUEUE_PREFIX: uniqueQueuePrefix('launcher'),
    };
    const started = Date.now();
    const launcher = spawnNode(LAUNCHER, env, ['--no-build']);
    await launcher.waitForOutput(/Heliomesh is ready/, 60_000);
    expect(Date.now() - started).toBeLessThan(60_000);
    for (const port of Object.values(ports)) {
      expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
    }
    const { stdout } = launcher.output();
    expect(stdout).toContain(`http://127.0.0.1:${ports.GATEWAY_PORT}/graphql`);
    for (const name of ['policy-api', 'gateway', 'rollout-worker', 'metrics-collector'])
      expect(stdout).toMatch(new RegExp(`^${name}\\s*\\| `, 'm'));

    launcher.child.kill('SIGINT');
    const result = await launcher.exited;
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Stopped.');
    expect(result.stdout.match(/shutdown complete/g)).toHaveLength(4);
  });
});
