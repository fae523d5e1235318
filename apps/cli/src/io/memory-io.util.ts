import type { Io } from './io.types.js';

export interface MemoryIo extends Io {
  stdout(): string;
  stderr(): string;
  /** Resolves `interrupted`, as Ctrl-C does. */
  interrupt(): void;
}

/**
 * The in-memory `Io`: captured output, a given environment and stdin, and a clock that only
 * moves when the CLI sleeps (so waiting code runs instantly and deterministically in tests).
 */
export function memoryIo(
  opts: {
    env?: Record<string, string>;
    cwd?: string;
    stdin?: string;
    isTTY?: boolean;
    colour?: boolean;
    realTime?: boolean;
  } = {},
): MemoryIo {
  let out = '';
  let err = '';
  let clock = Date.parse('2026-01-01T00:00:00Z');
  let interrupt: () => void = () => undefined;
  const interrupted = new Promise<void>((resolve) => {
    interrupt = resolve;
  });
  return {
    out: (text) => {
      out += text;
    },
    err: (text) => {
      err += text;
    },
    isTTY: opts.isTTY ?? false,
    colour: opts.colour ?? false,
    columns: 120,
    env: opts.env ?? {},
    cwd: opts.cwd ?? process.cwd(),
    readStdin: () => Promise.resolve(opts.stdin ?? ''),
    sleep: (ms) => {
      if (opts.realTime) return new Promise((resolve) => setTimeout(resolve, ms));
      clock += ms;
      return Promise.resolve();
    },
    now: () => (opts.realTime ? Date.now() : clock),
    interrupted,
    stdout: () => out,
    stderr: () => err,
    interrupt: () => interrupt(),
  };
}
