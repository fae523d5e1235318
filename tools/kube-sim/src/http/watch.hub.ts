import type { ServerResponse } from 'node:http';
import { presentAs } from '../api/commit.util.js';
import { matchesSelectors, type Selectors } from '../api/list.service.js';
import type { JsonObject, KubeObject } from '../api/object.types.js';
import { expired } from '../api/status.util.js';
import type { Target } from '../api/write.types.js';
import type { ObjectStore, StoreEvent } from '../store/object.store.js';
import { toTable, type TableRequest } from '../table/table.util.js';

export interface WatchRequest {
  target: Target;
  selectors: Selectors;
  /** null: start with the current state as ADDED events. */
  resourceVersion: string | null;
  bookmarks: boolean;
  sendInitialEvents: boolean;
  timeoutSeconds: number;
  table?: TableRequest;
}

type EventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

class Watcher {
  private columnsSent = false;
  /** Events at or below this resourceVersion were already covered (replay, or a future start). */
  minRv = 0;
  private readonly timers: NodeJS.Timeout[] = [];
  closed = false;

  constructor(
    readonly req: WatchRequest,
    private readonly res: ServerResponse,
    private readonly onClose: (w: Watcher) => void,
  ) {
    res.on('close', () => this.close());
  }

  start(bookmarkIntervalMs: number, currentRv: () => number): void {
    this.res.writeHead(200, {
      'Content-Type': 'application/json',
      'Cache-Control': 'no-cache, private',
      'Transfer-Encoding': 'chunked',
    });
    this.res.flushHeaders();
    if (this.req.bookmarks)
      this.timers.push(setInterval(() => this.bookmark(String(currentRv())), bookmarkIntervalMs));
    if (this.req.timeoutSeconds > 0)
      this.timers.push(setTimeout(() => this.close(), this.req.timeoutSeconds * 1000));
  }

  matches(obj: KubeObject): boolean {
    const t = this.req.target;
    if (t.namespace && obj.metadata.namespace !== t.namespace) return false;
    if (t.name && obj.metadata.name !== t.name) return false;
    return matchesSelectors(t.rt, this.req.selectors, obj);
  }

  send(type: EventType, obj: KubeObject): void {
    if (this.closed) return;
    const t = this.req.target;
    const object: JsonObject = this.req.table
      ? toTable(
          t.rt,
          t.version,
          [presentAs(t.rt, t.version, obj)],
          this.req.table,
          { resourceVersion: obj.metadata.resourceVersion },
          !this.columnsSent,
        )
      : presentAs(t.rt, t.version, obj);
    this.columnsSent = true;
    this.res.write(`${JSON.stringify({ type, object })}\n`);
  }

  bookmark(rv: string, initialEventsEnd = false): void {
    if (this.closed) return;
    const t = this.req.target;
    const metadata: JsonObject = { resourceVersion: rv };
    if (initialEventsEnd) metadata['annotations'] = { 'k8s.io/initial-events-end': 'true' };
    const apiVersion = t.rt.group ? `${t.rt.group}/${t.version}` : t.version;
    this.res.write(
      `${JSON.stringify({ type: 'BOOKMARK', object: { kind: t.rt.kind, apiVersion, metadata } })}\n`,
    );
  }

  /** Reports a watch error as the API server does: one ERROR event, then the stream ends. */
  error(status: JsonObject): void {
    if (!this.closed) this.res.write(`${JSON.stringify({ type: 'ERROR', object: status })}\n`);
    this.close();
  }

  /** Routes one store event through the selectors: objects entering them are ADDED, leaving them DELETED. */
  deliver(ev: StoreEvent): void {
    if (ev.rv <= this.minRv) return;
    const now = this.matches(ev.object);
    const before = ev.prev ? this.matches(ev.prev) : false;
    switch (ev.type) {
      case 'ADDED':
        if (now) this.send('ADDED', ev.object);
        break;
      case 'MODIFIED':
        if (now && before) this.send('MODIFIED', ev.object);
        else if (now) this.send('ADDED', ev.object);
        else if (before)
          this.send('DELETED', {
            ...ev.prev!,
            metadata: { ...ev.prev!.metadata, resourceVersion: String(ev.rv) },
          });
        break;
      case 'DELETED':
        if (before || now) this.send('DELETED', ev.object);
        break;
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.onClose(this);
    if (!this.res.writableEnded) this.res.end();
  }
}

/** All open watches; fed synchronously by the store, so no event can slip between replay and live. */
export class WatchHub {
  private readonly watchers = new Set<Watcher>();
  private readonly byKey = new Map<string, Set<Watcher>>();

  constructor(
    private readonly store: ObjectStore,
    private readonly bookmarkIntervalMs: number,
  ) {
    store.subscribe((ev) => {
      for (const w of this.byKey.get(ev.key) ?? []) w.deliver(ev);
    });
  }

  get size(): number {
    return this.watchers.size;
  }

  open(req: WatchRequest, res: ServerResponse): void {
    const w = new Watcher(req, res, (x) => this.forget(x));
    const key = req.target.rt.key;
    w.start(this.bookmarkIntervalMs, () => this.store.currentRv);
    const rv = req.resourceVersion;
    if (rv === null || rv === '' || rv === '0' || req.sendInitialEvents) {
      for (const obj of this.store.list(key, req.target.namespace || undefined))
        if (w.matches(obj)) w.send('ADDED', obj);
      if (req.sendInitialEvents) w.bookmark(String(this.store.currentRv), true);
    } else {
      const events = this.store.eventsSince(Number(rv), key);
      if (!events) {
        w.error(expired(`too old resource version: ${rv} (${this.store.oldestWatchableRv + 1})`).toStatus());
        return;
      }
      for (const ev of events) w.deliver(ev);
      w.minRv = Number(rv);
    }
    this.watchers.add(w);
    let set = this.byKey.get(key);
    if (!set) this.byKey.set(key, (set = new Set()));
    set.add(w);
  }

  private forget(w: Watcher): void {
    this.watchers.delete(w);
    this.byKey.get(w.req.target.rt.key)?.delete(w);
  }

  /** Ends every watch stream cleanly (clients reconnect from their last resourceVersion). */
  closeAll(): void {
    for (const w of [...this.watchers]) w.close();
  }
}
