import {
  getPath,
  isJsonObject,
  metaOf,
  nowTimestamp,
  type JsonObject,
  type KubeObject,
} from './object.types.js';
import { commitObject, presentAs, type CommitResult } from './commit.util.js';
import { decodeObject } from './decode.util.js';
import {
  alreadyExists,
  badRequest,
  conflict,
  deleteSuccess,
  forbidden,
  invalid,
  notFound,
  type KubeStatusError,
} from './status.util.js';
import type { ApiDeps, Target, WriteOptions } from './write.types.js';

const generateNameAlphabet = 'bcdfghjklmnpqrstvwxz2456789';

function randomSuffix(): string {
  let out = '';
  for (let i = 0; i < 5; i++)
    out += generateNameAlphabet[Math.floor(Math.random() * generateNameAlphabet.length)];
  return out;
}

export function ref(target: Target, name = target.name): { group: string; kind: string; name: string } {
  return { group: target.rt.group, kind: target.rt.plural, name };
}

export type Propagation = 'Orphan' | 'Background' | 'Foreground';

/** Get, create, update and delete: the use cases behind the resource endpoints. */
export class ObjectService {
  constructor(private readonly deps: ApiDeps) {}

  getStored(target: Target): KubeObject {
    const obj = this.deps.store.get(target.rt.key, target.namespace || undefined, target.name);
    if (!obj) throw notFound(ref(target));
    return obj;
  }

  get(target: Target): KubeObject {
    return presentAs(target.rt, target.version, this.getStored(target));
  }

  create(target: Target, body: unknown, opts: WriteOptions): CommitResult {
    const obj = decodeObject(target, body, opts);
    const meta = metaOf(obj);
    this.checkNamespaceField(target, meta);
    const generateName = meta['generateName'];
    let name = typeof meta['name'] === 'string' ? meta['name'] : '';
    if (!name && typeof generateName === 'string' && generateName) {
      do name = `${generateName}${randomSuffix()}`;
      while (this.deps.store.get(target.rt.key, target.namespace || undefined, name));
      meta['name'] = name;
    }
    obj['metadata'] = meta;
    const t: Target = { ...target, name };
    if (name && this.deps.store.get(target.rt.key, target.namespace || undefined, name)) {
      // Validation runs first on a real server; only a valid object reaches the storage conflict.
      const errors = target.rt.strategy.validate?.(structuredClone(obj), undefined) ?? [];
      if (errors.length > 0) throw invalid(target.rt.group, target.rt.kind, name, errors);
      throw alreadyExists(ref(t));
    }
    const result = commitObject(this.deps, t, obj, undefined, opts, { kind: 'update' });
    return { ...result, object: presentAs(target.rt, target.version, result.object) };
  }

  update(target: Target, body: unknown, opts: WriteOptions): CommitResult {
    const obj = decodeObject(target, body, opts);
    const meta = metaOf(obj);
    this.checkNamespaceField(target, meta);
    if (meta['name'] !== undefined && meta['name'] !== target.name)
      throw badRequest(
        `the name of the object (${String(meta['name'])}) does not match the name on the URL (${target.name})`,
      );
    meta['name'] = target.name;
    obj['metadata'] = meta;
    const old = this.deps.store.get(target.rt.key, target.namespace || undefined, target.name);
    if (!old) {
      if (target.rt.allowCreateOnUpdate && target.subresource === '') return this.create(target, obj, opts);
      throw notFound(ref(target));
    }
    this.checkPreconditions(target, old, meta);
    const result = commitObject(this.deps, target, obj, old, opts, { kind: 'update' });
    return { ...result, object: presentAs(target.rt, target.version, result.object) };
  }

  /** resourceVersion in the body is a precondition; custom resources require it on PUT. */
  checkPreconditions(target: Target, old: KubeObject, meta: JsonObject, requireRv = true): void {
    const rv = meta['resourceVersion'];
    if (this.deps.faults.takeFailNextUpdate(target.rt, target.namespace, target.name))
      throw conflict(ref(target));
    if (typeof rv === 'string' && rv !== '') {
      if (rv !== old.metadata.resourceVersion) throw conflict(ref(target));
      return;
    }
    if (requireRv && !target.rt.builtin)
      throw invalid(target.rt.group, target.rt.kind, target.name, [
        {
          field: 'metadata.resourceVersion',
          type: 'FieldValueInvalid',
          message: '0x0: must be specified for an update',
        },
      ]);
  }

  private checkNamespaceField(target: Target, meta: JsonObject): void {
    const ns = meta['namespace'];
    if (!target.rt.namespaced) return;
    if (typeof ns === 'string' && ns !== '' && ns !== target.namespace)
      throw badRequest(
        'the namespace of the provided object does not match the namespace sent on the request',
      );
  }

  delete(target: Target, options: JsonObject, opts: WriteOptions): { status: number; body: JsonObject } {
    const obj = this.getStored(target);
    const pre = options['preconditions'];
    if (isJsonObject(pre)) {
      if (typeof pre['uid'] === 'string' && pre['uid'] !== obj.metadata.uid)
        throw conflict(
          ref(target),
          `Precondition failed: UID in precondition: ${pre['uid']}, UID in object meta: ${obj.metadata.uid}`,
        );
      if (
        typeof pre['resourceVersion'] === 'string' &&
        pre['resourceVersion'] !== obj.metadata.resourceVersion
      )
        throw conflict(
          ref(target),
          `Precondition failed: ResourceVersion in precondition: ${pre['resourceVersion']}, ResourceVersion in meta: ${obj.metadata.resourceVersion}`,
        );
    }
    if (target.rt.key === '/namespaces' && ['default', 'kube-system', 'kube-public'].includes(target.name))
      throw forbidden(`namespaces "${target.name}" is forbidden: this namespace may not be deleted`, {
        name: target.name,
        kind: 'namespaces',
      });
    const propagation = this.propagation(options);
    const result = this.deleteObject(target, obj, propagation, opts.dryRun);
    if (result.removed) {
      const body = target.rt.deleteReturnsObject
        ? presentAs(target.rt, target.version, result.object)
        : deleteSuccess(target.rt.group, target.rt.plural, target.name, obj.metadata.uid);
      return { status: 200, body };
    }
    return { status: 200, body: presentAs(target.rt, target.version, result.object) };
  }

  propagation(options: JsonObject): Propagation {
    const p = options['propagationPolicy'];
    if (p === 'Orphan' || p === 'Background' || p === 'Foreground') return p;
    if (p !== undefined && p !== null)
      throw invalid('meta.k8s.io', 'DeleteOptions', '', [
        {
          field: 'propagationPolicy',
          type: 'FieldValueNotSupported',
          message: `${JSON.stringify(p)}: supported values: "Foreground", "Background", "Orphan", "nil"`,
        },
      ]);
    return options['orphanDependents'] === true ? 'Orphan' : 'Background';
  }

  /**
   * Deletes at once, or marks for deletion when finalizers remain (propagation adds its own).
   * Namespaces always go through termination: their contents are removed first.
   */
  deleteObject(
    target: Target,
    obj: KubeObject,
    propagation: Propagation,
    dryRun: boolean,
  ): { object: KubeObject; removed: boolean } {
    const { rt } = target;
    const finalizers = Array.isArray(obj.metadata['finalizers'])
      ? obj.metadata['finalizers'].map(String)
      : [];
    if (propagation === 'Foreground' && !finalizers.includes('foregroundDeletion'))
      finalizers.push('foregroundDeletion');
    if (propagation === 'Orphan' && !finalizers.includes('orphan')) finalizers.push('orphan');
    const isNamespace = rt.key === '/namespaces';
    const deleting = !!obj.metadata['deletionTimestamp'];
    if (finalizers.length === 0 && !isNamespace) {
      if (dryRun) return { object: obj, removed: true };
      return { object: this.deps.store.remove(rt.key, obj), removed: true };
    }
    if (deleting && jsonFinalizersEqual(obj, finalizers)) return { object: obj, removed: false };
    const meta: JsonObject = { ...obj.metadata, deletionGracePeriodSeconds: 0 };
    if (!deleting) meta['deletionTimestamp'] = nowTimestamp();
    if (finalizers.length > 0) meta['finalizers'] = finalizers;
    if (!deleting && typeof obj.metadata['generation'] === 'number')
      meta['generation'] = obj.metadata['generation'] + 1;
    const next = { ...obj, metadata: meta } as KubeObject;
    if (isNamespace)
      next['status'] = { ...(isJsonObject(obj['status']) ? obj['status'] : {}), phase: 'Terminating' };
    if (dryRun) return { object: next, removed: false };
    return { object: this.deps.store.replace(rt.key, next), removed: false };
  }
}

function jsonFinalizersEqual(obj: KubeObject, finalizers: string[]): boolean {
  const cur = getPath(obj, ['metadata', 'finalizers']);
  return Array.isArray(cur) && cur.length === finalizers.length && cur.every((f, i) => f === finalizers[i]);
}

export type { KubeStatusError };
