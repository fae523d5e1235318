import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/object.types.js';
import { ObjectStore, type StoreEvent } from './object.store.js';

const obj = (name: string, namespace = 'ns'): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace, uid: name, resourceVersion: '', creationTimestamp: '' },
});

describe('ObjectStore', () => {
  it('assigns one global, increasing resourceVersion and emits events with the previous state', () => {
    const store = new ObjectStore(100, 10);
    const events: StoreEvent[] = [];
    store.subscribe((e) => events.push(e));
    const a = store.insert('/configmaps', obj('a'));
    const b = store.insert('/secrets', obj('b'));
    const a2 = store.replace('/configmaps', { ...a, data: { x: '1' } });
    const gone = store.remove('/configmaps', a2);
    expect([a, b, a2, gone].map((o) => o.metadata.resourceVersion)).toEqual(['11', '12', '13', '14']);
    expect(events.map((e) => `${e.type}:${e.object.metadata.name}:${e.rv}`)).toEqual([
      'ADDED:a:11',
      'ADDED:b:12',
      'MODIFIED:a:13',
      'DELETED:a:14',
    ]);
    expect(events[2]!.prev).toBe(a);
    expect(store.get('/configmaps', 'ns', 'a')).toBeUndefined();
  });

  it('lists in key order: namespace, then name (etcd key order)', () => {
    const store = new ObjectStore(100);
    for (const [ns, name] of [
      ['b', 'x'],
      ['a-b', 'z'],
      ['a', 'y'],
      ['a', 'b'],
    ] as const)
      store.insert('/configmaps', obj(name, ns));
    expect(store.list('/configmaps').map((o) => `${o.metadata.namespace}/${o.metadata.name}`)).toEqual([
      'a-b/z',
      'a/b',
      'a/y',
      'b/x',
    ]);
    expect(store.list('/configmaps', 'a').map((o) => o.metadata.name)).toEqual(['b', 'y']);
  });

  it('keeps a bounded history: older resourceVersions are no longer watchable', () => {
    const store = new ObjectStore(3, 1);
    for (const n of ['a', 'b', 'c', 'd', 'e']) store.insert('/configmaps', obj(n));
    expect(store.eventsSince(1, '/configmaps')).toBeUndefined();
    expect(store.eventsSince(3, '/configmaps')!.map((e) => e.object.metadata.name)).toEqual(['c', 'd', 'e']);
    expect(store.eventsSince(4, '/secrets')).toEqual([]);
    store.compact();
    expect(store.eventsSince(5, '/configmaps')).toBeUndefined();
    expect(store.eventsSince(6, '/configmaps')).toEqual([]);
    expect(store.oldestWatchableRv).toBe(6);
  });
});
