import { runService, type RunningService } from '@heliomesh/observability';
import { PolicyApiModule } from './app.module.js';
import type { PolicyApiConfig } from './config.js';
import { serveOpenApi } from './openapi.util.js';

export function startPolicyApi(
  config: PolicyApiConfig,
  opts: { handleSignals?: boolean; logDestination?: NodeJS.WritableStream } = {},
): Promise<RunningService> {
  return runService({
    name: 'policy-api',
    host: config.HOST,
    port: config.POLICY_API_PORT,
    logLevel: config.LOG_LEVEL,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    module: (runtime) => PolicyApiModule.forRoot(config, runtime),
    configure: (app) => serveOpenApi(app),
    ...opts,
  });
}
