import { Inject, Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { DataSource } from 'typeorm';
import {
  type CompiledService,
  loadCompiledServices,
  loadPoliciesByIds,
  loadPoliciesByServiceIds,
  loadPolicyHistories,
  loadRolloutEvents,
  loadServicesByIds,
  NamespaceClaimsService,
  type PolicyRevisionView,
  type PolicyView,
  type RequestContext,
  type RolloutEventsQuery,
  type RolloutEventView,
  type ServiceView,
} from '@heliomesh/core';
import type { EdgeStats, HealthReport, Measurement, ServiceStats, TopologyGraph } from '@heliomesh/metrics';
import type { RequestScope } from '../graphql/request-scope.js';
import { MESH_TELEMETRY, type MeshTelemetry } from '../mesh/mesh-telemetry.types.js';

type BatchRead<T> = (db: DataSource, ctx: RequestContext, ids: readonly string[]) => Promise<Map<string, T>>;

/** A (namespace, window) pair: the collector answers per namespace, so that is what batches. */
export interface MeshKey {
  namespace: string;
  windowSeconds: number;
}
const meshKey = (k: MeshKey) => `${k.namespace}\n${k.windowSeconds}`;

/**
 * Every relation the schema exposes, behind one DataLoader per request: however many services
 * a page holds, their policies cost one statement, their compiled config one compile per
 * cluster, their metrics one collector call per namespace.
 */
export class RequestLoaders {
  readonly services: DataLoader<string, ServiceView | undefined>;
  readonly policies: DataLoader<string, PolicyView | undefined>;
  readonly policiesByService: DataLoader<string, PolicyView[]>;
  readonly policyHistory: DataLoader<string, PolicyRevisionView[]>;
  readonly compiled: DataLoader<string, CompiledService | undefined>;
  readonly serviceStats: DataLoader<MeshKey, Measurement<ServiceStats[]>, string>;
  readonly edges: DataLoader<MeshKey, Measurement<EdgeStats[]>, string>;
  readonly health: DataLoader<MeshKey, Measurement<HealthReport>, string>;
  readonly topology: DataLoader<MeshKey, Measurement<TopologyGraph>, string>;
  private namespaces?: Promise<Set<string>>;
  private readonly eventLoaders = new Map<string, DataLoader<string, RolloutEventView[]>>();

  constructor(
    private readonly deps: LoaderDeps,
    private readonly scope: RequestScope,
  ) {
    this.services = this.byId(loadServicesByIds, undefined);
    this.policies = this.byId(loadPoliciesByIds, undefined);
    this.policiesByService = this.byId(loadPoliciesByServiceIds, []);
    this.policyHistory = this.byId(loadPolicyHistories, []);
    this.compiled = this.byId(loadCompiledServices, undefined);
    const t = deps.telemetry;
    this.serviceStats = this.mesh((k) => t.serviceStats({ namespace: k.namespace }, k.windowSeconds));
    this.edges = this.mesh((k) => t.edges({ namespace: k.namespace }, k.windowSeconds));
    this.health = this.mesh((k) => t.health({ namespace: k.namespace }, k.windowSeconds));
    this.topology = this.mesh((k) => t.topology({ namespace: k.namespace }, k.windowSeconds));
  }

  /** Rollout events by rollout id; one loader (one statement per batch) per distinct query. */
  rolloutEvents(query: RolloutEventsQuery): DataLoader<string, RolloutEventView[]> {
    const key = JSON.stringify([
      query.afterSeq ?? 0,
      query.limit ?? 100,
      query.type ?? '',
      query.newest ?? false,
    ]);
    let loader = this.eventLoaders.get(key);
    if (!loader) {
      loader = this.byId((db, ctx, ids) => loadRolloutEvents(db, ctx, ids, query), []);
      this.eventLoaders.set(key, loader);
    }
    return loader;
  }

  /** The namespaces the caller's tenant has claimed: mesh data outside them is not theirs to see. */
  claimedNamespaces(): Promise<Set<string>> {
    const load = async () => {
      const claims = await this.deps.claims.list(await this.scope.context());
      return new Set(claims.map((c) => c.namespace));
    };
    if (!this.scope.caches) return load();
    this.namespaces ??= load();
    return this.namespaces;
  }

  private byId<T, M extends T | undefined>(read: BatchRead<T>, missing: M): DataLoader<string, T | M> {
    return new DataLoader<string, T | M>(
      async (ids) => {
        const found = await read(this.deps.db, await this.scope.context(), ids);
        return ids.map((id) => found.get(id) ?? missing);
      },
      { cache: this.scope.caches, maxBatchSize: 1_000 },
    );
  }

  private mesh<T>(read: (key: MeshKey) => Promise<T>): DataLoader<MeshKey, T, string> {
    // Telemetry calls never reject (a down collector is a provider-error measurement).
    return new DataLoader<MeshKey, T, string>((keys) => Promise.all(keys.map(read)), {
      cache: this.scope.caches,
      cacheKeyFn: meshKey,
    });
  }
}

export interface LoaderDeps {
  db: DataSource;
  telemetry: MeshTelemetry;
  claims: NamespaceClaimsService;
}

@Injectable()
export class LoaderFactory {
  private readonly deps: LoaderDeps;

  constructor(
    db: DataSource,
    @Inject(MESH_TELEMETRY) telemetry: MeshTelemetry,
    claims: NamespaceClaimsService,
  ) {
    this.deps = { db, telemetry, claims };
  }

  create(scope: RequestScope): RequestLoaders {
    return new RequestLoaders(this.deps, scope);
  }
}
