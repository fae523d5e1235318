import { isJsonObject, type JsonObject, type JsonValue } from '../api/object.types.js';
import type { SchemaNode } from '../schema/schema.types.js';
import { FieldSet } from './field-set.util.js';
import { compareObjects } from './typed-value.util.js';

export interface ManagedEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string;
  subresource: string;
  set: FieldSet;
}

/** Fields field management never tracks (fieldmanager StripMeta plus status on the main resource). */
const untrackedMeta = [
  'name',
  'namespace',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'managedFields',
  'selfLink',
];

/**
 * The part of an object that field management tracks for a write to `subresource` ('' for the main
 * resource): status writes track only status; main-resource writes drop status when the kind has a
 * status subresource.
 */
export function trackedPart(obj: JsonObject, subresource: string, statusSubresource: boolean): JsonObject {
  if (subresource === 'status') return isJsonObject(obj['status']) ? { status: obj['status'] } : {};
  const { apiVersion: _a, kind: _k, metadata, ...rest } = obj;
  const out: JsonObject = { ...rest };
  if (statusSubresource) delete out['status'];
  if (isJsonObject(metadata)) {
    const meta: JsonObject = { ...metadata };
    for (const f of untrackedMeta) delete meta[f];
    if (Object.keys(meta).length > 0) out['metadata'] = meta;
  }
  return out;
}

export function parseManagedFields(value: JsonValue | undefined): ManagedEntry[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isJsonObject).map((e) => ({
    manager: typeof e['manager'] === 'string' ? e['manager'] : '',
    operation: e['operation'] === 'Apply' ? 'Apply' : 'Update',
    apiVersion: typeof e['apiVersion'] === 'string' ? e['apiVersion'] : '',
    time: typeof e['time'] === 'string' ? e['time'] : '',
    subresource: typeof e['subresource'] === 'string' ? e['subresource'] : '',
    set: FieldSet.fromFieldsV1(e['fieldsV1']),
  }));
}

export function serializeManagedFields(entries: ManagedEntry[]): JsonValue[] {
  return entries
    .filter((e) => !e.set.isEmpty())
    .map((e) => ({
      manager: e.manager,
      operation: e.operation,
      apiVersion: e.apiVersion,
      time: e.time,
      fieldsType: 'FieldsV1',
      fieldsV1: e.set.toFieldsV1(),
      ...(e.subresource ? { subresource: e.subresource } : {}),
    }));
}

export function sameEntry(
  e: ManagedEntry,
  manager: string,
  operation: 'Apply' | 'Update',
  subresource: string,
): boolean {
  return e.manager === manager && e.operation === operation && e.subresource === subresource;
}

export interface UpdateWrite {
  manager: string;
  apiVersion: string;
  subresource: string;
  time: string;
  schema: SchemaNode;
  statusSubresource: boolean;
}

/**
 * Field ownership after a non-apply write: the writer takes every field it added or changed, and
 * those fields (and removed ones) leave every other manager. Update operations never conflict.
 */
export function trackUpdate(
  entries: ManagedEntry[],
  before: JsonObject,
  after: JsonObject,
  w: UpdateWrite,
): ManagedEntry[] {
  const changes = compareObjects(
    trackedPart(before, w.subresource, w.statusSubresource),
    trackedPart(after, w.subresource, w.statusSubresource),
    w.schema,
  );
  const touched = changes.added.union(changes.modified);
  if (touched.isEmpty() && changes.removed.isEmpty()) return entries;
  const lost = touched.union(changes.removed);
  let found = false;
  const out = entries.map((e): ManagedEntry => {
    if (!sameEntry(e, w.manager, 'Update', w.subresource)) return { ...e, set: e.set.difference(lost) };
    found = true;
    return {
      ...e,
      apiVersion: w.apiVersion,
      time: w.time,
      set: e.set.union(touched).difference(changes.removed),
    };
  });
  if (!found)
    out.push({
      manager: w.manager,
      operation: 'Update',
      apiVersion: w.apiVersion,
      time: w.time,
      subresource: w.subresource,
      set: touched.difference(changes.removed),
    });
  return out.filter((e) => !e.set.isEmpty());
}
