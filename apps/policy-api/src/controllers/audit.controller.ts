import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import { AuditQueryService, type RequestContext } from '@heliomesh/core';
import { ApiAuthenticated } from '../http/api-docs.decorators.js';
import { pageOf } from '../http/openapi-schema.util.js';
import { Ctx } from '../http/request-context.guard.js';
import { auditEventSchema, chainSchema } from '../http/response-schemas.js';

@ApiTags('audit')
@Controller('v1/audit')
export class AuditController {
  constructor(private readonly audit: AuditQueryService) {}

  @Get()
  @ApiQuery({
    name: 'action',
    required: false,
    description: 'Exact action, or a prefix ending in * (e.g. policy.*).',
  })
  @ApiQuery({ name: 'resourceKind', required: false })
  @ApiQuery({ name: 'resourceId', required: false })
  @ApiQuery({ name: 'actor', required: false })
  @ApiQuery({ name: 'since', required: false, description: 'RFC 3339 time, inclusive.' })
  @ApiQuery({ name: 'until', required: false, description: 'RFC 3339 time, exclusive.' })
  @ApiQuery({ name: 'limit', required: false })
  @ApiQuery({ name: 'cursor', required: false })
  @ApiOkResponse({
    schema: pageOf(auditEventSchema),
    description: "The tenant's audit events, newest first.",
  })
  @ApiAuthenticated(422)
  list(@Ctx() ctx: RequestContext, @Query() query: Record<string, unknown>) {
    return this.audit.list(ctx, query);
  }

  @Get('verify')
  @ApiOkResponse({
    schema: chainSchema,
    description: "Recomputes the tenant's hash chain and reports the first row that does not verify.",
  })
  @ApiAuthenticated()
  verify(@Ctx() ctx: RequestContext) {
    return this.audit.verify(ctx);
  }
}
