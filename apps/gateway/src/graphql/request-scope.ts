import type { RequestContext } from '@heliomesh/core';
import type { RequestLoaders } from '../loaders/request-loaders.js';

/**
 * One request's (or one subscription connection's) caller and DataLoaders. The caller is
 * authenticated on first use, so fields that need no token (`health`) answer without one.
 */
export class RequestScope {
  private resolved?: Promise<RequestContext>;
  private loaderSet?: RequestLoaders;

  constructor(
    private readonly authenticate: () => Promise<RequestContext>,
    private readonly createLoaders: (scope: RequestScope) => RequestLoaders,
    /**
     * Per HTTP request the caller is resolved once. A subscription connection lives for hours:
     * each new operation re-checks the token (TokenService caches it for seconds), so a revoked
     * token cannot start new subscriptions on an old connection.
     */
    private readonly longLived = false,
  ) {}

  context(): Promise<RequestContext> {
    if (this.longLived) return this.authenticate();
    this.resolved ??= this.authenticate();
    return this.resolved;
  }

  /** Batching loaders; on a long-lived connection they batch but never cache, so data is never stale. */
  get loaders(): RequestLoaders {
    this.loaderSet ??= this.createLoaders(this);
    return this.loaderSet;
  }

  get caches(): boolean {
    return !this.longLived;
  }
}

/** The GraphQL context every resolver receives (`@Context('heliomesh')`). */
export interface GatewayContext {
  heliomesh: RequestScope;
}
