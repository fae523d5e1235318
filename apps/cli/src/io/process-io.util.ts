import { type Io, wantsColour } from './io.types.js';

/** The real process as an `Io`. */
export function processIo(): Io {
  const isTTY = process.stdout.isTTY === true;
  let onInterrupt: () => void = () => undefined;
  const interrupted = new Promise<void>((resolve) => {
    onInterrupt = resolve;
  });
  process.once('SIGINT', () => {
    onInterrupt();
    // A second Ctrl-C leaves at once, whatever is still running.
    process.once('SIGINT', () => process.exit(130));
  });
  return {
    out: (text) => void process.stdout.write(text),
    err: (text) => void process.stderr.write(text),
    isTTY,
    colour: wantsColour(process.env, isTTY),
    // A pty without a size (script, some CI runners) reports 0 columns.
    columns: process.stdout.columns || Number(process.env['COLUMNS']) || 100,
    env: process.env,
    cwd: process.cwd(),
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    now: () => Date.now(),
    interrupted,
  };
}
