import { runService, type RunningService } from '@heliomesh/observability';
import { WorkerModule } from './app.module.js';
import type { WorkerConfig } from './config.js';

/** The worker serves no API, only /healthz, /readyz and /metrics on its own port. */
export function startWorker(
  config: WorkerConfig,
  opts: { handleSignals?: boolean; logDestination?: NodeJS.WritableStream } = {},
): Promise<RunningService> {
  return runService({
    name: 'rollout-worker',
    host: config.HOST,
    port: config.WORKER_PORT,
    logLevel: config.LOG_LEVEL,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    module: (runtime) => WorkerModule.forRoot(config, runtime),
    ...opts,
  });
}
