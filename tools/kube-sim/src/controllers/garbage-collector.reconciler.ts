import type { KubeObject } from '../api/object.types.js';
import type { StoreEvent } from '../store/object.store.js';
import type { Reconciler } from './controller-manager.js';
import { finalizersOf, isDeleting, ownerRefs } from './owner.util.js';
import type { SystemClient } from './system.client.js';

interface Ref {
  key: string;
  namespace: string | undefined;
  name: string;
}

const manager = 'generic-garbage-collector';

/**
 * The ownerReference garbage collector: deletes dependents whose owners are all gone (background
 * propagation), deletes dependents first and then releases an owner being deleted in the
 * foreground, and strips owner references before releasing an owner deleted with Orphan.
 */
export class GarbageCollector implements Reconciler {
  readonly name = 'garbage-collector';
  private readonly byUid = new Map<string, Ref>();
  private readonly dependents = new Map<string, Set<string>>();

  constructor(private readonly client: SystemClient) {}

  private index(ev: StoreEvent): void {
    const obj = ev.object;
    const uid = obj.metadata.uid;
    const depKey = uid;
    for (const r of ev.prev ? ownerRefs(ev.prev) : []) this.dependents.get(r.uid)?.delete(depKey);
    if (ev.type === 'DELETED') {
      this.byUid.delete(uid);
      return;
    }
    this.byUid.set(uid, { key: ev.key, namespace: obj.metadata.namespace, name: obj.metadata.name });
    for (const r of ownerRefs(obj)) {
      let set = this.dependents.get(r.uid);
      if (!set) this.dependents.set(r.uid, (set = new Set()));
      set.add(depKey);
    }
  }

  keysFor(ev: StoreEvent): string[] {
    this.index(ev);
    const obj = ev.object;
    const keys: string[] = [];
    if (ev.type === 'DELETED') {
      keys.push(`owner:${obj.metadata.uid}`);
      for (const r of ownerRefs(obj)) keys.push(`owner:${r.uid}`);
      return keys;
    }
    const f = finalizersOf(obj);
    if (isDeleting(obj) && (f.includes('foregroundDeletion') || f.includes('orphan')))
      keys.push(`owner:${obj.metadata.uid}`);
    if (ownerRefs(obj).some((r) => !this.byUid.has(r.uid))) keys.push(`dep:${obj.metadata.uid}`);
    return keys;
  }

  private lookup(uid: string): KubeObject | undefined {
    const ref = this.byUid.get(uid);
    return ref ? this.client.get(ref.key, ref.namespace, ref.name) : undefined;
  }

  reconcile(key: string): void {
    const [kind, uid] = [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)];
    if (kind === 'dep') return this.checkDependent(uid);
    const owner = this.lookup(uid);
    const deps = [...(this.dependents.get(uid) ?? [])]
      .map((d) => this.lookup(d))
      .filter((d): d is KubeObject => !!d);
    if (!owner) {
      for (const d of deps) this.checkDependent(d.metadata.uid);
      return;
    }
    if (!isDeleting(owner)) return;
    const f = finalizersOf(owner);
    const ownerKey = this.byUid.get(uid)!.key;
    if (f.includes('orphan')) {
      for (const d of deps) this.dropOwner(d, uid);
      this.client.removeFinalizer(ownerKey, owner, 'orphan', manager);
      return;
    }
    if (f.includes('foregroundDeletion')) {
      const remaining = deps.filter((d) => ownerRefs(d).some((r) => r.uid === uid));
      for (const d of remaining)
        if (!isDeleting(d)) this.client.delete(this.byUid.get(d.metadata.uid)!.key, d, 'Foreground');
      const left = remaining.filter((d) => this.lookup(d.metadata.uid));
      if (left.length === 0) this.client.removeFinalizer(ownerKey, owner, 'foregroundDeletion', manager);
    }
  }

  private dropOwner(dep: KubeObject, ownerUid: string): void {
    const ref = this.byUid.get(dep.metadata.uid);
    if (!ref) return;
    const refs = ownerRefs(dep).filter((r) => r.uid !== ownerUid);
    const metadata = { ...dep.metadata };
    if (refs.length > 0) metadata['ownerReferences'] = refs as never;
    else delete metadata['ownerReferences'];
    this.client.update(ref.key, { ...dep, metadata }, manager);
  }

  private checkDependent(uid: string): void {
    const dep = this.lookup(uid);
    const ref = this.byUid.get(uid);
    if (!dep || !ref || isDeleting(dep)) return;
    const refs = ownerRefs(dep);
    if (refs.length === 0) return;
    const alive = refs.filter((r) => this.byUid.has(r.uid));
    if (alive.length === 0) this.client.delete(ref.key, dep, 'Background');
    else if (alive.length < refs.length) {
      const metadata = { ...dep.metadata, ownerReferences: alive as never };
      this.client.update(ref.key, { ...dep, metadata }, manager);
    }
  }
}
