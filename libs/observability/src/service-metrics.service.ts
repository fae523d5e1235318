import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

const PENDING_MAX = 256;

/** A fixed-size queue of served requests (parallel arrays: no object per request). */
class PendingHttpRequests {
  private readonly methods: string[] = new Array<string>(PENDING_MAX);
  private readonly routes: string[] = new Array<string>(PENDING_MAX);
  private readonly statuses = new Uint16Array(PENDING_MAX);
  private readonly seconds = new Float64Array(PENDING_MAX);
  private size = 0;

  /** Queues a request; true when the queue is full and must be drained. */
  push(method: string, route: string, status: number, seconds: number): boolean {
    const i = this.size++;
    this.methods[i] = method;
    this.routes[i] = route;
    this.statuses[i] = status;
    this.seconds[i] = seconds;
    return this.size === PENDING_MAX;
  }

  drain(record: (method: string, route: string, status: number, seconds: number) => void): void {
    const size = this.size;
    this.size = 0;
    for (let i = 0; i < size; i++)
      record(this.methods[i]!, this.routes[i]!, this.statuses[i]!, this.seconds[i]!);
  }
}

/**
 * One registry per process: default process metrics plus request and job counters and
 * latency histograms. Names follow Prometheus conventions (base units, `_total` counters).
 */
export class ServiceMetrics {
  readonly registry = new Registry();

  /** Requests recorded by recordHttpRequest and not yet counted (see flushHttpRequests). */
  private readonly pending = new PendingHttpRequests();

  readonly httpRequests = new Counter({
    name: 'heliomesh_http_requests_total',
    help: 'HTTP requests served, by method, route pattern and status code.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
    collect: () => this.flushHttpRequests(),
  });

  readonly httpDuration = new Histogram({
    name: 'heliomesh_http_request_duration_seconds',
    help: 'HTTP request latency in seconds, by method and route pattern.',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
    collect: () => this.flushHttpRequests(),
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

  /**
   * Counts a served request in httpRequests and observes its latency in httpDuration. Done one
   * by one on the request path, prom-client's label handling cost a few µs per request; so
   * requests are queued and counted in batches (every PENDING_MAX requests, and whenever either
   * metric is read), which /metrics cannot tell apart from counting each at once.
   */
  recordHttpRequest(method: string, route: string, status: number, seconds: number): void {
    if (this.pending.push(method, route, status, seconds)) this.flushHttpRequests();
  }

  /** Counts the queued requests (prom-client calls it before reading either metric). */
  flushHttpRequests(): void {
    this.pending.drain((method, route, status, seconds) => {
      this.httpRequests.inc({ method, route, status: String(status) });
      this.httpDuration.observe({ method, route }, seconds);
    });
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
