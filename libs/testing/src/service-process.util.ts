import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, for spawning built entry points. */
export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export interface ProcessResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  elapsedMs: number;
}

export interface SpawnedProcess {
  child: ChildProcess;
  output(): { stdout: string; stderr: string };
  /** Resolves when a line of output matches, or rejects after `timeoutMs`. */
  waitForOutput(pattern: RegExp, timeoutMs: number): Promise<string>;
  exited: Promise<ProcessResult>;
}

/** Runs a built Node entry point (path relative to the repository root) with extra environment. */
export function spawnNode(entry: string, env: Record<string, string>, args: string[] = []): SpawnedProcess {
  const started = Date.now();
  const child = spawn(process.execPath, [join(REPO_ROOT, entry), ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const waiters: Array<{ pattern: RegExp; resolve: (line: string) => void }> = [];
  const onData = (chunk: Buffer, sink: 'out' | 'err') => {
    const text = chunk.toString();
    if (sink === 'out') stdout += text;
    else stderr += text;
    for (const line of text.split('\n')) {
      for (const waiter of [...waiters]) {
        if (waiter.pattern.test(line)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(line);
        }
      }
    }
  };
  child.stdout!.on('data', (c: Buffer) => onData(c, 'out'));
  child.stderr!.on('data', (c: Buffer) => onData(c, 'err'));
  const exited = new Promise<ProcessResult>((resolve) => {
    child.on('exit', (code, signal) =>
      resolve({ code, signal, stdout, stderr, elapsedMs: Date.now() - started }),
    );
  });
  return {
    child,
    output: () => ({ stdout, stderr }),
    exited,
    waitForOutput(pattern, timeoutMs) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(new Error(`no output matching ${pattern} within ${timeoutMs} ms\n${stdout}\n${stderr}`)),
          timeoutMs,
        );
        waiters.push({
          pattern,
          resolve: (line) => {
            clearTimeout(timer);
            resolve(line);
          },
        });
        void exited.then(() => {
          clearTimeout(timer);
          reject(new Error(`process exited before printing ${pattern}\n${stdout}\n${stderr}`));
        });
      });
    },
  };
}

/** Polls `fn` until it returns a truthy value, or fails with the last error after `timeoutMs`. */
export async function eventually<T>(
  fn: () => Promise<T | undefined | false>,
  timeoutMs = 10_000,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await fn();
      if (value) return value;
      last = new Error('condition not met');
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw last instanceof Error ? new Error(`not within ${timeoutMs} ms: ${last.message}`) : last;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
