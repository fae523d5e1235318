import type { ObjectService, Propagation } from '../api/object.service.js';
import type { KubeObject, JsonObject } from '../api/object.types.js';
import { KubeStatusError } from '../api/status.util.js';
import type { ApiDeps, Target, WriteOptions } from '../api/write.types.js';
import type { ResourceType } from '../registry/resource-type.types.js';

/**
 * How the in-process controllers read and write: through the same use cases as clients (so
 * validation, managedFields and watch events behave alike), under their own field manager, and
 * never subject to injected faults.
 */
export class SystemClient {
  constructor(
    readonly deps: ApiDeps,
    private readonly objects: ObjectService,
  ) {}

  type(key: string): ResourceType | undefined {
    return this.deps.registry.byKey(key);
  }

  private target(
    key: string,
    namespace: string | undefined,
    name: string,
    subresource: Target['subresource'] = '',
  ): Target {
    const rt = this.deps.registry.byKey(key);
    if (!rt) throw new Error(`unknown resource ${key}`);
    return { rt, version: rt.storageVersion, namespace: namespace ?? '', name, subresource };
  }

  private opts(manager: string): WriteOptions {
    return { dryRun: false, fieldManager: manager, fieldValidation: 'Ignore', warnings: [] };
  }

  get(key: string, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.deps.store.get(key, namespace, name);
  }

  list(key: string, namespace?: string): KubeObject[] {
    return this.deps.store.list(key, namespace);
  }

  create(key: string, namespace: string | undefined, obj: JsonObject, manager: string): KubeObject {
    return this.objects.create(this.target(key, namespace, ''), obj, this.opts(manager)).object;
  }

  /** Writes a new version of `obj`, guarded by its resourceVersion; undefined on a lost race. */
  update(
    key: string,
    obj: KubeObject,
    manager: string,
    subresource: Target['subresource'] = '',
  ): KubeObject | undefined {
    try {
      return this.objects.update(
        this.target(key, obj.metadata.namespace, obj.metadata.name, subresource),
        obj,
        this.opts(manager),
      ).object;
    } catch (err) {
      if (err instanceof KubeStatusError && (err.status === 409 || err.status === 404)) return undefined;
      throw err;
    }
  }

  delete(key: string, obj: KubeObject, propagation: Propagation = 'Background'): void {
    const live = this.deps.store.get(key, obj.metadata.namespace, obj.metadata.name);
    if (!live || live.metadata.uid !== obj.metadata.uid) return;
    this.objects.deleteObject(
      this.target(key, obj.metadata.namespace, obj.metadata.name),
      live,
      propagation,
      false,
    );
  }

  /** Removes one finalizer (the object goes away when it was the last one and deletion was requested). */
  removeFinalizer(key: string, obj: KubeObject, finalizer: string, manager: string): void {
    const live = this.deps.store.get(key, obj.metadata.namespace, obj.metadata.name);
    if (!live) return;
    const finalizers = Array.isArray(live.metadata['finalizers'])
      ? live.metadata['finalizers'].map(String)
      : [];
    if (!finalizers.includes(finalizer)) return;
    const next = {
      ...live,
      metadata: { ...live.metadata, finalizers: finalizers.filter((f) => f !== finalizer) },
    } as KubeObject;
    this.update(key, next, manager);
  }
}
