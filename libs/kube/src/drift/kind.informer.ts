import {
  makeInformer,
  type Informer,
  type KubernetesListObject,
  type KubernetesObject,
  type ObjectCache,
} from '@kubernetes/client-node';
import { backoffDelay } from '@heliomesh/util';
import { resourcePath, type ResourceType } from '../client/resource-catalog.service.js';
import type { KubeCluster } from '../cluster/kube-cluster.model.js';
import type { KubeObject } from '../kube.types.js';

export interface KindInformerHandlers {
  upsert(obj: KubeObject): void;
  remove(obj: KubeObject): void;
  error(err: unknown): void;
}

type Cached = Informer<KubernetesObject> & ObjectCache<KubernetesObject>;

/**
 * client-node's informer (list, then watch from the list's resourceVersion; re-watch when the
 * server ends the stream; relist after 410 Gone) plus what it lacks: after any other list or
 * watch error it stops for good, so this restarts it with jittered backoff. Lists go through the
 * cluster's rate-limited client; the long-lived watch itself does not count against the limit.
 */
export class KindInformer {
  private readonly informer: Cached;
  private stopped = true;
  private synced = false;
  private failures = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    cluster: KubeCluster,
    readonly rt: ResourceType,
    readonly namespace: string | undefined,
    labelSelector: string,
    private readonly handlers: KindInformerHandlers,
    private readonly backoff: { base: number; max: number },
  ) {
    const list = async (): Promise<KubernetesListObject<KubernetesObject>> => {
      const res = await cluster.objects.listType(rt, { ...(namespace ? { namespace } : {}), labelSelector });
      this.synced = true;
      this.failures = 0;
      return {
        apiVersion: rt.apiVersion,
        kind: `${rt.kind}List`,
        metadata: { resourceVersion: res.resourceVersion },
        items: res.items as KubernetesObject[],
      };
    };
    this.informer = makeInformer(cluster.kubeConfig, resourcePath(rt, namespace), list, labelSelector);
    this.informer.on('add', (o) => handlers.upsert(this.typed(o)));
    this.informer.on('update', (o) => {
      this.failures = 0;
      handlers.upsert(this.typed(o));
    });
    this.informer.on('delete', (o) => handlers.remove(this.typed(o)));
    this.informer.on('error', (err) => this.onError(err));
  }

  /** Lists (the first time) and starts watching; resolves once the first list is in the cache. */
  async start(): Promise<void> {
    this.stopped = false;
    await this.informer.start();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.informer.stop();
  }

  /** True once a list succeeded and no error is pending: the cache can be trusted. */
  isSynced(): boolean {
    return this.synced && this.timer === undefined;
  }

  get(name: string, namespace?: string): KubeObject | undefined {
    const obj = this.informer.get(name, namespace);
    return obj ? this.typed(obj) : undefined;
  }

  list(): KubeObject[] {
    return this.informer.list().map((o) => this.typed(o));
  }

  private onError(err: unknown): void {
    if (this.stopped) return;
    this.handlers.error(err);
    const delay = Math.max(
      this.backoff.base,
      backoffDelay(this.failures++, this.backoff.base * 2, this.backoff.max),
    );
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.stopped) return;
      this.informer.start().catch((e: unknown) => this.onError(e));
    }, delay);
    this.timer.unref();
  }

  /** Watch events of built-in kinds may lack apiVersion/kind; the cache hands out typed objects. */
  private typed(raw: KubernetesObject): KubeObject {
    // Informer objects are the raw JSON of the list and watch answers, whatever client-node's types say.
    const o = raw as unknown as KubeObject;
    if (o.apiVersion && o.kind) return o;
    return { ...o, apiVersion: o.apiVersion || this.rt.apiVersion, kind: o.kind || this.rt.kind };
  }
}
