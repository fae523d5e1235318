import { Controller, Get, Query } from '@nestjs/common';
import type { EdgeStats, HealthReport, Measurement, ServiceStats, TopologyGraph } from '@heliomesh/metrics';
import { MeshViewService } from '../mesh/mesh-view.service.js';
import { scopeQuerySchema } from './api.schema.js';
import { parseInput } from './input.util.js';

const HINT = 'Pass ?namespace=<name>&window=<seconds> (both optional; window defaults to 60).';

function scopeOf(query: unknown) {
  return parseInput(scopeQuerySchema, query, { code: 'QUERY_INVALID', prefix: ['query'], hint: HINT });
}

/** Live figures for the worker and the gateway; every answer is a Measurement. */
@Controller('v1')
export class MeshController {
  constructor(private readonly mesh: MeshViewService) {}

  @Get('services')
  services(@Query() query: unknown): Promise<Measurement<ServiceStats[]>> {
    const { scope, windowSeconds } = scopeOf(query);
    return this.mesh.services(scope, windowSeconds);
  }

  @Get('edges')
  edges(@Query() query: unknown): Promise<Measurement<EdgeStats[]>> {
    const { scope, windowSeconds } = scopeOf(query);
    return this.mesh.edges(scope, windowSeconds);
  }

  @Get('topology')
  topology(@Query() query: unknown): Promise<Measurement<TopologyGraph>> {
    const { scope, windowSeconds } = scopeOf(query);
    return this.mesh.topology(scope, windowSeconds);
  }

  @Get('health')
  health(@Query() query: unknown): Promise<Measurement<HealthReport>> {
    const { scope, windowSeconds } = scopeOf(query);
    return this.mesh.health(scope, windowSeconds);
  }
}
