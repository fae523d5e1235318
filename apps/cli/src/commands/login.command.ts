import type { Command } from 'commander';
import { HeliomeshError } from '@heliomesh/util';
import { ApiClient } from '../api/api-client.service.js';
import { type CliContext, contextSchema } from '../config/cli-config.schema.js';
import { contextNameFor, loadConfig, saveConfig, upsertContext } from '../config/cli-config.service.js';
import type { CliRuntime } from '../program/cli-runtime.util.js';

interface LoginOptions {
  tokenStdin?: boolean;
  name?: string;
  gateway?: string;
  tenant?: string;
  verify: boolean;
}

export function loginCommand(program: Command, rt: CliRuntime): void {
  program
    .command('login')
    .summary('save a server URL and token as a context (and make it current)')
    .description(
      'Saves a server URL and token as a context in the config file (mode 0600) and makes it the current one. ' +
        'Give the token with --token (or HELIOMESH_TOKEN, or --token-stdin). It is checked against the server ' +
        'first (skip with --no-verify).',
    )
    .argument('<server>', 'the policy API, e.g. http://127.0.0.1:3000')
    .option('--token-stdin', 'read the token from standard input (keeps it out of shell history)')
    .option('--name <context>', 'context name (default: host-port of the server)')
    .option('--gateway <url>', 'the GraphQL gateway, for live health in `describe service`')
    .option('--tenant <name>', 'for platform admin tokens: the tenant to act in')
    .option('--no-verify', 'save without checking the token against the server')
    .addHelpText(
      'after',
      '\nExample (the sandbox `npm start` runs):\n  heliomesh login http://127.0.0.1:3000 --token "$(cat .heliomesh/demo-operator-token)" --gateway http://127.0.0.1:4000',
    )
    .action(async (server: string, opts: LoginOptions, cmd: Command) => {
      const explicit = cmd.optsWithGlobals<{ token?: string }>().token ?? rt.io.env['HELIOMESH_TOKEN'];
      const token = opts.tokenStdin ? (await rt.io.readStdin()).trim() : explicit?.trim();
      if (!token)
        throw new HeliomeshError({
          code: 'TOKEN_MISSING',
          status: 400,
          message: 'Give the token: --token <token>, --token-stdin, or HELIOMESH_TOKEN.',
        });
      const candidate = {
        name: opts.name ?? contextNameFor(validUrl(server)),
        server: server.replace(/\/+$/, ''),
        token,
        ...(opts.gateway ? { gateway: opts.gateway.replace(/\/+$/, '') } : {}),
        ...(opts.tenant ? { tenant: opts.tenant } : {}),
      };
      const parsed = contextSchema.safeParse(candidate);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw new HeliomeshError({
          code: 'INPUT_INVALID',
          status: 400,
          message: `${String(issue.path[0] ?? 'login')} ${issue.message}.`,
        });
      }
      if (opts.verify) await verify(rt, parsed.data);
      const path = rt.configPath;
      saveConfig(path, upsertContext(loadConfig(path), parsed.data));
      rt.out(
        `Logged in to ${parsed.data.server} as context "${parsed.data.name}" (token ${mask(token)}); saved in ${path}.`,
      );
    });
}

function validUrl(server: string): string {
  if (!/^https?:\/\//.test(server) || !URL.canParse(server))
    throw new HeliomeshError({
      code: 'INPUT_INVALID',
      status: 400,
      message: `"${server}" is not a server URL; give one like http://127.0.0.1:3000.`,
    });
  return server;
}

/** Any authenticated read proves the token; the cluster list is open to every role. */
async function verify(rt: CliRuntime, context: CliContext): Promise<void> {
  const client = new ApiClient(
    { server: context.server, token: context.token, tenant: context.tenant },
    rt.fetch,
  );
  const res = await client.request('GET', '/v1/clusters', { accept: [401] });
  if (res.status === 401) {
    const body = res.body as { error?: { code?: string; message?: string } } | undefined;
    throw new HeliomeshError({
      code: body?.error?.code ?? 'AUTH_INVALID',
      status: 401,
      message: `${context.server} refused the token: ${body?.error?.message ?? 'not valid'} Nothing was saved.`,
    });
  }
}

/** Enough of a token to tell two apart, never enough to use it. */
export function mask(token: string): string {
  return token.length > 10 ? `${token.slice(0, 7)}…` : '…';
}
