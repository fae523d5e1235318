import { Controller, Get, Inject } from '@nestjs/common';
import type { CollectorStatus } from '@heliomesh/metrics';
import { METRICS_BACKEND, type MetricsBackend } from '../telemetry/metrics-backend.factory.js';

@Controller('v1')
export class StatusController {
  constructor(@Inject(METRICS_BACKEND) private readonly backend: MetricsBackend) {}

  /** The provider, whether it answers, and each scrape target's last scrape. */
  @Get('status')
  status(): Promise<CollectorStatus> {
    return this.backend.status();
  }
}
