import type { KubeObject } from '../api/object.types.js';

export type StoreEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** One change in the store. `object` is the new state (the final state for DELETED). */
export interface StoreEvent {
  rv: number;
  type: StoreEventType;
  /** ResourceType key (`group/plural`). */
  key: string;
  object: KubeObject;
  /** The state before a MODIFIED or DELETED. */
  prev?: KubeObject;
}

export type StoreListener = (event: StoreEvent) => void;

export function objectKey(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

function withRv(obj: KubeObject, rv: number): KubeObject {
  return { ...obj, metadata: { ...obj.metadata, resourceVersion: String(rv) } };
}

/**
 * In-memory storage with one global resourceVersion counter (like etcd's revision) and a bounded
 * event history that watches replay from. Stored objects are treated as immutable: every write
 * stores a new object, so readers can hold references without copying.
 */
export class ObjectStore {
  private rv: number;
  private readonly buckets = new Map<string, Map<string, KubeObject>>();
  private readonly history: StoreEvent[] = [];
  private historyStart = 0;
  /** The highest resourceVersion whose event is no longer in the history. */
  private compactedRv: number;
  private readonly listeners = new Set<StoreListener>();

  constructor(
    private readonly historyLimit: number,
    startRv = 1,
  ) {
    this.rv = startRv;
    this.compactedRv = startRv;
  }

  get currentRv(): number {
    return this.rv;
  }

  /** Watches from a resourceVersion below this answer 410 Gone. */
  get oldestWatchableRv(): number {
    return this.compactedRv;
  }

  get(key: string, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.buckets.get(key)?.get(objectKey(namespace, name));
  }

  /** Objects of one resource in key order (namespace, then name), optionally in one namespace. */
  list(key: string, namespace?: string): KubeObject[] {
    const bucket = this.buckets.get(key);
    if (!bucket) return [];
    const keys = [...bucket.keys()].sort();
    const out: KubeObject[] = [];
    for (const k of keys) {
      const obj = bucket.get(k)!;
      if (namespace === undefined || obj.metadata.namespace === namespace) out.push(obj);
    }
    return out;
  }

  count(key: string): number {
    return this.buckets.get(key)?.size ?? 0;
  }

  /** Every resource key that holds at least one object. */
  keys(): string[] {
    return [...this.buckets.entries()].filter(([, b]) => b.size > 0).map(([k]) => k);
  }

  insert(key: string, obj: KubeObject): KubeObject {
    const stored = withRv(obj, ++this.rv);
    let bucket = this.buckets.get(key);
    if (!bucket) this.buckets.set(key, (bucket = new Map()));
    bucket.set(objectKey(stored.metadata.namespace, stored.metadata.name), stored);
    this.emit({ rv: this.rv, type: 'ADDED', key, object: stored });
    return stored;
  }

  replace(key: string, obj: KubeObject): KubeObject {
    const bucket = this.buckets.get(key);
    const k = objectKey(obj.metadata.namespace, obj.metadata.name);
    const prev = bucket?.get(k);
    if (!bucket || !prev) throw new Error(`replace of missing object ${key} ${k}`);
    const stored = withRv(obj, ++this.rv);
    bucket.set(k, stored);
    this.emit({ rv: this.rv, type: 'MODIFIED', key, object: stored, prev });
    return stored;
  }

  /** Removes an object; the DELETED event carries its final state with a new resourceVersion. */
  remove(key: string, obj: KubeObject): KubeObject {
    const bucket = this.buckets.get(key);
    const k = objectKey(obj.metadata.namespace, obj.metadata.name);
    const prev = bucket?.get(k);
    if (!bucket || !prev) throw new Error(`remove of missing object ${key} ${k}`);
    bucket.delete(k);
    const final = withRv(obj, ++this.rv);
    this.emit({ rv: this.rv, type: 'DELETED', key, object: final, prev });
    return final;
  }

  /** Events after `rv` for one resource key, or undefined when `rv` is older than the history. */
  eventsSince(rv: number, key: string): StoreEvent[] | undefined {
    if (rv < this.compactedRv) return undefined;
    const out: StoreEvent[] = [];
    for (let i = this.historyStart; i < this.history.length; i++) {
      const ev = this.history[i]!;
      if (ev.rv > rv && ev.key === key) out.push(ev);
    }
    return out;
  }

  /** Drops the whole history, so that any watch from an older resourceVersion answers 410. */
  compact(): void {
    this.history.length = 0;
    this.historyStart = 0;
    this.compactedRv = this.rv;
  }

  subscribe(listener: StoreListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(event: StoreEvent): void {
    this.history.push(event);
    if (this.history.length - this.historyStart > this.historyLimit) {
      this.compactedRv = this.history[this.historyStart]!.rv;
      this.historyStart++;
      // Amortised trimming: shift the array only once the dead prefix is large.
      if (this.historyStart > 1024 && this.historyStart * 2 > this.history.length) {
        this.history.splice(0, this.historyStart);
        this.historyStart = 0;
      }
    }
    for (const listener of [...this.listeners]) listener(event);
  }
}
