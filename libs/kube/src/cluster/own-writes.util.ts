/**
 * What this process did to a cluster lately, so the DriftWatcher never reports it as drift: the
 * resourceVersions of intermediate states of our own multi-step writes (an apply whose result is
 * still out of sync until the follow-up patch lands), and the objects our Pruner deleted. Watch
 * events arrive after the write returns, so "a write is in flight" is not enough to recognise them.
 */
export class OwnWrites {
  private readonly transient = new Map<string, { rv: string; until: number }[]>();
  private readonly deleted = new Map<string, number>();

  constructor(
    private readonly now: () => number = () => Date.now(),
    /** How long a mark is kept (watch events can lag the write by this much and still be recognised). */
    private readonly memoryMs = 60_000,
  ) {}

  /** The object at `resourceVersion` is a state of ours that is about to be replaced. */
  markTransient(key: string, resourceVersion: string): void {
    const now = this.now();
    const marks = (this.transient.get(key) ?? []).filter((m) => m.until >= now);
    marks.push({ rv: resourceVersion, until: now + this.memoryMs });
    this.transient.set(key, marks);
    if (this.transient.size > 10_000) this.sweep();
  }

  isTransient(key: string, resourceVersion: string | undefined): boolean {
    if (resourceVersion === undefined) return false;
    const now = this.now();
    return (this.transient.get(key) ?? []).some((m) => m.rv === resourceVersion && m.until >= now);
  }

  markDeleted(key: string): void {
    this.deleted.set(key, this.now() + this.memoryMs);
    if (this.deleted.size > 10_000) this.sweep();
  }

  /** True when this process deleted the object recently (and has not re-created it since). */
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

  private sweep(): void {
    const now = this.now();
    for (const [key, until] of this.deleted) if (until < now) this.deleted.delete(key);
    for (const [key, marks] of this.transient) {
      const live = marks.filter((m) => m.until >= now);
      if (live.length === 0) this.transient.delete(key);
      else this.transient.set(key, live);
    }
  }
}
