// `heliomesh` (bin/heliomesh.mjs builds this project when its dist is missing or stale, then calls main).
import { processIo } from './io/process-io.util.js';
import { runCli } from './program/cli.program.js';

export async function main(argv: readonly string[]): Promise<void> {
  process.exitCode = await runCli(argv.slice(2), processIo());
}
