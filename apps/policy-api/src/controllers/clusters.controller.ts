import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import {
  claimNamespaceSchema,
  ClustersService,
  NamespaceClaimsService,
  registerClusterSchema,
  type RequestContext,
} from '@heliomesh/core';
import { ApiAuthenticated, ChangeReasonHeader } from '../http/api-docs.decorators.js';
import { openApi } from '../http/openapi-schema.util.js';
import { Ctx } from '../http/request-context.guard.js';
import {
  claimSchema,
  clusterSchema,
  connectionSchema,
  registeredClusterSchema,
} from '../http/response-schemas.js';

@ApiTags('clusters')
@Controller('v1/clusters')
export class ClustersController {
  constructor(private readonly clusters: ClustersService) {}

  @Post()
  @ApiBody({ schema: openApi(registerClusterSchema) })
  @ApiCreatedResponse({
    schema: registeredClusterSchema,
    description: 'Registered (platform admins); the connection is tested at once.',
  })
  @ApiAuthenticated(409, 422)
  @ChangeReasonHeader()
  register(@Ctx() ctx: RequestContext, @Body() body: unknown) {
    return this.clusters.register(ctx, body);
  }

  @Get()
  @ApiOkResponse({ schema: { type: 'array', items: clusterSchema } })
  @ApiAuthenticated()
  list(@Ctx() ctx: RequestContext) {
    return this.clusters.list(ctx);
  }

  @Get(':id')
  @ApiOkResponse({ schema: clusterSchema })
  @ApiAuthenticated(404)
  get(@Ctx() ctx: RequestContext, @Param('id') id: string) {
    return this.clusters.get(ctx, id);
  }

  @Post(':id/test')
  @HttpCode(200)
  @ApiOkResponse({
    schema: connectionSchema,
    description: 'Reaches the API server and checks the Istio kinds Heliomesh generates.',
  })
  @ApiAuthenticated(404)
  test(@Ctx() ctx: RequestContext, @Param('id') id: string) {
    return this.clusters.test(ctx, id);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted. Refused (409) while policies target it.' })
  @ApiAuthenticated(404, 409)
  @ChangeReasonHeader()
  async delete(@Ctx() ctx: RequestContext, @Param('id') id: string): Promise<void> {
    await this.clusters.delete(ctx, id);
  }
}

@ApiTags('namespaces')
@Controller('v1/namespaces')
export class NamespacesController {
  constructor(private readonly claims: NamespaceClaimsService) {}

  @Post()
  @ApiBody({ schema: openApi(claimNamespaceSchema) })
  @ApiCreatedResponse({
    schema: claimSchema,
    description:
      'A tenant claims a namespace (platform admins). Two tenants cannot claim the same one (409).',
  })
  @ApiAuthenticated(409, 422)
  @ChangeReasonHeader()
  claim(@Ctx() ctx: RequestContext, @Body() body: unknown) {
    return this.claims.claim(ctx, body);
  }

  @Get()
  @ApiOkResponse({ schema: { type: 'array', items: claimSchema } })
  @ApiAuthenticated()
  list(@Ctx() ctx: RequestContext) {
    return this.claims.list(ctx);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Released. Refused (409) while policies live in the namespace.' })
  @ApiAuthenticated(404, 409)
  @ChangeReasonHeader()
  async release(@Ctx() ctx: RequestContext, @Param('id') id: string): Promise<void> {
    await this.claims.release(ctx, id);
  }
}
