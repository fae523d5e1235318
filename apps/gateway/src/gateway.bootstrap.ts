import { runService, type RunningService } from '@heliomesh/observability';
import { GatewayModule } from './app.module.js';
import type { GatewayConfig } from './config.js';

export function startGateway(
  config: GatewayConfig,
  opts: { handleSignals?: boolean; logDestination?: NodeJS.WritableStream } = {},
): Promise<RunningService> {
  return runService({
    name: 'gateway',
    host: config.HOST,
    port: config.GATEWAY_PORT,
    logLevel: config.LOG_LEVEL,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    module: (runtime) => GatewayModule.forRoot(config, runtime),
    ...opts,
  });
}
