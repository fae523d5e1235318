import { isJsonObject, type JsonObject, type KubeObject } from '../api/object.types.js';

export interface OwnerRef {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export function ownerRefs(obj: KubeObject): OwnerRef[] {
  const refs = obj.metadata['ownerReferences'];
  if (!Array.isArray(refs)) return [];
  return refs.filter(isJsonObject).map((r) => r as unknown as OwnerRef);
}

export function controllerOf(obj: KubeObject): OwnerRef | undefined {
  return ownerRefs(obj).find((r) => r.controller === true);
}

export function controllerRef(owner: KubeObject): JsonObject {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name,
    uid: owner.metadata.uid,
    controller: true,
    blockOwnerDeletion: true,
  };
}

export function isDeleting(obj: KubeObject): boolean {
  return !!obj.metadata['deletionTimestamp'];
}

export function finalizersOf(obj: KubeObject): string[] {
  const f = obj.metadata['finalizers'];
  return Array.isArray(f) ? f.map(String) : [];
}

/** Work-queue key of a namespaced object. */
export function nsName(namespace: string | undefined, name: string): string {
  return `${namespace ?? ''}/${name}`;
}

export function splitNsName(key: string): [string, string] {
  const i = key.indexOf('/');
  return [key.slice(0, i), key.slice(i + 1)];
}
