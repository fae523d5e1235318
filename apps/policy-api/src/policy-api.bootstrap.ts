import { KubeClusterTargets } from '@heliomesh/core';
import { runService, type RunningService } from '@heliomesh/observability';
import { PolicyApiModule } from './app.module.js';
import type { ClusterTargetsFactory, PolicyApiConfig } from './config.js';
import { configureHttp } from './http/configure-http.util.js';
import { serveOpenApi } from './openapi.util.js';

export interface StartOptions {
  handleSignals?: boolean;
  logDestination?: NodeJS.WritableStream;
  clusterTargets?: ClusterTargetsFactory;
}

export function startPolicyApi(config: PolicyApiConfig, opts: StartOptions = {}): Promise<RunningService> {
  const { clusterTargets = () => new KubeClusterTargets(), ...rest } = opts;
  return runService({
    name: 'policy-api',
    host: config.HOST,
    port: config.POLICY_API_PORT,
    logLevel: config.LOG_LEVEL,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    module: (runtime) => PolicyApiModule.forRoot(config, runtime, clusterTargets),
    configure: (app, runtime) => {
      configureHttp(app, runtime.logger);
      serveOpenApi(app);
    },
    ...rest,
  });
}
