import { canonicalJson } from '@heliomesh/util';
import { noData, providerError, type Measurement } from '../measurement.types.js';
import type {
  EdgeStats,
  LatencyHistogram,
  MeshScope,
  MeshSelector,
  ServiceStats,
} from '../mesh-query.types.js';
import type { MetricsProvider } from '../metrics-provider.types.js';

/** Answers by method; selector methods are keyed by selector, the rest by scope or query. */
export interface InMemoryAnswers {
  requestRate: Measurement;
  requestCount: Measurement;
  errorCount: Measurement;
  successRate: Measurement;
  latencyQuantile: Measurement;
  latencyHistogram: Measurement<LatencyHistogram>;
  responseFlags: Measurement<Record<string, number>>;
  serviceStats: Measurement<ServiceStats[]>;
  edges: Measurement<EdgeStats[]>;
  runQuery: Measurement;
}

export type InMemoryMethod = keyof InMemoryAnswers;

export interface RecordedCall {
  method: InMemoryMethod;
  /** The selector, scope or PromQL the call was about (and the quantile, if any). */
  subject: unknown;
  window?: number;
}

/**
 * A settable fake for other projects' unit tests: answers what it is told, per method and
 * selector (the window is ignored), `no-data` otherwise; `setOnline(false)` turns every answer
 * into a `PROVIDER_UNREACHABLE` provider error, as a down Prometheus would.
 */
export class InMemoryMetricsProvider implements MetricsProvider {
  readonly name = 'in-memory';
  readonly calls: RecordedCall[] = [];
  private online = true;
  private readonly answers = new Map<string, Measurement<unknown>>();

  setOnline(online: boolean): this {
    this.online = online;
    return this;
  }

  /**
   * Sets the answer for `method` about `subject`: a `MeshSelector` (for `latencyQuantile`,
   * `{ selector, q }`), a `MeshScope`, or the PromQL string for `runQuery`. `'*'` answers any
   * subject that has no answer of its own.
   */
  setAnswer<M extends InMemoryMethod>(method: M, subject: unknown, answer: InMemoryAnswers[M]): this {
    this.answers.set(this.key(method, subject), answer);
    return this;
  }

  private key(method: InMemoryMethod, subject: unknown): string {
    return `${method} ${subject === '*' ? '*' : canonicalJson(subject)}`;
  }

  private answer<M extends InMemoryMethod>(
    method: M,
    subject: unknown,
    window?: number,
  ): Promise<InMemoryAnswers[M]> {
    this.calls.push({ method, subject, ...(window === undefined ? {} : { window }) });
    if (!this.online) {
      return Promise.resolve(
        providerError({
          code: 'PROVIDER_UNREACHABLE',
          provider: this.name,
          message: 'The in-memory metrics provider is set offline.',
        }) as InMemoryAnswers[M],
      );
    }
    const found = this.answers.get(this.key(method, subject)) ?? this.answers.get(this.key(method, '*'));
    return Promise.resolve(
      (found ?? noData(`no answer set for ${method} ${canonicalJson(subject)}`)) as InMemoryAnswers[M],
    );
  }

  isOnline(): Promise<boolean> {
    return Promise.resolve(this.online);
  }

  requestRate(selector: MeshSelector, window: number) {
    return this.answer('requestRate', selector, window);
  }

  requestCount(selector: MeshSelector, window: number) {
    return this.answer('requestCount', selector, window);
  }

  errorCount(selector: MeshSelector, window: number) {
    return this.answer('errorCount', selector, window);
  }

  successRate(selector: MeshSelector, window: number) {
    return this.answer('successRate', selector, window);
  }

  latencyQuantile(selector: MeshSelector, q: number, window: number) {
    return this.answer('latencyQuantile', { selector, q }, window);
  }

  latencyHistogram(selector: MeshSelector, window: number) {
    return this.answer('latencyHistogram', selector, window);
  }

  responseFlags(selector: MeshSelector, window: number) {
    return this.answer('responseFlags', selector, window);
  }

  serviceStats(scope: MeshScope, window: number) {
    return this.answer('serviceStats', scope, window);
  }

  edges(scope: MeshScope, window: number) {
    return this.answer('edges', scope, window);
  }

  runQuery(promql: string) {
    return this.answer('runQuery', promql);
  }
}
