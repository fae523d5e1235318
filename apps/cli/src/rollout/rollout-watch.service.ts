import { HeliomeshError } from '@heliomesh/util';
import type { ApiClient } from '../api/api-client.service.js';
import { isTerminal, type RolloutEvent, type RolloutView } from '../api/api.types.js';
import type { Io } from '../io/io.types.js';
import type { Palette } from '../io/palette.util.js';
import { eventLine, progressLine } from './rollout-format.util.js';

export interface WatchOptions {
  /** Time between two reads of the rollout. */
  pollMs: number;
  /** Give up after this long (ms); undefined waits for the end. */
  timeoutMs?: number;
  /** Print the notable events above the progress line. */
  events: boolean;
}

export interface WatchResult {
  view: RolloutView;
  events: RolloutEvent[];
  /** Ctrl-C ended the watch before the rollout did. */
  interrupted: boolean;
}

/** Consecutive failed reads tolerated (the API restarting, a dropped connection) before giving up. */
const MAX_FAILED_READS = 10;

/**
 * Follows a rollout until it ends: on a terminal, one progress line redrawn in place with the
 * events scrolling above it; elsewhere (CI logs), the events and one line per change. REST
 * polling with `afterSeq` catches every event, whatever the gaps between reads.
 */
export async function watchRollout(
  api: ApiClient,
  id: string,
  io: Io,
  p: Palette,
  opts: WatchOptions,
): Promise<WatchResult> {
  const screen = new WatchScreen(io, p, opts.events);
  const events: RolloutEvent[] = [];
  let failures = 0;
  let interrupted = false;
  void io.interrupted.then(() => {
    interrupted = true;
  });
  const deadline = opts.timeoutMs === undefined ? Infinity : io.now() + opts.timeoutMs;
  for (;;) {
    try {
      const view = await api.get<RolloutView>(`/v1/rollouts/${id}`);
      const fresh = await api.get<RolloutEvent[]>(`/v1/rollouts/${id}/events`, {
        limit: 1000,
        ...(events.length ? { afterSeq: events.at(-1)!.seq } : {}),
      });
      events.push(...fresh);
      failures = 0;
      screen.show(view, fresh, events);
      if (isTerminal(view.phase)) return { view, events, interrupted: false };
    } catch (err) {
      if (!retriable(err) || ++failures > MAX_FAILED_READS) throw err;
    }
    if (io.now() > deadline)
      throw new HeliomeshError({
        code: 'WATCH_TIMEOUT',
        status: 408,
        message: `Rollout ${id} had not finished after ${Math.round((opts.timeoutMs ?? 0) / 1000)} s; it goes on. Watch again with \`heliomesh rollout watch ${id}\`.`,
      });
    await Promise.race([io.sleep(opts.pollMs), io.interrupted]);
    if (interrupted) {
      screen.end();
      return { view: await api.get<RolloutView>(`/v1/rollouts/${id}`), events, interrupted: true };
    }
  }
}

/** A restarting API or a dropped connection, worth another read. */
function retriable(err: unknown): boolean {
  return err instanceof HeliomeshError && (err.status >= 500 || err.code === 'SERVER_UNREACHABLE');
}

/** What the watch prints: events above, and the progress line redrawn in place (terminal) or once per change (logs). */
class WatchScreen {
  private lastLine = '';

  constructor(
    private readonly io: Io,
    private readonly p: Palette,
    private readonly withEvents: boolean,
  ) {}

  show(view: RolloutView, fresh: readonly RolloutEvent[], all: readonly RolloutEvent[]): void {
    const live = this.io.isTTY;
    const printable = this.withEvents
      ? fresh.map((e) => eventLine(e, this.p)).filter((l): l is string => l !== undefined)
      : [];
    // Logs may wrap; only a line redrawn in place must fit the terminal.
    const line = progressLine(view, all, this.p, {
      unicode: live,
      columns: live ? this.io.columns : Infinity,
      ...(live ? { now: this.io.now() } : {}),
    });
    if (live) {
      this.io.out(`\r\x1b[2K${printable.map((l) => `${l}\n`).join('')}${line}`);
      if (isTerminal(view.phase)) this.end();
    } else {
      for (const l of printable) this.io.out(`${l}\n`);
      if (line !== this.lastLine) this.io.out(`${line}\n`);
    }
    this.lastLine = line;
  }

  /** Leaves the live line, so what follows starts on a line of its own. */
  end(): void {
    if (this.io.isTTY) this.io.out('\n');
  }
}
