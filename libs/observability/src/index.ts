export { HealthController } from './health.controller.js';
export { HealthService, type ReadinessCheck, type ReadinessReport } from './health.service.js';
export { createLogger, NestPinoLogger, type Logger } from './logger.util.js';
export { LOGGER, ObservabilityModule } from './observability.module.js';
export {
  runService,
  type RunningService,
  type RunServiceOptions,
  type ServiceRuntime,
} from './run-service.util.js';
export { ServiceMetrics } from './service-metrics.service.js';
