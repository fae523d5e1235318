import { runService, type RunningService } from '@heliomesh/observability';
import { CollectorModule } from './app.module.js';
import type { CollectorConfig } from './config.js';

export function startCollector(
  config: CollectorConfig,
  opts: { handleSignals?: boolean; logDestination?: NodeJS.WritableStream } = {},
): Promise<RunningService> {
  return runService({
    name: 'metrics-collector',
    host: config.HOST,
    port: config.COLLECTOR_PORT,
    logLevel: config.LOG_LEVEL,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    module: (runtime) => CollectorModule.forRoot(config, runtime),
    ...opts,
  });
}
