import { runService, type RunningService } from '@heliomesh/observability';
import { GatewayModule, type GatewayModuleOptions } from './app.module.js';
import type { GatewayConfig } from './config.js';

export interface StartOptions extends GatewayModuleOptions {
  handleSignals?: boolean;
  logDestination?: NodeJS.WritableStream;
}

export function startGateway(config: GatewayConfig, opts: StartOptions = {}): Promise<RunningService> {
  const { clusterTargets, ...rest } = opts;
  return runService({
    name: 'gateway',
    host: config.HOST,
    port: config.GATEWAY_PORT,
    logLevel: config.LOG_LEVEL,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    module: (runtime) => GatewayModule.forRoot(config, runtime, clusterTargets ? { clusterTargets } : {}),
    ...rest,
  });
}
