import { HeliomeshError } from '@heliomesh/util';
import { ApiClient, type FetchFn } from '../api/api-client.service.js';
import { LOGIN_HINT } from '../api/api-error.util.js';
import type { CliContext } from '../config/cli-config.schema.js';
import { configPath, findContext, loadConfig } from '../config/cli-config.service.js';
import type { Io } from '../io/io.types.js';
import { type Palette, palette } from '../io/palette.util.js';

/** Options every command accepts (see cli.program.ts). */
export interface GlobalOptions {
  context?: string;
  server?: string;
  token?: string;
  color?: boolean;
}

/** The server, token and tenant a command talks to, and where they came from. */
export interface ResolvedTarget {
  server: string;
  token?: string;
  tenant?: string;
  gateway?: string;
  /** The config context used, if any. */
  context?: string;
}

/** What commands share: output, colours, the config file and the API client. */
export class CliRuntime {
  exitCode = 0;
  private globals: GlobalOptions = {};

  constructor(
    readonly io: Io,
    private readonly fetchFn?: FetchFn,
  ) {}

  setGlobals(globals: GlobalOptions): void {
    this.globals = globals;
  }

  get colour(): boolean {
    return this.io.colour && this.globals.color !== false;
  }

  get p(): Palette {
    return palette(this.colour);
  }

  get configPath(): string {
    return configPath(this.io.env, this.io.cwd);
  }

  out(text: string): void {
    this.io.out(text.endsWith('\n') ? text : `${text}\n`);
  }

  /** Flags first, then HELIOMESH_* variables, then the config file's (current) context. */
  target(): ResolvedTarget {
    const env = this.io.env;
    const contextName = this.globals.context ?? env['HELIOMESH_CONTEXT'];
    const server = this.globals.server ?? env['HELIOMESH_SERVER'];
    let context: CliContext | undefined;
    if (contextName !== undefined || server === undefined) {
      const config = loadConfig(this.configPath);
      const name = contextName ?? config['current-context'];
      if (name !== undefined) context = findContext(config, name);
    }
    const resolved = server ?? context?.server;
    if (!resolved)
      throw new HeliomeshError({
        code: 'NOT_LOGGED_IN',
        status: 401,
        message: `No server configured. ${LOGIN_HINT}`,
      });
    const token = this.globals.token ?? env['HELIOMESH_TOKEN'] ?? context?.token;
    const tenant = env['HELIOMESH_TENANT'] ?? context?.tenant;
    const gateway = env['HELIOMESH_GATEWAY'] ?? context?.gateway;
    return {
      server: resolved,
      ...(token ? { token } : {}),
      ...(tenant ? { tenant } : {}),
      ...(gateway ? { gateway } : {}),
      ...(context && server === undefined ? { context: context.name } : {}),
    };
  }

  api(): ApiClient {
    const t = this.target();
    return new ApiClient({ server: t.server, token: t.token, tenant: t.tenant }, this.fetchFn);
  }

  apiFor(target: ResolvedTarget): ApiClient {
    return new ApiClient({ server: target.server, token: target.token, tenant: target.tenant }, this.fetchFn);
  }

  get fetch(): FetchFn | undefined {
    return this.fetchFn;
  }
}
