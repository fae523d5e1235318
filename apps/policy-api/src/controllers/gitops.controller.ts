import { Body, Controller, Get, Header, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import { GitOpsService, type RequestContext } from '@heliomesh/core';
import { HeliomeshError } from '@heliomesh/util';
import { ApiAuthenticated, ChangeReasonHeader } from '../http/api-docs.decorators.js';
import { optionalBool } from '../http/query.util.js';
import { Ctx } from '../http/request-context.guard.js';
import { applyBundleSchema } from '../http/response-schemas.js';

@ApiTags('gitops')
@Controller('v1')
export class GitOpsController {
  constructor(private readonly gitops: GitOpsService) {}

  @Get('export')
  @Header('content-type', 'application/yaml; charset=utf-8')
  @ApiProduces('application/yaml')
  @ApiOkResponse({
    schema: { type: 'string' },
    description:
      'Every Istio object Heliomesh generates for the tenant, as multi-document YAML for Argo CD or Flux.',
  })
  @ApiAuthenticated()
  export(@Ctx() ctx: RequestContext): Promise<string> {
    return this.gitops.export(ctx);
  }

  @Post('apply')
  @HttpCode(200)
  @ApiConsumes('application/yaml')
  @ApiBody({
    schema: {
      type: 'string',
      description: 'Multi-document YAML of Heliomesh policies (apiVersion: heliomesh.io/v1alpha1).',
    },
  })
  @ApiQuery({
    name: 'prune',
    required: false,
    description: "Delete the tenant's policies that the bundle does not contain.",
  })
  @ApiQuery({ name: 'dryRun', required: false })
  @ApiOkResponse({
    schema: applyBundleSchema,
    description: 'What changed (or would). The bundle applies as a whole or not at all.',
  })
  @ApiAuthenticated(409, 413, 422)
  @ChangeReasonHeader()
  apply(
    @Ctx() ctx: RequestContext,
    @Body() body: unknown,
    @Query('prune') prune?: string,
    @Query('dryRun') dryRun?: string,
  ) {
    if (typeof body !== 'string')
      throw new HeliomeshError({
        code: 'UNSUPPORTED_MEDIA_TYPE',
        status: 415,
        message: 'Send the bundle as YAML: Content-Type: application/yaml.',
      });
    return this.gitops.apply(ctx, body, {
      prune: optionalBool(prune, 'prune'),
      dryRun: optionalBool(dryRun, 'dryRun'),
    });
  }
}
