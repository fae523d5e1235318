import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * One registry per process: default process metrics plus request and job counters and
 * latency histograms. Names follow Prometheus conventions (base units, `_total` counters).
 */
export class ServiceMetrics {
  readonly registry = new Registry();

  readonly httpRequests = new Counter({
    name: 'heliomesh_http_requests_total',
    help: 'HTTP requests served, by method, route pattern and status code.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });

  readonly httpDuration = new Histogram({
    name: 'heliomesh_http_request_duration_seconds',
    help: 'HTTP request latency in seconds, by method and route pattern.',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly jobs = new Counter({
    name: 'heliomesh_jobs_total',
    help: 'Queue jobs finished, by queue and outcome.',
    labelNames: ['queue', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly jobDuration = new Histogram({
    name: 'heliomesh_job_duration_seconds',
    help: 'Queue job processing time in seconds, by queue.',
    labelNames: ['queue'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  constructor(service: string) {
    this.registry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: this.registry });
  }

  /** Times a job and counts its outcome; rethrows so the queue still sees the failure. */
  async timeJob<T>(queue: string, fn: () => Promise<T>): Promise<T> {
    const stop = this.jobDuration.startTimer({ queue });
    try {
      const result = await fn();
      this.jobs.inc({ queue, outcome: 'completed' });
      return result;
    } catch (err) {
      this.jobs.inc({ queue, outcome: 'failed' });
      throw err;
    } finally {
      stop();
    }
  }
}
