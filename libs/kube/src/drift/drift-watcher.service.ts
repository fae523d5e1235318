import { errorMessage } from '@heliomesh/util';
import type { LiveObjectCache } from '../apply/apply.types.js';
import { checkSync } from '../apply/sync-check.util.js';
import type { ClusterRef, ClusterRegistry } from '../cluster/cluster-registry.service.js';
import type { KubeCluster } from '../cluster/kube-cluster.model.js';
import {
  FIELD_MANAGER,
  GENERATED_KINDS,
  MANAGED_BY,
  MANAGED_BY_LABEL,
  SERVICE_LABEL,
  TENANT_LABEL,
  groupOf,
  objectKey,
  refOf,
  type KubeObject,
  type ObjectRef,
} from '../kube.types.js';
import type { DriftChange, DriftEvent, DriftWatcherOptions } from './drift.types.js';
import { EventQueue } from './event-queue.util.js';
import { KindInformer } from './kind.informer.js';

interface Watched {
  cluster: KubeCluster;
  informers: KindInformer[];
  /** key -> resourceVersion last reported, so one change is reported once. */
  reported: Map<string, string>;
}

/**
 * Informers on our managed objects (label app.kubernetes.io/managed-by=heliomesh) that report
 * drift: an object whose live content no longer matches what Heliomesh applied (see
 * sync-check.util.ts), or that was deleted while still desired. The intermediate states of our
 * own multi-step repairs and our own prunes are recognised (see OwnWrites), so our own changes
 * never come back as drift. Also serves as the Applier's live-object cache.
 */
export class DriftWatcher implements LiveObjectCache {
  private readonly watched = new Map<string, Watched>();
  private readonly listeners = new Set<(e: DriftEvent) => void>();
  private readonly queues = new Set<EventQueue<DriftEvent>>();
  private readonly manager: string;

  constructor(
    private readonly registry: ClusterRegistry,
    private readonly options: DriftWatcherOptions = {},
  ) {
    this.manager = options.fieldManager ?? FIELD_MANAGER;
  }

  /**
   * Starts watching a cluster; resolves once every served kind's first list was attempted
   * (isSynced() says whether all succeeded; failed ones keep retrying in the background).
   */
  async start(clusterRef: ClusterRef): Promise<void> {
    const cluster = this.registry.resolve(clusterRef);
    if (this.watched.has(cluster.name)) return;
    const w: Watched = { cluster, informers: [], reported: new Map() };
    this.watched.set(cluster.name, w);
    const selector = `${MANAGED_BY_LABEL}=${MANAGED_BY}`;
    const namespaces = this.options.namespaces?.length ? this.options.namespaces : [undefined];
    for (const kind of this.options.kinds ?? GENERATED_KINDS) {
      const rt = await cluster.objects.catalog.find(kind.apiVersion, kind.kind);
      if (!rt) {
        this.options.onError?.(
          cluster.name,
          kind,
          new Error(`${kind.kind} (${kind.apiVersion}) is not served`),
        );
        continue;
      }
      for (const ns of namespaces)
        w.informers.push(
          new KindInformer(
            cluster,
            rt,
            ns,
            selector,
            {
              upsert: (o) => this.evaluate(w, o),
              remove: (o) => void this.removed(w, o),
              error: (err) => this.options.onError?.(cluster.name, kind, err),
            },
            this.options.restartDelayMs ?? { base: 500, max: 30_000 },
          ),
        );
    }
    await Promise.all(w.informers.map((i) => i.start()));
  }

  async stop(clusterRef?: ClusterRef): Promise<void> {
    const names =
      clusterRef === undefined ? [...this.watched.keys()] : [this.registry.resolve(clusterRef).name];
    for (const name of names) {
      const w = this.watched.get(name);
      if (!w) continue;
      this.watched.delete(name);
      await Promise.all(w.informers.map((i) => i.stop()));
    }
    if (this.watched.size === 0) for (const q of this.queues) q.close();
  }

  /** Subscribes to drift events; returns the unsubscribe function. */
  on(listener: (e: DriftEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Drift events as an async iterator (ends when the watcher stops). */
  events(): AsyncIterableIterator<DriftEvent> {
    const q = new EventQueue<DriftEvent>();
    this.queues.add(q);
    return q;
  }

  lookup(clusterName: string, ref: ObjectRef): KubeObject | undefined {
    const w = this.watched.get(clusterName);
    const informer = w?.informers.find(
      (i) =>
        i.rt.kind === ref.kind &&
        i.rt.group === groupOf(ref.apiVersion) &&
        (i.namespace === undefined || i.namespace === ref.namespace),
    );
    if (!informer?.isSynced()) return undefined;
    return informer.get(ref.name, ref.namespace);
  }

  /** True when every informer of the cluster has listed and none is restarting. */
  isSynced(clusterRef: ClusterRef): boolean {
    const w = this.watched.get(this.registry.resolve(clusterRef).name);
    return !!w && w.informers.every((i) => i.isSynced());
  }

  private evaluate(w: Watched, obj: KubeObject): void {
    const key = objectKey(obj);
    if (w.cluster.ownWrites.isTransient(key, obj.metadata.resourceVersion)) return;
    const state = checkSync(obj, this.manager);
    if (state.inSync) {
      w.reported.delete(key);
      return;
    }
    this.emit(w, obj, 'modified', state.reason ?? 'out of sync', state.editors);
  }

  private async removed(w: Watched, obj: KubeObject): Promise<void> {
    const key = objectKey(obj);
    if (w.cluster.ownWrites.wasDeletedByUs(key)) return;
    const ref = refOf(obj);
    try {
      // A watch with a label selector also says DELETED when the object merely lost our label.
      const still = await w.cluster.objects.get(ref);
      if (still) {
        if (still.metadata.labels?.[MANAGED_BY_LABEL] !== MANAGED_BY)
          this.emit(w, still, 'modified', `it no longer carries ${MANAGED_BY_LABEL}=${MANAGED_BY}`, []);
        return;
      }
      if (this.options.isDesired && !(await this.options.isDesired(w.cluster.name, ref))) return;
    } catch (err) {
      this.options.onError?.(
        w.cluster.name,
        ref,
        new Error(`checking the delete of ${key}: ${errorMessage(err)}`),
      );
    }
    if (w.cluster.ownWrites.wasDeletedByUs(key)) return;
    this.emit(w, obj, 'deleted', 'it was deleted', []);
  }

  private emit(w: Watched, obj: KubeObject, change: DriftChange, reason: string, editors: string[]): void {
    const key = objectKey(obj);
    const rv = `${change}:${obj.metadata.resourceVersion ?? ''}`;
    if (w.reported.get(key) === rv) return;
    // A delete is final: nothing to de-duplicate later, and the map must not grow with every object ever deleted.
    if (change === 'deleted') w.reported.delete(key);
    else w.reported.set(key, rv);
    const labels = obj.metadata.labels ?? {};
    const event: DriftEvent = {
      cluster: w.cluster.name,
      apiVersion: obj.apiVersion,
      kind: obj.kind,
      ...(obj.metadata.namespace ? { namespace: obj.metadata.namespace } : {}),
      name: obj.metadata.name,
      key,
      change,
      ...(labels[TENANT_LABEL] ? { tenant: labels[TENANT_LABEL] } : {}),
      ...(labels[SERVICE_LABEL] ? { service: labels[SERVICE_LABEL] } : {}),
      reason,
      editors,
      ...(obj.metadata.resourceVersion ? { resourceVersion: obj.metadata.resourceVersion } : {}),
      detectedAt: new Date().toISOString(),
    };
    for (const l of this.listeners) l(event);
    for (const q of this.queues) q.push(event);
  }
}
