import type { Command, Option } from 'commander';

/** Options whose value is a file, so the shell completes file names after them. */
const FILE_OPTIONS = ['-f', '--filename', '--services'];
const FORMAT_OPTIONS = ['-o', '--output'];

interface Node {
  /** Space-separated command path below the root, `""` for the root. */
  path: string;
  words: string[];
}

function optionFlags(options: readonly Option[]): string[] {
  return options.flatMap((o) => [o.short, o.long].filter((f): f is string => f !== undefined));
}

/** Every command path with what may follow it: subcommands (and aliases) and options. */
export function completionTree(program: Command): Node[] {
  const out: Node[] = [];
  const visit = (cmd: Command, path: string[], inherited: string[]) => {
    const subs = cmd.commands.filter((c) => c.name() !== 'help');
    const own = optionFlags(cmd.options);
    out.push({
      path: path.join(' '),
      words: [...subs.flatMap((c) => [c.name(), ...c.aliases()]), ...own, ...inherited, '--help'],
    });
    for (const sub of subs) {
      for (const name of [sub.name(), ...sub.aliases()]) visit(sub, [...path, name], inherited);
    }
  };
  visit(program, [], []);
  out[0]!.words = [...new Set(out[0]!.words)];
  const globals = optionFlags(program.options).filter((f) => f.startsWith('--'));
  return out.map((n) => ({ path: n.path, words: [...new Set(n.path ? [...n.words, ...globals] : n.words)] }));
}

/**
 * Bash: walks the words typed so far, skipping options and their values, to the deepest known
 * command path, then offers what may follow it. File names after -f/--services, formats after -o.
 */
export function bashCompletion(program: Command): string {
  const cases = completionTree(program)
    .map((n) => `    "${n.path}") words="${n.words.join(' ')}" ;;`)
    .join('\n');
  return `# bash completion for heliomesh (heliomesh completion bash)
_heliomesh() {
  local cur prev path words i w
  cur="\${COMP_WORDS[COMP_CWORD]}"
  prev="\${COMP_WORDS[COMP_CWORD-1]}"
  case "$prev" in
    ${FILE_OPTIONS.join('|')}) COMPREPLY=( $(compgen -f -- "$cur") ); return 0 ;;
    ${FORMAT_OPTIONS.join('|')}) COMPREPLY=( $(compgen -W "table json yaml text" -- "$cur") ); return 0 ;;
  esac
  path=""
  for (( i=1; i<COMP_CWORD; i++ )); do
    w="\${COMP_WORDS[i]}"
    [[ "$w" == -* ]] && continue
    if _heliomesh_known "\${path:+$path }$w"; then path="\${path:+$path }$w"; fi
  done
  _heliomesh_words "$path"
  COMPREPLY=( $(compgen -W "$words" -- "$cur") )
}
_heliomesh_words() {
  case "$1" in
${cases}
    *) words="" ;;
  esac
}
_heliomesh_known() {
  local words
  _heliomesh_words "$1"
  [[ -n "$words" ]]
}
complete -o default -F _heliomesh heliomesh
`;
}

/** Zsh runs the bash function through bashcompinit, so both shells complete the same way. */
export function zshCompletion(program: Command): string {
  return `#compdef heliomesh
# zsh completion for heliomesh (heliomesh completion zsh)
autoload -U +X bashcompinit && bashcompinit
${bashCompletion(program).replace(/^# bash completion.*\n/, '')}`;
}
