import { applyJsonPatch } from '../patch/json-patch.util.js';
import { applyMergePatch } from '../patch/merge-patch.util.js';
import { commitObject } from './commit.util.js';
import type { ObjectService } from './object.service.js';
import {
  getPath,
  isJsonObject,
  metaOf,
  type JsonObject,
  type JsonValue,
  type KubeObject,
} from './object.types.js';
import { badRequest, conflict } from './status.util.js';
import type { PatchType } from './patch.service.js';
import type { ApiDeps, Target, WriteOptions } from './write.types.js';

function pathKeys(jsonPath: string): string[] {
  return jsonPath.replace(/^\./, '').split('.').filter(Boolean);
}

/** The autoscaling/v1 Scale view of a Deployment, ReplicaSet or scalable custom resource. */
export function toScale(target: Target, obj: KubeObject): JsonObject {
  const scale = target.rt.scale!;
  const selector = scale.labelSelectorPath ? getPath(obj, pathKeys(scale.labelSelectorPath)) : undefined;
  const matchLabels = getPath(obj, ['spec', 'selector', 'matchLabels']);
  const selectorText =
    typeof selector === 'string'
      ? selector
      : isJsonObject(matchLabels)
        ? Object.entries(matchLabels)
            .map(([k, v]) => `${k}=${String(v)}`)
            .join(',')
        : '';
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: obj.metadata.name,
      ...(obj.metadata.namespace ? { namespace: obj.metadata.namespace } : {}),
      uid: obj.metadata.uid,
      resourceVersion: obj.metadata.resourceVersion,
      creationTimestamp: obj.metadata.creationTimestamp,
    },
    spec: { replicas: Number(getPath(obj, pathKeys(scale.specReplicasPath)) ?? 0) },
    status: {
      replicas: Number(getPath(obj, pathKeys(scale.statusReplicasPath)) ?? 0),
      selector: selectorText,
    },
  };
}

function setPath(obj: JsonObject, keys: string[], value: JsonValue): void {
  let cur = obj;
  for (const k of keys.slice(0, -1)) {
    if (!isJsonObject(cur[k])) cur[k] = {};
    cur = cur[k] as JsonObject;
  }
  cur[keys[keys.length - 1]!] = value;
}

/** GET, PUT and PATCH of `/scale`: reads and writes the parent's replica count. */
export class ScaleService {
  constructor(
    private readonly deps: ApiDeps,
    private readonly objects: ObjectService,
  ) {}

  get(target: Target): JsonObject {
    return toScale(target, this.objects.getStored(target));
  }

  update(target: Target, body: unknown, opts: WriteOptions): JsonObject {
    if (!isJsonObject(body as JsonValue)) throw badRequest('Scale body must be an object');
    const old = this.objects.getStored(target);
    const rv = metaOf(body as JsonObject)['resourceVersion'];
    if (typeof rv === 'string' && rv !== '' && rv !== old.metadata.resourceVersion)
      throw conflict({ group: target.rt.group, kind: target.rt.plural, name: target.name });
    const replicas = getPath(body as JsonValue, ['spec', 'replicas']);
    const next = structuredClone(old) as JsonObject;
    setPath(next, pathKeys(target.rt.scale!.specReplicasPath), typeof replicas === 'number' ? replicas : 0);
    const result = commitObject(this.deps, { ...target, subresource: '' }, next, old, opts, {
      kind: 'update',
    });
    return toScale(target, result.object);
  }

  patch(target: Target, type: PatchType, raw: string, opts: WriteOptions): JsonObject {
    const current = this.get(target);
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch (err) {
      throw badRequest(`error decoding patch: ${err instanceof Error ? err.message : String(err)}`);
    }
    const patched =
      type === 'json' ? applyJsonPatch(current, body) : applyMergePatch(current, body as JsonValue);
    return this.update(target, patched, opts);
  }
}
