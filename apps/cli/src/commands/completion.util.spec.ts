import { describe, expect, it } from 'vitest';
import { CliRuntime } from '../program/cli-runtime.util.js';
import { buildProgram } from '../program/cli.program.js';
import { memoryIo } from '../io/memory-io.util.js';
import { bashCompletion, completionTree, zshCompletion } from './completion.util.js';

const program = buildProgram(new CliRuntime(memoryIo()));

describe('completion', () => {
  it('knows every command path with its subcommands, aliases and options', () => {
    const tree = new Map(completionTree(program).map((n) => [n.path, n.words]));
    expect(tree.get('')).toEqual(
      expect.arrayContaining(['login', 'get', 'rollout', 'validate', 'completion', '--context', '--server']),
    );
    expect(tree.get('get')).toEqual(
      expect.arrayContaining(['services', 'svc', 'policies', 'rollouts', 'audit']),
    );
    expect(tree.get('rollout')).toEqual(
      expect.arrayContaining(['start', 'watch', 'pause', 'resume', 'promote', 'abort', 'retry']),
    );
    expect(tree.get('rollout watch')).toEqual(
      expect.arrayContaining(['--timeout', '--namespace', '-n', '--context']),
    );
    expect(tree.get('get svc')).toEqual(tree.get('get services'));
    expect(tree.has('help')).toBe(false);
  });

  it('writes a bash function registered for heliomesh, and zsh loads the same through bashcompinit', () => {
    const bash = bashCompletion(program);
    expect(bash).toContain('complete -o default -F _heliomesh heliomesh');
    expect(bash).toContain('"rollout watch") words="');
    const zsh = zshCompletion(program);
    expect(zsh.startsWith('#compdef heliomesh\n')).toBe(true);
    expect(zsh).toContain('bashcompinit');
    expect(zsh).toContain('_heliomesh()');
  });
});
