/**
 * Everything a command touches outside itself, so the whole CLI runs in-process in tests with
 * captured output and its own environment, and from `bin/heliomesh.mjs` against the real process.
 */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** stdout is a terminal: progress bars redraw in place instead of printing one line per update. */
  isTTY: boolean;
  /** ANSI colours on stdout (off for NO_COLOR, TERM=dumb, a pipe, or --no-color). */
  colour: boolean;
  /** Terminal width, for progress bars. */
  columns: number;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /** The whole of standard input (for `--token-stdin` and `-f -`). */
  readStdin(): Promise<string>;
  sleep(ms: number): Promise<void>;
  now(): number;
  /** Resolves when the user interrupts (Ctrl-C); commands that wait use it to stop cleanly. */
  interrupted: Promise<void>;
}

/** Whether colours are wanted, by the conventions of https://no-color.org and most CLIs. */
export function wantsColour(env: Io['env'], isTTY: boolean): boolean {
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return false;
  if (env['FORCE_COLOR'] !== undefined && env['FORCE_COLOR'] !== '0') return true;
  return isTTY && env['TERM'] !== 'dumb';
}
