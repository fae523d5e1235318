import { parse as parseYaml } from 'yaml';
import { parseManagedFields } from '../apply/managed-fields.util.js';
import { serverSideApply } from '../apply/server-side-apply.util.js';
import { applyJsonPatch, JsonPatchError } from '../patch/json-patch.util.js';
import { applyMergePatch } from '../patch/merge-patch.util.js';
import { applyStrategicMergePatch, StrategicPatchError } from '../patch/strategic-merge-patch.util.js';
import { groupVersion } from '../registry/resource-type.types.js';
import { commitObject, presentAs, type CommitResult } from './commit.util.js';
import { decodeObject } from './decode.util.js';
import { ObjectService, ref } from './object.service.js';
import {
  isJsonObject,
  metaOf,
  nowTimestamp,
  type JsonObject,
  type JsonValue,
  type KubeObject,
} from './object.types.js';
import { badRequest, invalid, notFound, unsupportedMediaType, KubeStatusError } from './status.util.js';
import type { ApiDeps, Target, WriteOptions } from './write.types.js';

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

const mediaTypes: Record<string, PatchType> = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
  'application/apply-patch+yaml': 'apply',
  'application/apply-patch+cbor': 'apply',
};

/** Maps a Content-Type to a patch type, answering 415 for unknown ones and SMP on custom resources. */
export function patchTypeOf(contentType: string, builtin: boolean): PatchType {
  const base = contentType.split(';')[0]!.trim().toLowerCase();
  const type = mediaTypes[base];
  const accepted = builtin
    ? [
        'application/json-patch+json',
        'application/merge-patch+json',
        'application/apply-patch+yaml',
        'application/strategic-merge-patch+json',
      ]
    : ['application/json-patch+json', 'application/merge-patch+json', 'application/apply-patch+yaml'];
  if (!type || (type === 'strategic' && !builtin) || base === 'application/apply-patch+cbor')
    throw unsupportedMediaType(accepted);
  return type;
}

function parseBody(raw: string, type: PatchType): unknown {
  try {
    if (type !== 'apply') return JSON.parse(raw);
    // Apply bodies are YAML, but clients almost always send JSON (which is YAML): try that fast path first.
    try {
      return JSON.parse(raw);
    } catch {
      return parseYaml(raw);
    }
  } catch (err) {
    throw badRequest(`error decoding patch: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** What an apply request must satisfy before anything is merged (fieldManager, TypeMeta, name). */
function checkApplyConfig(target: Target, body: unknown, opts: WriteOptions): JsonObject {
  if (!opts.fieldManager)
    throw new KubeStatusError(
      422,
      'Invalid',
      'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
      {
        group: 'meta.k8s.io',
        kind: 'PatchOptions',
        causes: [
          {
            reason: 'FieldValueRequired',
            message: 'Required value: is required for apply patch',
            field: 'fieldManager',
          },
        ],
      },
    );
  if (!isJsonObject(body as JsonValue))
    throw badRequest('error decoding YAML: apply patch body must be an object');
  const config = body as JsonObject;
  const gv = groupVersion(target.rt.group, target.version);
  if (config['apiVersion'] !== gv || (config['kind'] !== target.rt.kind && target.subresource !== 'scale'))
    throw badRequest(
      `the API version in the data (${String(config['apiVersion'] ?? '')}) does not match the expected API version (${gv})`,
    );
  const meta = metaOf(config);
  if (meta['name'] !== target.name)
    throw badRequest(
      `the name of the object (${String(meta['name'] ?? '')}) does not match the name on the URL (${target.name})`,
    );
  if (meta['managedFields'] !== undefined) throw badRequest('metadata.managedFields must be nil');
  return config;
}

export interface PatchRequest {
  type: PatchType;
  raw: string;
  force: boolean;
}

/** PATCH in all four flavours; the result takes the update path (server-side apply may create). */
export class PatchService {
  constructor(
    private readonly deps: ApiDeps,
    private readonly objects: ObjectService,
  ) {}

  patch(target: Target, req: PatchRequest, opts: WriteOptions): CommitResult {
    if (req.force && req.type !== 'apply')
      throw invalid('meta.k8s.io', 'PatchOptions', '', [
        { field: 'force', type: 'FieldValueForbidden', message: 'may not be specified for non-apply patch' },
      ]);
    const body = parseBody(req.raw, req.type);
    if (req.type === 'apply') return this.apply(target, body, req.force, opts);
    const old = this.deps.store.get(target.rt.key, target.namespace || undefined, target.name);
    if (!old) throw notFound(ref(target));
    const current = presentAs(target.rt, target.version, old);
    const patched = this.applyPatch(target, current, body, req.type);
    const obj = decodeObject(target, patched, opts);
    const meta = metaOf(obj);
    if (meta['name'] !== target.name)
      throw badRequest(
        `the name of the object (${String(meta['name'])}) does not match the name on the URL (${target.name})`,
      );
    // A resourceVersion the patch itself sets is a precondition; one merely carried over is not.
    const patchRv =
      req.type === 'json'
        ? meta['resourceVersion']
        : isJsonObject(body as JsonValue)
          ? metaOf(body as JsonObject)['resourceVersion']
          : undefined;
    this.objects.checkPreconditions(target, old, { resourceVersion: (patchRv ?? '') as JsonValue }, false);
    const result = commitObject(this.deps, target, obj, old, opts, { kind: 'update' });
    return { ...result, object: presentAs(target.rt, target.version, result.object) };
  }

  private applyPatch(
    target: Target,
    current: KubeObject,
    body: unknown,
    type: Exclude<PatchType, 'apply'>,
  ): JsonValue {
    try {
      switch (type) {
        case 'json':
          return applyJsonPatch(current, body);
        case 'merge':
          if (!isJsonObject(body as JsonValue)) throw badRequest('merge patch body must be a JSON object');
          return applyMergePatch(current, body as JsonValue);
        case 'strategic':
          return applyStrategicMergePatch(current, body as JsonValue, target.rt.schema(target.version));
      }
    } catch (err) {
      if (err instanceof KubeStatusError) throw err;
      if (err instanceof JsonPatchError && err.kind === 'failed')
        throw new KubeStatusError(
          422,
          'Invalid',
          'the server rejected our request due to an error in our request',
          {
            causes: [{ reason: 'UnexpectedServerResponse', message: err.message }],
          },
        );
      if (err instanceof JsonPatchError || err instanceof StrategicPatchError) throw badRequest(err.message);
      throw err;
    }
  }

  private apply(target: Target, body: unknown, force: boolean, opts: WriteOptions): CommitResult {
    const config = checkApplyConfig(target, body, opts);
    const gv = groupVersion(target.rt.group, target.version);
    const cleaned = decodeObject(target, config, opts);
    const old = this.deps.store.get(target.rt.key, target.namespace || undefined, target.name);
    if (old) this.objects.checkPreconditions(target, old, metaOf(cleaned), false);
    const live: JsonObject = old
      ? structuredClone(presentAs(target.rt, target.version, old))
      : { apiVersion: gv, kind: target.rt.kind, metadata: { name: target.name } };
    const result = serverSideApply(
      live,
      parseManagedFields(old?.metadata['managedFields']),
      cleaned,
      {
        manager: opts.fieldManager,
        apiVersion: gv,
        subresource: target.subresource === 'status' ? 'status' : '',
        force,
        time: nowTimestamp(),
        schema: target.rt.schema(target.version),
        statusSubresource: target.rt.statusSubresource,
      },
      { group: target.rt.group, kind: target.rt.plural, name: target.name },
    );
    const mergedMeta = metaOf(result.object);
    delete mergedMeta['managedFields'];
    if (!old) {
      // Apply creates, unless the configuration insists on a resourceVersion (which cannot exist yet).
      const rv = metaOf(cleaned)['resourceVersion'];
      if (typeof rv === 'string' && rv !== '') throw notFound(ref(target));
      delete mergedMeta['resourceVersion'];
    }
    result.object['metadata'] = mergedMeta;
    const committed = commitObject(this.deps, target, result.object, old, opts, {
      kind: 'apply',
      entries: result.entries,
    });
    return { ...committed, object: presentAs(target.rt, target.version, committed.object) };
  }
}
