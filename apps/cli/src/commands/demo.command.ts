import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Command, Option } from 'commander';
import { HeliomeshError } from '@heliomesh/util';
import { runDemo } from '../demo/demo.service.js';
import type { CliRuntime } from '../program/cli-runtime.util.js';
import { parseDuration } from './rollout.command.js';

/** apps/cli/demo, from src/commands (tests) and dist/commands (the built CLI) alike. */
const ASSETS = fileURLToPath(new URL('../../demo', import.meta.url));

interface DemoFlags {
  stateDir?: string;
  gateway?: string;
  interval?: string;
  poll: number;
  timeout: number;
}

export function demoCommand(program: Command, rt: CliRuntime): void {
  program
    .command('demo')
    .summary('run the demo story against a running `npm start` (npm run demo)')
    .description(
      'Against a running `npm start` (sandbox): applies three policies to the demo shop (fault injection on ' +
        'ratings, a rate limit on checkout, a deny list on payment), then runs a canary of reviews v2 that is ' +
        'promoted and one of reviews v3 that is rolled back, with live progress bars and the evidence for each ' +
        'decision. Reads the server from --server/HELIOMESH_SERVER (default http://127.0.0.1:$POLICY_API_PORT) ' +
        'and the demo token from --token/HELIOMESH_TOKEN or the state directory. Exit code 0 when both ' +
        'canaries end as expected.',
    )
    .option(
      '--state-dir <dir>',
      'where `npm start` keeps the demo token (default $HELIOMESH_STATE_DIR or .heliomesh)',
    )
    .option('--gateway <url>', 'GraphQL gateway (default http://127.0.0.1:$GATEWAY_PORT)')
    .option(
      '--interval <duration>',
      'analysis interval and window of the canaries (default 10s; 2s with MESH_SIM_SPEED=10 SCRAPE_INTERVAL_MS=500 npm start)',
    )
    .addOption(
      new Option('--poll <duration>', 'time between progress reads')
        .argParser(parseDuration)
        .default(1000, '1s'),
    )
    .addOption(
      new Option('--timeout <duration>', 'give up on a canary after this long')
        .argParser(parseDuration)
        .default(600_000, '10m'),
    )
    .action(async (opts: DemoFlags, cmd: Command) => {
      const globals = cmd.optsWithGlobals<{ server?: string; token?: string }>();
      const env = rt.io.env;
      if (opts.interval !== undefined) parseDuration(opts.interval);
      const server =
        globals.server ?? env['HELIOMESH_SERVER'] ?? `http://127.0.0.1:${env['POLICY_API_PORT'] || '3000'}`;
      const gateway = opts.gateway ?? `http://127.0.0.1:${env['GATEWAY_PORT'] || '4000'}`;
      const stateDir = opts.stateDir ?? env['HELIOMESH_STATE_DIR'] ?? '.heliomesh';
      const explicit = globals.token ?? env['HELIOMESH_TOKEN'];
      const token = explicit ?? demoToken(resolve(rt.io.cwd, stateDir));
      const tokenHint = explicit ? '<your token>' : `"$(cat ${join(stateDir, 'demo-operator-token')})"`;
      const outcome = await runDemo(rt, {
        server,
        token,
        gateway,
        tokenHint,
        assetsDir: ASSETS,
        interval: opts.interval,
        pollMs: opts.poll,
        timeoutMs: opts.timeout,
      });
      rt.exitCode = outcome.interrupted ? 130 : outcome.asExpected ? 0 : 1;
    });
}

function demoToken(stateDir: string): string {
  const file = join(stateDir, 'demo-operator-token');
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    throw new HeliomeshError({
      code: 'DEMO_TOKEN_MISSING',
      status: 401,
      message: `No demo token at ${file}. Start the platform with \`npm start\` (it seeds the demo tenant and writes the token), then run \`npm run demo\` again; or pass --token.`,
    });
  }
}
