import { describe, expect, it } from 'vitest';
import { HealthService } from './health.service.js';
import { ServiceMetrics } from './service-metrics.service.js';

describe('HealthService', () => {
  it('is ready when every check passes, and names each failing dependency with its error', async () => {
    const health = new HealthService();
    health.register({ name: 'postgres', check: async () => undefined });
    expect(await health.readiness()).toEqual({ status: 'ready', checks: { postgres: { status: 'up' } } });
    health.register({ name: 'redis', check: async () => Promise.reject(new Error('ECONNREFUSED')) });
    expect(await health.readiness()).toEqual({
      status: 'not-ready',
      checks: { postgres: { status: 'up' }, redis: { status: 'down', error: 'ECONNREFUSED' } },
    });
  });

  it('fails a check that does not answer in time instead of hanging the probe', async () => {
    const health = new HealthService();
    health.register({ name: 'stuck', check: () => new Promise(() => undefined) });
    const started = Date.now();
    const report = await health.readiness();
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(report.checks['stuck']).toMatchObject({
      status: 'down',
      error: expect.stringContaining('did not answer'),
    });
  });

  it('reports not ready once shutting down', async () => {
    const health = new HealthService();
    health.markShuttingDown();
    expect((await health.readiness()).status).toBe('not-ready');
  });
});

describe('ServiceMetrics', () => {
  it('counts job outcomes and times them, rethrowing failures', async () => {
    const metrics = new ServiceMetrics('test');
    await metrics.timeJob('reconcile', async () => 'done');
    await expect(metrics.timeJob('reconcile', async () => Promise.reject(new Error('boom')))).rejects.toThrow(
      'boom',
    );
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/heliomesh_jobs_total\{queue="reconcile",outcome="completed",service="test"\} 1/);
    expect(text).toMatch(/heliomesh_jobs_total\{queue="reconcile",outcome="failed",service="test"\} 1/);
    expect(text).toMatch(/heliomesh_job_duration_seconds_count\{service="test",queue="reconcile"\} 2/);
  });
});
