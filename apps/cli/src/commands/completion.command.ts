import type { Command } from 'commander';
import { HeliomeshError } from '@heliomesh/util';
import type { CliRuntime } from '../program/cli-runtime.util.js';
import { bashCompletion, zshCompletion } from './completion.util.js';

export function completionCommand(program: Command, rt: CliRuntime): void {
  program
    .command('completion')
    .summary('print a shell completion script (bash or zsh)')
    .description('Prints a completion script for the shell. Load it now or from your shell profile.')
    .argument('<shell>', 'bash or zsh')
    .addHelpText(
      'after',
      '\nExamples:\n  source <(heliomesh completion bash)          # in ~/.bashrc\n  heliomesh completion zsh > "${fpath[1]}/_heliomesh"   # then restart zsh',
    )
    .action((shell: string) => {
      if (shell === 'bash') rt.io.out(bashCompletion(program));
      else if (shell === 'zsh') rt.io.out(zshCompletion(program));
      else
        throw new HeliomeshError({
          code: 'INPUT_INVALID',
          status: 400,
          message: `No completion for "${shell}"; use bash or zsh.`,
        });
    });
}
