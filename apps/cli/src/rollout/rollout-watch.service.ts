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
  const live = io.isTTY;
  const events: RolloutEvent[] = [];
  let lastLine = '';
  let failures = 0;
  let interrupted = false;
  void io.interrupted.then(() => {
    interrupted = true;
  });
  const deadline = opts.timeoutMs === undefined ? Infinity : io.now() + opts.timeoutMs;
  for (;;) {
    let view: RolloutView;
    try {
      view = await api.get<RolloutView>(`/v1/rollouts/${id}`);
      const after = events.at(-1)?.seq;
      const fresh = await api.get<RolloutEvent[]>(`/v1/rollouts/${id}/events`, {
        limit: 1000,
        ...(after !== undefined ? { afterSeq: after } : {}),
      });
      events.push(...fresh);
      failures = 0;
      const printable = opts.events
        ? fresh.map((e) => eventLine(e, p)).filter((l): l is string => l !== undefined)
        : [];
      // Logs may wrap; only a line redrawn in place must fit the terminal.
      const line = progressLine(view, events, p, {
        unicode: live,
        columns: live ? io.columns : Infinity,
        ...(live ? { now: io.now() } : {}),
      });
      if (live) {
        io.out(`\r\x1b[2K${printable.map((l) => `${l}\n`).join('')}${line}`);
      } else {
        for (const l of printable) io.out(`${l}\n`);
        if (line !== lastLine) io.out(`${line}\n`);
      }
      lastLine = line;
      if (isTerminal(view.phase)) {
        if (live) io.out('\n');
        return { view, events, interrupted: false };
      }
    } catch (err) {
      if (
        !(err instanceof HeliomeshError) ||
        (err.status < 500 && err.code !== 'SERVER_UNREACHABLE') ||
        ++failures > MAX_FAILED_READS
      )
        throw err;
    }
    if (io.now() > deadline)
      throw new HeliomeshError({
        code: 'WATCH_TIMEOUT',
        status: 408,
        message: `Rollout ${id} had not finished after ${Math.round((opts.timeoutMs ?? 0) / 1000)} s; it goes on. Watch again with \`heliomesh rollout watch ${id}\`.`,
      });
    await Promise.race([io.sleep(opts.pollMs), io.interrupted]);
    if (interrupted) {
      if (live) io.out('\n');
      const current = await api.get<RolloutView>(`/v1/rollouts/${id}`);
      return { view: current, events, interrupted: true };
    }
  }
}
