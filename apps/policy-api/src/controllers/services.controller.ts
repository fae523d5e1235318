import { Controller, Get, Header, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import { type RequestContext, ServicesService } from '@heliomesh/core';
import { ApiAuthenticated } from '../http/api-docs.decorators.js';
import { pageOf } from '../http/openapi-schema.util.js';
import { optionalInt, optionalString } from '../http/query.util.js';
import { Ctx } from '../http/request-context.guard.js';
import {
  explainSchema,
  generatedConfigSchema,
  serviceSchema,
  syncReportSchema,
} from '../http/response-schemas.js';

@ApiTags('services')
@Controller('v1/services')
export class ServicesController {
  constructor(private readonly services: ServicesService) {}

  @Post('sync')
  @HttpCode(200)
  @ApiQuery({ name: 'cluster', required: false, description: 'Only this cluster.' })
  @ApiOkResponse({
    schema: syncReportSchema,
    description:
      "Discovers the services of the tenant's namespaces from the cluster(s) now (it also runs on a schedule).",
  })
  @ApiAuthenticated()
  sync(@Ctx() ctx: RequestContext, @Query('cluster') cluster?: string) {
    const name = optionalString(cluster, 'cluster');
    return this.services.syncNow(ctx, name ? { cluster: name } : {});
  }

  @Get()
  @ApiQuery({ name: 'namespace', required: false })
  @ApiQuery({ name: 'cluster', required: false })
  @ApiQuery({ name: 'limit', required: false, description: 'Page size, 1-500 (default 50).' })
  @ApiQuery({ name: 'cursor', required: false })
  @ApiOkResponse({ schema: pageOf(serviceSchema) })
  @ApiAuthenticated()
  list(@Ctx() ctx: RequestContext, @Query() query: Record<string, string>) {
    return this.services.list(ctx, {
      namespace: optionalString(query['namespace'], 'namespace'),
      cluster: optionalString(query['cluster'], 'cluster'),
      limit: optionalInt(query['limit'], 'limit'),
      cursor: optionalString(query['cursor'], 'cursor', 500),
    });
  }

  @Get(':id')
  @ApiOkResponse({ schema: serviceSchema })
  @ApiAuthenticated(404)
  get(@Ctx() ctx: RequestContext, @Param('id') id: string) {
    return this.services.get(ctx, id);
  }

  @Get(':id/config')
  @ApiOkResponse({
    schema: generatedConfigSchema,
    description: 'The Istio objects Heliomesh generates for this service.',
  })
  @ApiAuthenticated(404)
  config(@Ctx() ctx: RequestContext, @Param('id') id: string) {
    return this.services.config(ctx, id);
  }

  @Get(':id/config.yaml')
  @Header('content-type', 'application/yaml; charset=utf-8')
  @ApiProduces('application/yaml')
  @ApiOkResponse({ schema: { type: 'string' }, description: 'The same, as plain multi-document YAML.' })
  @ApiAuthenticated(404)
  async configYaml(@Ctx() ctx: RequestContext, @Param('id') id: string): Promise<string> {
    return (await this.services.config(ctx, id)).yaml;
  }

  @Get(':id/explain')
  @ApiOkResponse({
    schema: explainSchema,
    description: 'Which policy (id, revision) or rollout produced each generated field.',
  })
  @ApiAuthenticated(404)
  explain(@Ctx() ctx: RequestContext, @Param('id') id: string) {
    return this.services.explain(ctx, id);
  }
}
