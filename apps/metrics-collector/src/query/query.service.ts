import { Inject, Injectable } from '@nestjs/common';
import type { CollectorQuery, Measurement } from '@heliomesh/metrics';
import { assertUnreachable } from '@heliomesh/util';
import { METRICS_BACKEND, type MetricsBackend } from '../telemetry/metrics-backend.factory.js';

/** `POST /v1/query`: the `MetricsProvider` interface over HTTP, for canary analysis in the worker. */
@Injectable()
export class QueryService {
  constructor(@Inject(METRICS_BACKEND) private readonly backend: MetricsBackend) {}

  run(q: CollectorQuery): Promise<Measurement<unknown>> {
    const p = this.backend.provider;
    switch (q.method) {
      case 'requestRate':
        return p.requestRate(q.selector, q.windowSeconds);
      case 'requestCount':
        return p.requestCount(q.selector, q.windowSeconds);
      case 'errorCount':
        return p.errorCount(q.selector, q.windowSeconds);
      case 'successRate':
        return p.successRate(q.selector, q.windowSeconds);
      case 'latencyHistogram':
        return p.latencyHistogram(q.selector, q.windowSeconds);
      case 'responseFlags':
        return p.responseFlags(q.selector, q.windowSeconds);
      case 'latencyQuantile':
        return p.latencyQuantile(q.selector, q.q, q.windowSeconds);
      case 'runQuery':
        return p.runQuery(q.promql);
      default:
        return assertUnreachable(q, 'query method');
    }
  }
}
