import type { Command } from 'commander';
import { findContext, loadConfig, saveConfig } from '../config/cli-config.service.js';
import { renderTable } from '../io/table.util.js';
import type { CliRuntime } from '../program/cli-runtime.util.js';

export function contextCommand(program: Command, rt: CliRuntime): void {
  const context = program
    .command('context')
    .summary('list, switch and remove saved servers')
    .description(
      'Contexts are saved servers and tokens (heliomesh login adds them). Tokens are never printed.',
    );
  context
    .command('list')
    .alias('ls')
    .description('list the contexts; * marks the current one')
    .action(() => list(rt));
  context
    .command('use')
    .description('make a context the current one')
    .argument('<name>', 'context name (heliomesh context list)')
    .action((name: string) => {
      const config = loadConfig(rt.configPath);
      findContext(config, name);
      saveConfig(rt.configPath, { ...config, 'current-context': name });
      rt.out(`Switched to context "${name}".`);
    });
  context
    .command('current')
    .description('print the current context and its server')
    .action(() => {
      const t = rt.target();
      rt.out(
        t.context
          ? `${t.context} ${t.server}`
          : `(no context: ${t.server} from --server or HELIOMESH_SERVER)`,
      );
    });
  context
    .command('delete')
    .alias('rm')
    .description('remove a context and its token from the config file')
    .argument('<name>', 'context name')
    .action((name: string) => remove(rt, name));
}

function list(rt: CliRuntime): void {
  const config = loadConfig(rt.configPath);
  if (!config.contexts.length) {
    rt.out('No contexts yet. Log in: heliomesh login <server-url> --token <token>');
    return;
  }
  rt.out(
    renderTable(
      ['current', 'name', 'server', 'gateway', 'tenant'],
      config.contexts.map((c) => [
        c.name === config['current-context'] ? '*' : ' ',
        c.name,
        c.server,
        c.gateway ?? '',
        c.tenant ?? '',
      ]),
    ),
  );
}

function remove(rt: CliRuntime, name: string): void {
  const config = loadConfig(rt.configPath);
  findContext(config, name);
  const current = config['current-context'] === name ? undefined : config['current-context'];
  saveConfig(rt.configPath, {
    'current-context': current,
    contexts: config.contexts.filter((c) => c.name !== name),
  });
  rt.out(
    `Deleted context "${name}".${current === undefined ? ' No context is current now; heliomesh context use <name>.' : ''}`,
  );
}
