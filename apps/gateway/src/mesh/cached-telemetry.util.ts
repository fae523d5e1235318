import type { MeshScope } from '@heliomesh/metrics';
import type { MeshTelemetry } from './mesh-telemetry.types.js';

type Method = keyof MeshTelemetry;

/**
 * Shares the collector's answers between requests for `ttlMs`: its figures only move once per
 * scrape (seconds), so a hundred dashboards refreshing at once cost the collector one call per
 * namespace and window, and concurrent requests wait on the same call instead of each making one.
 * Within a request the DataLoaders batch as before; this only spans requests.
 */
export class CachedMeshTelemetry implements MeshTelemetry {
  private readonly entries = new Map<string, { at: number; value: Promise<unknown> }>();

  constructor(
    private readonly inner: MeshTelemetry,
    private readonly ttlMs: number,
    private readonly clock: () => number = Date.now,
  ) {}

  serviceStats(scope: MeshScope, windowSeconds: number) {
    return this.cached('serviceStats', scope, windowSeconds, () =>
      this.inner.serviceStats(scope, windowSeconds),
    );
  }

  edges(scope: MeshScope, windowSeconds: number) {
    return this.cached('edges', scope, windowSeconds, () => this.inner.edges(scope, windowSeconds));
  }

  health(scope: MeshScope, windowSeconds: number) {
    return this.cached('health', scope, windowSeconds, () => this.inner.health(scope, windowSeconds));
  }

  topology(scope: MeshScope, windowSeconds: number) {
    return this.cached('topology', scope, windowSeconds, () => this.inner.topology(scope, windowSeconds));
  }

  private cached<T>(
    method: Method,
    scope: MeshScope,
    windowSeconds: number,
    read: () => Promise<T>,
  ): Promise<T> {
    if (this.ttlMs <= 0) return read();
    const key = `${method}\n${scope.namespace ?? ''}\n${windowSeconds}`;
    const now = this.clock();
    const hit = this.entries.get(key);
    if (hit && now - hit.at < this.ttlMs) return hit.value as Promise<T>;
    // Answers never reject (a collector that is down is a provider-error measurement), but an
    // unexpected rejection must not stay cached.
    const value = read();
    value.catch(() => this.entries.delete(key));
    this.entries.set(key, { at: now, value });
    if (this.entries.size > 1_000) this.evict(now);
    return value;
  }

  private evict(now: number): void {
    for (const [key, entry] of this.entries) if (now - entry.at >= this.ttlMs) this.entries.delete(key);
  }
}
