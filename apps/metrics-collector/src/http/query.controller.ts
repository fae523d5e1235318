import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import type { Measurement } from '@heliomesh/metrics';
import { QueryService } from '../query/query.service.js';
import { collectorQuerySchema } from './api.schema.js';
import { parseInput } from './input.util.js';

const HINT =
  'Send { method, selector, windowSeconds } (latencyQuantile also q), or { method: "runQuery", promql }.';

@Controller('v1')
export class QueryController {
  constructor(private readonly queries: QueryService) {}

  /** The MetricsProvider interface over HTTP, answered by whichever provider the collector runs. */
  @Post('query')
  @HttpCode(200)
  query(@Body() body: unknown): Promise<Measurement<unknown>> {
    return this.queries.run(
      parseInput(collectorQuerySchema, body, { code: 'BODY_INVALID', prefix: [], hint: HINT }),
    );
  }
}
