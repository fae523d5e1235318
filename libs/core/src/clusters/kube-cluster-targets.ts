import type { ForeignObject, IstioObject, MeshService } from '@heliomesh/istio';
import {
  Applier,
  ClusterRegistry,
  type ClusterSource,
  DriftWatcher,
  GENERATED_KINDS,
  isKubeError,
  type KubeObject,
  MANAGED_BY,
  MANAGED_BY_LABEL,
  Pruner,
  ServiceDiscovery,
} from '@heliomesh/kube';
import type {
  ApplyReport,
  ClusterRecord,
  ClusterTarget,
  ClusterTargets,
  ConnectionReport,
  DriftEvent,
  ObjectRef,
} from './cluster-target.types.js';

function sourceOf(record: ClusterRecord): ClusterSource {
  switch (record.connection) {
    case 'in-cluster':
      return { type: 'in-cluster' };
    case 'sandbox':
      return { type: 'sandbox', kubeconfig: record.kubeconfig ?? '' };
    case 'kubeconfig':
      return {
        type: 'kubeconfig',
        kubeconfig: record.kubeconfig ?? '',
        ...(record.context ? { context: record.context } : {}),
      };
  }
}

/** How stale the view of foreign objects may be; a periodic resync catches a later one. */
const FOREIGN_TTL_MS = 5_000;

const ref = (r: { apiVersion: string; kind: string; namespace?: string; name: string }): ObjectRef => ({
  apiVersion: r.apiVersion,
  kind: r.kind,
  namespace: r.namespace ?? '',
  name: r.name,
});

/**
 * ClusterTargets on real Kubernetes API servers (and the sandbox) through @heliomesh/kube: one
 * registry, so each cluster has one client and one rate limiter for every caller in the process.
 */
export class KubeClusterTargets implements ClusterTargets {
  private readonly registry = new ClusterRegistry();
  private readonly drift = new DriftWatcher(this.registry);
  // While the drift watcher runs for a cluster, its informer cache answers the Applier's reads.
  private readonly applier = new Applier(this.registry, { cache: this.drift });
  private readonly pruner = new Pruner(this.registry);
  private readonly discovery = new ServiceDiscovery(this.registry);
  private readonly foreignCache = new Map<string, { at: number; objects: Promise<ForeignObject[]> }>();

  constructor(
    private readonly limits: { clusterQps: number; clusterBurst: number } = {
      clusterQps: 50,
      clusterBurst: 100,
    },
  ) {}

  target(record: ClusterRecord): ClusterTarget {
    if (!this.registry.has(record.id))
      this.registry.register(record.id, sourceOf(record), { rateLimit: this.rateLimit(record) });
    const id = record.id;
    return {
      testConnection: () => this.testConnection(id),
      discover: (namespaces) => this.discover(id, namespaces),
      apply: (objects) => this.apply(id, objects),
      prune: async (scope, keep) =>
        (
          await this.pruner.prune(
            id,
            scope,
            keep.map((k) => ({ ...k, namespace: k.namespace || undefined })),
          )
        ).deleted.map(ref),
      foreignObjects: (namespace) => this.foreign(id, namespace),
      watchDrift: (onDrift) => this.watchDrift(id, onDrift),
    };
  }

  /**
   * A real API server is shared with everyone else's controllers, so each cluster gets a
   * client-side budget; the sandbox serves only us and gets a generous one.
   */
  private rateLimit(record: ClusterRecord): { qps: number; burst: number } {
    return record.connection === 'sandbox'
      ? { qps: 2_000, burst: 4_000 }
      : { qps: this.limits.clusterQps, burst: this.limits.clusterBurst };
  }

  forget(clusterId: string): void {
    if (this.registry.has(clusterId))
      void this.drift.stop(clusterId).finally(() => this.registry.remove(clusterId));
  }

  async close(): Promise<void> {
    await this.drift.stop();
    await this.registry.close();
  }

  private async testConnection(id: string): Promise<ConnectionReport> {
    const report = await this.registry.testConnection(id);
    return {
      ok: report.ok,
      ...(report.version ? { version: report.version.gitVersion } : {}),
      missingKinds: (report.istio?.kinds ?? [])
        .filter((k) => !k.served)
        .map((k) => `${k.kind}.${k.apiVersion}`),
      ...(report.error ? { error: { code: report.error.code, message: report.error.message } } : {}),
    };
  }

  private async discover(id: string, namespaces: string[]): Promise<MeshService[]> {
    if (namespaces.length === 0) return [];
    const found = await this.discovery.discover(id, { namespaces });
    return found.map((s) => ({
      name: s.name,
      namespace: s.namespace,
      ports: s.ports.map((p) => ({
        ...(p.name ? { name: p.name } : {}),
        port: p.port,
        ...(p.targetPort ? { targetPort: p.targetPort } : {}),
        protocol: p.protocol,
      })),
      versions: s.versions.map((v) => ({ name: v.name, labels: v.labels, pods: v.pods })),
      ...(s.selector ? { selector: s.selector } : {}),
    }));
  }

  private async apply(id: string, objects: IstioObject[]): Promise<ApplyReport> {
    const report = await this.applier.applyAll(id, objects as unknown as KubeObject[]);
    const out: ApplyReport = { applied: [], failed: [] };
    for (const r of report.results) {
      if (r.outcome === 'failed')
        out.failed.push({
          ...ref(r.ref),
          code: r.error?.code ?? 'KUBE_FAILED',
          message: r.error?.message ?? r.reason ?? 'apply failed',
        });
      else out.applied.push({ ...ref(r.ref), outcome: r.outcome });
    }
    return out;
  }

  /**
   * Istio objects in the namespace without our managed-by label: they may claim our hosts. Read
   * at most every FOREIGN_TTL_MS per namespace, so a burst of reconciles costs one list.
   */
  private foreign(id: string, namespace: string): Promise<ForeignObject[]> {
    const key = `${id}/${namespace}`;
    const hit = this.foreignCache.get(key);
    if (hit && Date.now() - hit.at < FOREIGN_TTL_MS) return hit.objects;
    const objects = this.listForeign(id, namespace);
    this.foreignCache.set(key, { at: Date.now(), objects });
    objects.catch(() => this.foreignCache.delete(key));
    return objects;
  }

  private async listForeign(id: string, namespace: string): Promise<ForeignObject[]> {
    const cluster = this.registry.get(id);
    const out: ForeignObject[] = [];
    for (const kind of GENERATED_KINDS.filter(
      (k) => k.kind === 'VirtualService' || k.kind === 'DestinationRule',
    )) {
      try {
        const list = await cluster.objects.list(kind, {
          namespace,
          labelSelector: `${MANAGED_BY_LABEL}!=${MANAGED_BY}`,
        });
        for (const item of list.items)
          out.push({
            apiVersion: item.apiVersion,
            kind: item.kind,
            metadata: {
              name: item.metadata.name,
              namespace: item.metadata.namespace ?? namespace,
              ...(item.metadata.labels ? { labels: item.metadata.labels } : {}),
            },
            spec: (item as { spec?: unknown }).spec,
          });
      } catch (err) {
        // A cluster without Istio serves no such kind: then nothing can claim the host.
        if (!(isKubeError(err) && err.code === 'KUBE_NOT_FOUND')) throw err;
      }
    }
    return out;
  }

  private async watchDrift(id: string, onDrift: (event: DriftEvent) => void): Promise<() => Promise<void>> {
    const off = this.drift.on((e) => {
      if (e.cluster !== id) return;
      onDrift({
        ref: ref(e),
        change: e.change,
        ...(e.tenant ? { tenant: e.tenant } : {}),
        ...(e.service ? { service: e.service } : {}),
      });
    });
    await this.drift.start(id);
    return async () => {
      off();
      await this.drift.stop(id);
    };
  }
}
