import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { createTenantSchema, type RequestContext, TenantsService } from '@heliomesh/core';
import { ApiAuthenticated, ChangeReasonHeader } from '../http/api-docs.decorators.js';
import { openApi } from '../http/openapi-schema.util.js';
import { Ctx } from '../http/request-context.guard.js';
import { tenantSchema } from '../http/response-schemas.js';

@ApiTags('tenants')
@Controller('v1/tenants')
export class TenantsController {
  constructor(private readonly tenants: TenantsService) {}

  @Post()
  @ApiBody({ schema: openApi(createTenantSchema) })
  @ApiCreatedResponse({ schema: tenantSchema, description: 'Platform admins only.' })
  @ApiAuthenticated(409, 422)
  @ChangeReasonHeader()
  create(@Ctx() ctx: RequestContext, @Body() body: unknown) {
    return this.tenants.create(ctx, body);
  }

  @Get()
  @ApiOkResponse({
    schema: { type: 'array', items: tenantSchema },
    description: 'All tenants for platform admins; the own tenant otherwise.',
  })
  @ApiAuthenticated()
  list(@Ctx() ctx: RequestContext) {
    return this.tenants.list(ctx);
  }

  @Get(':id')
  @ApiOkResponse({ schema: tenantSchema })
  @ApiAuthenticated(404)
  get(@Ctx() ctx: RequestContext, @Param('id') id: string) {
    return this.tenants.get(ctx, id);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({
    description: 'Deleted. Refused (409) while the tenant has namespaces or policies.',
  })
  @ApiAuthenticated(404, 409)
  @ChangeReasonHeader()
  async delete(@Ctx() ctx: RequestContext, @Param('id') id: string): Promise<void> {
    await this.tenants.delete(ctx, id);
  }
}
