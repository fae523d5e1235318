import { randomUUID } from 'node:crypto';
import {
  parseManagedFields,
  serializeManagedFields,
  trackUpdate,
  type ManagedEntry,
} from '../apply/managed-fields.util.js';
import { groupVersion, type ResourceType } from '../registry/resource-type.types.js';
import { applyDefaults } from '../schema/structural.util.js';
import {
  clone,
  isJsonObject,
  jsonEqual,
  metaOf,
  nowTimestamp,
  type JsonObject,
  type JsonValue,
  type KubeObject,
} from './object.types.js';
import { forbidden, invalid, notFound } from './status.util.js';
import type { ApiDeps, Target, WriteOptions } from './write.types.js';

/** How managedFields are computed for this write. */
export type ManagedMode = { kind: 'update' } | { kind: 'apply'; entries: ManagedEntry[] };

export interface CommitResult {
  object: KubeObject;
  created: boolean;
}

const immutableMeta = [
  'uid',
  'creationTimestamp',
  'name',
  'namespace',
  'generation',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
];

function specChanged(a: JsonObject, b: JsonObject, rt: ResourceType): boolean {
  switch (rt.generation) {
    case 'none':
      return false;
    case 'spec':
      return !jsonEqual(a['spec'], b['spec']);
    case 'spec-and-annotations':
      return (
        !jsonEqual(a['spec'], b['spec']) || !jsonEqual(metaOf(a)['annotations'], metaOf(b)['annotations'])
      );
    case 'all-but-metadata': {
      const strip = (o: JsonObject) => {
        const { metadata: _m, apiVersion: _a, kind: _k, status, ...rest } = o;
        return rt.statusSubresource ? rest : { ...rest, status: status ?? null };
      };
      return !jsonEqual(strip(a), strip(b));
    }
  }
}

function withoutTimes(fields: JsonValue | undefined): JsonValue {
  if (!Array.isArray(fields)) return null;
  return fields.map((f) => (isJsonObject(f) ? { ...f, time: null } : f));
}

/** Equality that ignores what every write changes anyway (resourceVersion, managedFields). */
function sameContent(a: JsonObject, b: JsonObject): boolean {
  const strip = (o: JsonObject): JsonObject => {
    const { resourceVersion: _rv, managedFields: _mf, ...meta } = metaOf(o);
    return { ...o, metadata: meta };
  };
  return jsonEqual(strip(a), strip(b));
}

function carryOver(obj: JsonObject, old: KubeObject, target: Target): JsonObject {
  if (target.subresource === 'status') {
    const next: JsonObject = clone(old as JsonObject);
    if (obj['status'] !== undefined) next['status'] = obj['status'];
    else delete next['status'];
    const meta = metaOf(next);
    const explicit = metaOf(obj)['managedFields'];
    if (explicit !== undefined) meta['managedFields'] = explicit;
    if (target.rt.statusUpdatesAnnotations) {
      const annotations = metaOf(obj)['annotations'];
      if (annotations !== undefined) meta['annotations'] = annotations;
      else delete meta['annotations'];
    }
    next['metadata'] = meta;
    return next;
  }
  if (target.rt.statusSubresource) {
    if (old['status'] !== undefined) obj['status'] = old['status'];
    else delete obj['status'];
  }
  target.rt.strategy.prepareForUpdate?.(obj, old);
  const meta = metaOf(obj);
  for (const f of immutableMeta) {
    const v = old.metadata[f];
    if (v === undefined) delete meta[f];
    else meta[f] = v;
  }
  obj['metadata'] = meta;
  return obj;
}

function checkNamespace(deps: ApiDeps, target: Target): void {
  if (!target.rt.namespaced) return;
  const ns = deps.store.get('/namespaces', undefined, target.namespace);
  if (!ns) throw notFound({ group: '', kind: 'namespaces', name: target.namespace });
  if (ns.metadata['deletionTimestamp'])
    throw forbidden(
      `${target.rt.plural}${target.rt.group ? `.${target.rt.group}` : ''} "${target.name}" is forbidden: unable to create new content in namespace ${target.namespace} because it is being terminated`,
      {
        name: target.name,
        group: target.rt.group,
        kind: target.rt.plural,
        causes: [
          {
            reason: 'NamespaceTerminating',
            message: `namespace ${target.namespace} is being terminated`,
            field: 'metadata.namespace',
          },
        ],
      },
    );
}

function managedFields(
  obj: JsonObject,
  old: KubeObject | undefined,
  target: Target,
  opts: WriteOptions,
  mode: ManagedMode,
): JsonValue[] {
  const meta = metaOf(obj);
  const explicit = meta['managedFields'];
  // Clients may rewrite managedFields with a non-apply write (kubectl's csaupgrade relies on it).
  if (
    mode.kind === 'update' &&
    old &&
    explicit !== undefined &&
    !jsonEqual(explicit, old.metadata['managedFields'] ?? null)
  )
    return Array.isArray(explicit) ? explicit : [];
  const entries =
    mode.kind === 'apply'
      ? mode.entries
      : trackUpdate(parseManagedFields(old?.metadata['managedFields']), old ?? {}, obj, {
          manager: opts.fieldManager,
          apiVersion: groupVersion(target.rt.group, target.version),
          subresource: target.subresource === 'status' ? 'status' : '',
          time: nowTimestamp(),
          schema: target.rt.schema(target.version),
          statusSubresource: target.rt.statusSubresource,
        });
  return serializeManagedFields(entries);
}

function validate(deps: ApiDeps, target: Target, obj: JsonObject, old: KubeObject | undefined): void {
  target.rt.strategy.defaults?.(obj, deps.strategyContext);
  if (!target.rt.builtin) applyDefaults(obj, target.rt.schema(target.version));
  const errors = [
    ...(target.rt.strategy.validate?.(obj, old) ?? []),
    ...(target.rt.validateCustom?.(obj, target.version) ?? []),
  ];
  if (errors.length > 0)
    throw invalid(target.rt.group, target.rt.kind, String(metaOf(obj)['name'] ?? ''), errors);
}

/**
 * The common tail of every create and update: strategy (status reset, carried-over fields),
 * defaults, validation (422), generation, managedFields, no-op detection, finalizer completion,
 * dry run, then the store. `obj` is a decoded private copy; `old` the live object for updates.
 */
export function commitObject(
  deps: ApiDeps,
  target: Target,
  obj: JsonObject,
  old: KubeObject | undefined,
  opts: WriteOptions,
  mode: ManagedMode,
): CommitResult {
  const { rt } = target;
  let next = obj;
  if (old) next = carryOver(obj, old, target);
  else rt.strategy.prepareForCreate?.(next, deps.strategyContext);
  validate(deps, target, next, old);
  const meta = metaOf(next);
  if (!old) {
    checkNamespace(deps, target);
    meta['uid'] = randomUUID();
    meta['creationTimestamp'] = nowTimestamp();
    if (rt.generation !== 'none') meta['generation'] = 1;
    else delete meta['generation'];
    delete meta['deletionTimestamp'];
    delete meta['deletionGracePeriodSeconds'];
  } else if (target.subresource === '' && rt.generation !== 'none' && specChanged(old, next, rt)) {
    meta['generation'] =
      (typeof old.metadata['generation'] === 'number' ? old.metadata['generation'] : 0) + 1;
  }
  if (rt.namespaced) meta['namespace'] = target.namespace;
  else delete meta['namespace'];
  const fields = managedFields(next, old, target, opts, mode);
  if (fields.length > 0) meta['managedFields'] = fields;
  else delete meta['managedFields'];
  delete meta['resourceVersion'];
  next['metadata'] = meta;
  // Stored objects carry the storage version; reads convert (CRD conversion strategy None).
  next['apiVersion'] = groupVersion(rt.group, rt.storageVersion);
  const candidate = next as KubeObject;
  // A write that changes nothing (not even who owns what) is a no-op: no new resourceVersion, no event.
  if (
    old &&
    sameContent(candidate, old) &&
    jsonEqual(withoutTimes(meta['managedFields']), withoutTimes(old.metadata['managedFields']))
  )
    return { object: old, created: false };
  const finalizers = meta['finalizers'];
  const releasing =
    old?.metadata['deletionTimestamp'] && (!Array.isArray(finalizers) || finalizers.length === 0);
  if (opts.dryRun) {
    if (old) meta['resourceVersion'] = old.metadata.resourceVersion;
    return { object: candidate, created: !old };
  }
  if (releasing) return { object: deps.store.remove(rt.key, candidate), created: false };
  if (old) return { object: deps.store.replace(rt.key, candidate), created: false };
  return { object: deps.store.insert(rt.key, candidate), created: true };
}

/** A stored object as seen through one served version (CRDs: conversion strategy None). */
export function presentAs(rt: ResourceType, version: string, obj: KubeObject): KubeObject {
  const gv = groupVersion(rt.group, version);
  return obj.apiVersion === gv ? obj : { ...obj, apiVersion: gv };
}

export function isObjectBody(v: unknown): v is JsonObject {
  return isJsonObject(v as JsonValue);
}
