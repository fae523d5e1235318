import type { ObjectStore, StoreEvent } from '../store/object.store.js';

/** A reconciler: maps store events to work keys and brings one key to its desired state. */
export interface Reconciler {
  readonly name: string;
  keysFor(event: StoreEvent): string[];
  reconcile(key: string): void;
}

/**
 * Runs reconcilers off the store's event stream, asynchronously (never inside the write that
 * triggered them) and de-duplicated per key, like client-go work queues.
 */
export class ControllerManager {
  private readonly queue = new Map<string, { r: Reconciler; key: string }>();
  private scheduled = false;
  private stopped = false;
  private readonly unsubscribe: () => void;
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Errors reconcilers threw (kept for tests and diagnostics). */
  readonly errors: Array<{ reconciler: string; key: string; error: unknown }> = [];

  constructor(
    store: ObjectStore,
    private readonly reconcilers: Reconciler[],
  ) {
    this.unsubscribe = store.subscribe((ev) => {
      for (const r of this.reconcilers) for (const key of r.keysFor(ev)) this.enqueue(r, key);
    });
  }

  enqueue(r: Reconciler, key: string): void {
    if (this.stopped) return;
    this.queue.set(`${r.name}\u0000${key}`, { r, key });
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.drain());
    }
  }

  /** Re-queues a key after a delay (e.g. a pod that becomes Running a moment after it is created). */
  enqueueAfter(r: Reconciler, key: string, ms: number): void {
    if (this.stopped) return;
    const t = setTimeout(() => {
      this.timers.delete(t);
      this.enqueue(r, key);
    }, ms);
    this.timers.add(t);
  }

  private drain(): void {
    this.scheduled = false;
    const batch = [...this.queue.values()];
    this.queue.clear();
    for (const { r, key } of batch) {
      if (this.stopped) return;
      try {
        r.reconcile(key);
      } catch (error) {
        this.errors.push({ reconciler: r.name, key, error });
        if (this.errors.length > 100) this.errors.shift();
      }
    }
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.queue.clear();
  }
}
