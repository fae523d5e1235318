import { KubeError, isKubeError } from '../errors/kube-error.util.js';
import { isRecord, type KindRef, type KubeObject, type ObjectRef } from '../kube.types.js';
import type { KubeApiClient } from './kube-api.client.js';
import { resourcePath, type ResourceCatalog, type ResourceType } from './resource-catalog.service.js';

export interface ListOptions {
  /** Omit for all namespaces (cluster-wide list). */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Page size (limit/continue); default 500, as kubectl. */
  pageSize?: number;
}

export interface ObjectList {
  items: KubeObject[];
  resourceVersion: string;
}

export interface ApplyCall {
  fieldManager: string;
  force: boolean;
  dryRun?: boolean;
}

export interface DeleteCall {
  /** Delete only this exact object (uid) at this exact version: a changed object answers 409. */
  preconditions?: { uid?: string; resourceVersion?: string };
  propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
  dryRun?: boolean;
}

export type JsonPatchOp =
  | { op: 'remove'; path: string }
  | { op: 'test'; path: string; value: unknown }
  | { op: 'add' | 'replace'; path: string; value: unknown };

/**
 * Single-attempt CRUD on any kind, by apiVersion and kind (resolved through discovery). Retries
 * are the caller's: it knows which operations are safe to repeat and counts the attempts.
 */
export class ObjectClient {
  constructor(
    private readonly api: KubeApiClient,
    readonly catalog: ResourceCatalog,
  ) {}

  resolve(kind: KindRef): Promise<ResourceType> {
    return this.catalog.resolve(kind.apiVersion, kind.kind);
  }

  /** The live object, or undefined when it does not exist. */
  async get(ref: ObjectRef): Promise<KubeObject | undefined> {
    const rt = await this.resolve(ref);
    try {
      const res = await this.api.send<KubeObject>({ method: 'GET', path: objectPath(rt, ref) });
      return withType(res.body, rt);
    } catch (err) {
      if (isKubeError(err, 'KUBE_NOT_FOUND')) return undefined;
      throw err;
    }
  }

  /** Every page of a list; items get their apiVersion and kind (built-in lists omit them). */
  async list(kind: KindRef, opts: ListOptions = {}): Promise<ObjectList> {
    const rt = await this.resolve(kind);
    return this.listType(rt, opts);
  }

  async listType(rt: ResourceType, opts: ListOptions = {}): Promise<ObjectList> {
    const items: KubeObject[] = [];
    let cont: string | undefined;
    let resourceVersion = '';
    do {
      const res = await this.api.send<{
        items?: KubeObject[];
        metadata?: { resourceVersion?: string; continue?: string };
      }>({
        method: 'GET',
        path: resourcePath(rt, opts.namespace),
        query: {
          labelSelector: opts.labelSelector,
          fieldSelector: opts.fieldSelector,
          limit: opts.pageSize ?? 500,
          continue: cont,
        },
      });
      for (const item of res.body.items ?? []) items.push(withType(item, rt));
      resourceVersion = res.body.metadata?.resourceVersion ?? resourceVersion;
      cont = res.body.metadata?.continue || undefined;
    } while (cont);
    return { items, resourceVersion };
  }

  /** Server-side apply; `created` is true when the apply created the object (201). */
  async apply(obj: KubeObject, call: ApplyCall): Promise<{ object: KubeObject; created: boolean }> {
    const rt = await this.resolve(obj);
    const res = await this.api.send<KubeObject>({
      method: 'PATCH',
      path: objectPath(rt, { namespace: obj.metadata.namespace, name: obj.metadata.name }),
      query: { fieldManager: call.fieldManager, force: call.force, dryRun: call.dryRun ? 'All' : undefined },
      contentType: 'application/apply-patch+yaml',
      body: obj,
    });
    return { object: withType(res.body, rt), created: res.status === 201 };
  }

  /** RFC 6902 JSON patch (an Update operation, owned by `fieldManager`). */
  async jsonPatch(ref: ObjectRef, ops: JsonPatchOp[], fieldManager: string): Promise<KubeObject> {
    const rt = await this.resolve(ref);
    const res = await this.api.send<KubeObject>({
      method: 'PATCH',
      path: objectPath(rt, ref),
      query: { fieldManager },
      contentType: 'application/json-patch+json',
      body: ops,
    });
    return withType(res.body, rt);
  }

  /** Deletes an object; false when it was already gone. */
  async delete(ref: ObjectRef, call: DeleteCall = {}): Promise<boolean> {
    const rt = await this.resolve(ref);
    try {
      await this.api.send({
        method: 'DELETE',
        path: objectPath(rt, ref),
        query: { dryRun: call.dryRun ? 'All' : undefined },
        body: {
          kind: 'DeleteOptions',
          apiVersion: 'v1',
          ...(call.preconditions ? { preconditions: call.preconditions } : {}),
          ...(call.propagationPolicy ? { propagationPolicy: call.propagationPolicy } : {}),
        },
      });
      return true;
    } catch (err) {
      if (isKubeError(err, 'KUBE_NOT_FOUND')) return false;
      throw err;
    }
  }
}

/** The URL of one object; a namespaced kind without a namespace is refused rather than guessed. */
function objectPath(rt: ResourceType, ref: { namespace?: string | undefined; name: string }): string {
  if (rt.namespaced && !ref.namespace)
    throw new KubeError({
      code: 'KUBE_OBJECT_INVALID',
      message: `${rt.kind} ${ref.name} is namespaced: set metadata.namespace`,
      path: ['metadata', 'namespace'],
    });
  return resourcePath(rt, rt.namespaced ? ref.namespace : undefined, ref.name);
}

function withType(obj: KubeObject, rt: ResourceType): KubeObject {
  if (!isRecord(obj) || !isRecord(obj['metadata']))
    throw new KubeError({
      code: 'KUBE_SERVER_ERROR',
      message: `the API server answered a ${rt.kind} request with something that is not an object`,
    });
  if (obj.apiVersion && obj.kind) return obj;
  return { ...obj, apiVersion: obj.apiVersion || rt.apiVersion, kind: obj.kind || rt.kind };
}
