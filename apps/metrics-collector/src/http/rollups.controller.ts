import { Controller, Get, Query } from '@nestjs/common';
import type { Measurement, RollupPage } from '@heliomesh/metrics';
import { RollupService } from '../rollups/rollup.service.js';
import { rollupQuerySchema } from './api.schema.js';
import { parseInput } from './input.util.js';

const HINT = 'Pass ?namespace=<name> and optionally service, version, from, to (RFC 3339) and limit.';

@Controller('v1')
export class RollupsController {
  constructor(private readonly rollups: RollupService) {}

  @Get('rollups')
  list(@Query() query: unknown): Promise<Measurement<RollupPage>> {
    return this.rollups.find(
      parseInput(rollupQuerySchema, query, { code: 'QUERY_INVALID', prefix: ['query'], hint: HINT }),
    );
  }
}
