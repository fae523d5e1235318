/**
 * One poll loop per key, shared by every subscriber of that key on this gateway replica: a
 * hundred dashboards watching one namespace cost one read per interval. A subscriber that joins
 * late first receives the current state; later ones only what changed.
 */
export class SharedPoller<S> {
  private readonly entries = new Map<
    string,
    { listeners: Set<(state: S) => void>; state?: S; timer?: NodeJS.Timeout; stopped: boolean }
  >();

  constructor(
    private readonly intervalMs: number,
    private readonly read: (key: string) => Promise<S>,
    /** A fingerprint of what subscribers care about; a new state is sent only when it differs. */
    private readonly fingerprint: (state: S) => string,
    private readonly onError: (err: unknown, key: string) => void,
  ) {}

  subscribe(key: string, listener: (state: S) => void): () => void {
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { listeners: new Set(), stopped: false };
      this.entries.set(key, entry);
      void this.loop(key, entry);
    } else if (entry.state !== undefined) {
      listener(entry.state);
    }
    entry.listeners.add(listener);
    const current = entry;
    return () => {
      current.listeners.delete(listener);
      if (current.listeners.size === 0) this.stop(key, current);
    };
  }

  /** Keys polled right now, for tests and metrics. */
  get activeKeys(): string[] {
    return [...this.entries.keys()];
  }

  close(): void {
    for (const [key, entry] of this.entries) this.stop(key, entry);
  }

  private stop(key: string, entry: { timer?: NodeJS.Timeout; stopped: boolean }): void {
    entry.stopped = true;
    clearTimeout(entry.timer);
    if (this.entries.get(key) === entry) this.entries.delete(key);
  }

  private async loop(
    key: string,
    entry: { listeners: Set<(state: S) => void>; state?: S; timer?: NodeJS.Timeout; stopped: boolean },
  ): Promise<void> {
    try {
      const next = await this.read(key);
      if (
        !entry.stopped &&
        (entry.state === undefined || this.fingerprint(entry.state) !== this.fingerprint(next))
      ) {
        entry.state = next;
        for (const listener of [...entry.listeners]) listener(next);
      }
    } catch (err) {
      this.onError(err, key);
    }
    if (entry.stopped) return;
    entry.timer = setTimeout(() => void this.loop(key, entry), this.intervalMs);
    entry.timer.unref();
  }
}
