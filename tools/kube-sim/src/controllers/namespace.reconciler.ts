import type { KubeObject } from '../api/object.types.js';
import type { StoreEvent } from '../store/object.store.js';
import { CRD_CLEANUP_FINALIZER } from '../registry/crd.util.js';
import type { Reconciler } from './controller-manager.js';
import { isDeleting } from './owner.util.js';
import type { SystemClient } from './system.client.js';

/**
 * Namespace termination: once a namespace has a deletionTimestamp, delete everything in it; when
 * nothing is left (objects with finalizers hold it up), drop the `kubernetes` finalizer and remove it.
 */
export class NamespaceReconciler implements Reconciler {
  readonly name = 'namespace';

  constructor(private readonly client: SystemClient) {}

  keysFor(ev: StoreEvent): string[] {
    if (ev.key === '/namespaces')
      return isDeleting(ev.object) && ev.type !== 'DELETED' ? [ev.object.metadata.name] : [];
    const ns = ev.object.metadata.namespace;
    if (!ns || ev.type !== 'DELETED') return [];
    const owner = this.client.get('/namespaces', undefined, ns);
    return owner && isDeleting(owner) ? [ns] : [];
  }

  reconcile(name: string): void {
    const ns = this.client.get('/namespaces', undefined, name);
    if (!ns || !isDeleting(ns)) return;
    let remaining = 0;
    for (const rt of this.client.deps.registry.all()) {
      if (!rt.namespaced) continue;
      for (const obj of this.client.list(rt.key, name)) {
        if (!isDeleting(obj)) this.client.delete(rt.key, obj, 'Background');
        if (this.client.get(rt.key, name, obj.metadata.name)) remaining++;
      }
    }
    if (remaining === 0) this.finalize(ns);
  }

  private finalize(ns: KubeObject): void {
    const metaFinalizers = ns.metadata['finalizers'];
    if (Array.isArray(metaFinalizers) && metaFinalizers.length > 0) return;
    this.client.deps.store.remove('/namespaces', { ...ns, spec: { finalizers: [] } });
  }
}

/** Every namespace gets a `default` ServiceAccount, as the service-account controller does. */
export class ServiceAccountReconciler implements Reconciler {
  readonly name = 'serviceaccount';

  constructor(private readonly client: SystemClient) {}

  keysFor(ev: StoreEvent): string[] {
    if (ev.key === '/namespaces' && ev.type === 'ADDED') return [ev.object.metadata.name];
    if (ev.key === '/serviceaccounts' && ev.type === 'DELETED' && ev.object.metadata.name === 'default')
      return [ev.object.metadata.namespace ?? ''];
    return [];
  }

  reconcile(namespace: string): void {
    const ns = this.client.get('/namespaces', undefined, namespace);
    if (!ns || isDeleting(ns) || this.client.get('/serviceaccounts', namespace, 'default')) return;
    this.client.create(
      '/serviceaccounts',
      namespace,
      { metadata: { name: 'default', namespace } },
      'kube-controller-manager',
    );
  }
}

/** Deleting a CRD deletes all of its custom resources first (finalizer customresourcecleanup). */
export class CrdCleanupReconciler implements Reconciler {
  readonly name = 'crd-cleanup';

  constructor(private readonly client: SystemClient) {}

  keysFor(ev: StoreEvent): string[] {
    const crdKey = 'apiextensions.k8s.io/customresourcedefinitions';
    if (ev.key === crdKey)
      return isDeleting(ev.object) && ev.type !== 'DELETED' ? [ev.object.metadata.name] : [];
    const rt = this.client.type(ev.key);
    if (ev.type !== 'DELETED' || !rt || rt.builtin) return [];
    return [`${rt.plural}.${rt.group}`];
  }

  reconcile(name: string): void {
    const crdKey = 'apiextensions.k8s.io/customresourcedefinitions';
    const crd = this.client.get(crdKey, undefined, name);
    if (!crd || !isDeleting(crd)) return;
    const rt = this.client.deps.registry.all().find((r) => !r.builtin && `${r.plural}.${r.group}` === name);
    let remaining = 0;
    if (rt)
      for (const obj of this.client.list(rt.key)) {
        if (!isDeleting(obj)) this.client.delete(rt.key, obj, 'Background');
        if (this.client.get(rt.key, obj.metadata.namespace, obj.metadata.name)) remaining++;
      }
    if (remaining === 0)
      this.client.removeFinalizer(crdKey, crd, CRD_CLEANUP_FINALIZER, 'apiextensions-apiserver');
  }
}
