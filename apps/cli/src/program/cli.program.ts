import { Command, CommanderError } from 'commander';
import { errorMessage, HeliomeshError } from '@heliomesh/util';
import type { FetchFn } from '../api/api-client.service.js';
import { applyCommands } from '../commands/apply.command.js';
import { completionCommand } from '../commands/completion.command.js';
import { contextCommand } from '../commands/context.command.js';
import { demoCommand } from '../commands/demo.command.js';
import { describeCommand } from '../commands/describe.command.js';
import { getCommand } from '../commands/get.command.js';
import { loginCommand } from '../commands/login.command.js';
import { rolloutCommand } from '../commands/rollout.command.js';
import { validateCommand } from '../commands/validate.command.js';
import type { Io } from '../io/io.types.js';
import { palette } from '../io/palette.util.js';
import { CliRuntime, type GlobalOptions } from './cli-runtime.util.js';

export const CLI_VERSION = '0.1.0';

/** The command tree. `rt` carries output and configuration; nothing here touches the process. */
export function buildProgram(rt: CliRuntime): Command {
  const program = new Command('heliomesh')
    .description('Heliomesh: traffic governance and progressive delivery for Istio, from the command line.')
    .version(CLI_VERSION, '-v, --version')
    .option('--context <name>', 'use this saved context (default $HELIOMESH_CONTEXT, else the current one)')
    .option('--server <url>', 'policy API URL, overriding the context ($HELIOMESH_SERVER)')
    .option('--token <token>', 'API token, overriding the context ($HELIOMESH_TOKEN)')
    .option('--no-color', 'plain output (also NO_COLOR=1)')
    .showSuggestionAfterError(true)
    .configureHelp({ showGlobalOptions: true })
    .exitOverride()
    .configureOutput({
      writeOut: (s) => rt.io.out(s),
      writeErr: (s) => rt.io.err(s),
      outputError: (s, write) => write(palette(rt.io.colour).red(s)),
    })
    .addHelpText(
      'after',
      '\nStart with `heliomesh login <server-url> --token <token>`; `heliomesh <command> --help` for details.',
    )
    .hook('preAction', (_this, action) => rt.setGlobals(action.optsWithGlobals<GlobalOptions>()));
  loginCommand(program, rt);
  contextCommand(program, rt);
  getCommand(program, rt);
  describeCommand(program, rt);
  applyCommands(program, rt);
  validateCommand(program, rt);
  rolloutCommand(program, rt);
  completionCommand(program, rt);
  demoCommand(program, rt);
  return program;
}

/**
 * Runs one command line (the words after `heliomesh`) and returns the exit code: 0 success,
 * 1 failure (an error, a validation error, a rollout that did not succeed), 130 interrupted.
 */
export async function runCli(args: readonly string[], io: Io, fetchFn?: FetchFn): Promise<number> {
  const rt = new CliRuntime(io, fetchFn);
  const program = buildProgram(rt);
  try {
    await program.parseAsync([...args], { from: 'user' });
    return rt.exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version are "errors" to commander; their text is already printed.
      return err.exitCode === 0 || err.code === 'commander.helpDisplayed' ? 0 : err.exitCode || 1;
    }
    io.err(`${formatError(err, palette(rt.colour))}\n`);
    return 1;
  }
}

/** One line that says what went wrong and what to do, then the offending paths. */
export function formatError(err: unknown, p = palette(false)): string {
  if (!(err instanceof HeliomeshError)) return p.red(`error: ${errorMessage(err)}`);
  const lines = [p.red(`error: ${err.code}: ${err.message}`)];
  // A header path (the token) says nothing the message does not.
  if (err.path && err.path !== '$' && !err.path.startsWith('$.headers') && !err.details.length)
    lines.push(`  at ${err.path}`);
  for (const d of err.details.slice(0, 20))
    lines.push(`  ${d.path}: ${d.message}${d.code ? ` (${d.code})` : ''}`);
  if (err.details.length > 20) lines.push(`  ... and ${err.details.length - 20} more`);
  return lines.join('\n');
}
