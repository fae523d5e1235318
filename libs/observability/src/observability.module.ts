import { type DynamicModule, Global, Module } from '@nestjs/common';
import type { Logger } from 'pino';
import { HealthController } from './health.controller.js';
import { HealthService } from './health.service.js';
import { ServiceMetrics } from './service-metrics.service.js';

export const LOGGER = Symbol('LOGGER');

/** Logger, metrics and health for one service; global so feature modules can register checks. */
@Global()
@Module({})
export class ObservabilityModule {
  static forRoot(opts: { logger: Logger; metrics: ServiceMetrics; health: HealthService }): DynamicModule {
    return {
      module: ObservabilityModule,
      controllers: [HealthController],
      providers: [
        { provide: LOGGER, useValue: opts.logger },
        { provide: ServiceMetrics, useValue: opts.metrics },
        { provide: HealthService, useValue: opts.health },
      ],
      exports: [LOGGER, ServiceMetrics, HealthService],
    };
  }
}
