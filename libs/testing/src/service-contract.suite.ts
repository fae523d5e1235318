import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from './free-port.util.js';
import { eventually, spawnNode } from './service-process.util.js';
import { TcpProxy, viaProxy } from './tcp-proxy.util.js';
import {
  createTestDatabase,
  TEST_POSTGRES_URL,
  TEST_REDIS_URL,
  type TestDatabase,
  uniqueQueuePrefix,
} from './test-database.util.js';

export interface StartedService {
  url: string;
  close(): Promise<void>;
}

export interface ServiceUnderTest {
  name: string;
  /** Built entry point, relative to the repository root. */
  entry: string;
  portVariable: string;
  /** Starts the service in-process on an ephemeral port with these connection settings. */
  start(settings: { databaseUrl: string; redisUrl: string; queuePrefix: string }): Promise<StartedService>;
}

interface Readiness {
  status: string;
  checks: Record<string, { status: string; error?: string }>;
}

async function readyz(url: string): Promise<{ code: number; body: Readiness }> {
  const res = await fetch(`${url}/readyz`);
  return { code: res.status, body: (await res.json()) as Readiness };
}

/**
 * What every Heliomesh service promises operations: it refuses bad configuration at once with
 * one line, reports readiness from live dependency checks and recovers by itself, serves
 * Prometheus metrics, tags responses with a request id, and exits 0 on SIGTERM.
 */
export function describeServiceContract(svc: ServiceUnderTest): void {
  describe(`${svc.name}: configuration`, () => {
    it.each([
      ['DATABASE_URL', 'mysql://root@127.0.0.1/heliomesh', 'a postgres:// URL'],
      ['REDIS_URL', '127.0.0.1:6379', 'a redis:// URL'],
      [svc.portVariable, '99999', 'a TCP port number between 1 and 65535'],
    ])(
      'exits non-zero within 1 s when %s=%s, naming the variable and the form',
      async (variable, value, form) => {
        const result = await spawnNode(svc.entry, { [variable]: value }).exited;
        expect(result.code).not.toBe(0);
        expect(result.elapsedMs).toBeLessThan(1_000);
        const lines = result.stderr.trim().split('\n');
        expect(lines).toHaveLength(1);
        expect(lines[0]).toContain(`Invalid configuration: ${variable} must be ${form}`);
      },
    );
  });

  describe(`${svc.name}: health, readiness and metrics`, () => {
    let db: TestDatabase;
    const pgProxy = new TcpProxy(
      new URL(TEST_POSTGRES_URL).hostname,
      Number(new URL(TEST_POSTGRES_URL).port || 5432),
    );
    const redisProxy = new TcpProxy(
      new URL(TEST_REDIS_URL).hostname,
      Number(new URL(TEST_REDIS_URL).port || 6379),
    );
    let service: StartedService;

    beforeAll(async () => {
      db = await createTestDatabase();
      await pgProxy.start();
      await redisProxy.start();
      service = await svc.start({
        databaseUrl: viaProxy(db.url, pgProxy),
        redisUrl: viaProxy(TEST_REDIS_URL, redisProxy),
        queuePrefix: uniqueQueuePrefix(svc.name),
      });
    });

    afterAll(async () => {
      await service?.close();
      await pgProxy.cut();
      await redisProxy.cut();
      await db?.drop();
    });

    it('answers /healthz and becomes ready once Postgres and Redis answer', async () => {
      const health = await fetch(`${service.url}/healthz`);
      expect(health.status).toBe(200);
      const ready = await eventually(async () => {
        const r = await readyz(service.url);
        return r.code === 200 && r;
      });
      expect(ready.body.checks).toMatchObject({ postgres: { status: 'up' }, redis: { status: 'up' } });
    });

    it('reports 503 naming Postgres while it is unreachable, and recovers without a restart', async () => {
      await pgProxy.cut();
      const down = await eventually(async () => {
        const r = await readyz(service.url);
        return r.code === 503 && r;
      });
      expect(down.body.checks['postgres']).toMatchObject({ status: 'down' });
      expect(down.body.checks['redis']).toMatchObject({ status: 'up' });
      await pgProxy.restore();
      await eventually(async () => (await readyz(service.url)).code === 200, 15_000);
    });

    it('reports 503 naming Redis while it is unreachable, and recovers without a restart', async () => {
      await redisProxy.cut();
      const down = await eventually(async () => {
        const r = await readyz(service.url);
        return r.code === 503 && r;
      });
      expect(down.body.checks['redis']).toMatchObject({ status: 'down' });
      expect(down.body.checks['postgres']).toMatchObject({ status: 'up' });
      await redisProxy.restore();
      await eventually(async () => (await readyz(service.url)).code === 200, 15_000);
    });

    it('serves Prometheus metrics with process metrics and request counters', async () => {
      await fetch(`${service.url}/healthz`);
      expect((await fetch(`${service.url}/no-such-route`)).status).toBe(404);
      const res = await fetch(`${service.url}/metrics`);
      expect(res.headers.get('content-type')).toContain('text/plain');
      const text = await res.text();
      expect(text).toContain('process_cpu_seconds_total');
      expect(text).toMatch(
        new RegExp(
          `heliomesh_http_requests_total\\{method="GET",route="/healthz",status="200",service="${svc.name}"\\} \\d+`,
        ),
      );
      // Each request is counted once, under its route's pattern or as unmatched.
      const count = async (route: string, status: number) => {
        const m = new RegExp(
          `heliomesh_http_requests_total\\{method="GET",route="${route}",status="${status}",service="${svc.name}"\\} (\\d+)`,
        ).exec(await (await fetch(`${service.url}/metrics`)).text());
        return Number(m?.[1] ?? 0);
      };
      const [healthz, unmatched] = [await count('/healthz', 200), await count('unmatched', 404)];
      await fetch(`${service.url}/healthz`);
      await fetch(`${service.url}/no-such-route`);
      expect([await count('/healthz', 200), await count('unmatched', 404)]).toEqual([
        healthz + 1,
        unmatched + 1,
      ]);
      expect(text).toContain('heliomesh_http_request_duration_seconds_bucket');
    });

    it('keeps a sane caller request id and makes one up otherwise', async () => {
      const kept = await fetch(`${service.url}/healthz`, { headers: { 'x-request-id': 'abc-123' } });
      expect(kept.headers.get('x-request-id')).toBe('abc-123');
      const replaced = await fetch(`${service.url}/healthz`, {
        headers: { 'x-request-id': 'bad id\twith spaces' },
      });
      expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    });
  });

  describe(`${svc.name}: shutdown`, () => {
    it('stops on SIGTERM, closes its connections and exits 0', async () => {
      const db = await createTestDatabase();
      try {
        const port = await freePort();
        const proc = spawnNode(svc.entry, {
          DATABASE_URL: db.url,
          REDIS_URL: TEST_REDIS_URL,
          QUEUE_PREFIX: uniqueQueuePrefix(svc.name),
          [svc.portVariable]: String(port),
          LOG_LEVEL: 'info',
        });
        await proc.waitForOutput(/listening/, 20_000);
        await eventually(async () => (await readyz(`http://127.0.0.1:${port}`)).code === 200, 20_000);
        proc.child.kill('SIGTERM');
        const result = await proc.exited;
        expect(result.code).toBe(0);
        expect(result.stdout).toContain('shutdown complete');
      } finally {
        await db.drop();
      }
    });
  });
}
