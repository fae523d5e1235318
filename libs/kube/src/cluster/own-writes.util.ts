/**
 * What this process is doing to a cluster right now: objects the Applier is writing and objects
 * the Pruner just deleted. The DriftWatcher consults it so that our own writes (including the
 * intermediate states of a multi-step repair) and our own prunes are never reported as drift.
 */
export class OwnWrites {
  private readonly busy = new Map<string, number>();
  private readonly deleted = new Map<string, number>();
  private readonly listeners = new Set<(key: string) => void>();

  constructor(
    private readonly now: () => number = () => Date.now(),
    /** How long a prune is remembered (the watch event can lag the delete). */
    private readonly deleteMemoryMs = 60_000,
  ) {}

  begin(key: string): void {
    this.busy.set(key, (this.busy.get(key) ?? 0) + 1);
  }

  end(key: string): void {
    const n = (this.busy.get(key) ?? 1) - 1;
    if (n > 0) {
      this.busy.set(key, n);
      return;
    }
    this.busy.delete(key);
    for (const l of this.listeners) l(key);
  }

  isBusy(key: string): boolean {
    return this.busy.has(key);
  }

  markDeleted(key: string): void {
    this.deleted.set(key, this.now() + this.deleteMemoryMs);
    if (this.deleted.size > 10_000) this.sweep();
  }

  /** True when this process deleted the object recently; a later re-create clears it. */
  wasDeletedByUs(key: string): boolean {
    const until = this.deleted.get(key);
    if (until === undefined) return false;
    if (until < this.now()) {
      this.deleted.delete(key);
      return false;
    }
    return true;
  }

  forgetDeleted(key: string): void {
    this.deleted.delete(key);
  }

  /** Called with the key each time a write finishes. */
  onSettled(listener: (key: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private sweep(): void {
    const now = this.now();
    for (const [key, until] of this.deleted) if (until < now) this.deleted.delete(key);
  }
}
