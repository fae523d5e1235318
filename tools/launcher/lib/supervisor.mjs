import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { formatLogLine } from './log-format.mjs';

const COLOURS = [36, 35, 34, 33, 32, 96, 95, 94];

/**
 * Runs several processes as one: each output line is prefixed with the process name, and
 * stopping sends SIGTERM to all and waits (bounded) for them to exit.
 */
export class Supervisor {
  /** @param {{ json: boolean, colour: boolean, onUnexpectedExit: (name: string, code: number | null) => void }} opts */
  constructor(opts) {
    this.opts = opts;
    /** @type {Map<string, { child: import('node:child_process').ChildProcess, exited: Promise<number | null> }>} */
    this.children = new Map();
    this.stopping = false;
    this.width = 0;
  }

  /** @param {{ name: string, command: string, args: string[], env: Record<string, string>, cwd: string }} spec */
  start(spec) {
    const colour = COLOURS[this.children.size % COLOURS.length];
    this.width = Math.max(this.width, spec.name.length);
    const child = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env: { ...process.env, ...spec.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const prefix = () => {
      const label = spec.name.padEnd(this.width);
      return this.opts.colour ? `\x1b[${colour}m${label}\x1b[0m |` : `${label} |`;
    };
    const drained = [child.stdout, child.stderr].map((stream) => {
      const lines = createInterface({ input: stream });
      lines.on('line', (line) => {
        const text = this.opts.json ? line : formatLogLine(line, this.opts.colour);
        process.stdout.write(`${prefix()} ${text}\n`);
      });
      return new Promise((resolve) => lines.once('close', resolve));
    });
    // The last lines a process prints before exiting are still worth showing.
    const exited = new Promise((resolve) => {
      child.on('exit', async (code) => {
        await Promise.all(drained);
        this.children.delete(spec.name);
        if (!this.stopping) this.opts.onUnexpectedExit(spec.name, code);
        resolve(code);
      });
    });
    this.children.set(spec.name, { child, exited });
  }

  /** SIGTERM to every process, SIGKILL to any still running after `graceMs`. */
  async stopAll(graceMs) {
    this.stopping = true;
    const running = [...this.children.entries()];
    for (const [, { child }] of running) child.kill('SIGTERM');
    const timer = setTimeout(() => {
      for (const [name, { child }] of this.children) {
        process.stdout.write(`${name} did not stop within ${graceMs} ms; killing it\n`);
        child.kill('SIGKILL');
      }
    }, graceMs);
    const codes = await Promise.all(running.map(([, { exited }]) => exited));
    clearTimeout(timer);
    return codes;
  }
}
