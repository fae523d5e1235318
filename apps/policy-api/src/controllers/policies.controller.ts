import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Param,
  Post,
  Put,
  Query,
  Res,
} from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { PoliciesService, type PolicyWriteResult, type RequestContext } from '@heliomesh/core';
import { policyBodySchema } from '@heliomesh/policy';
import { ApiAuthenticated, ChangeReasonHeader } from '../http/api-docs.decorators.js';
import { openApi, pageOf } from '../http/openapi-schema.util.js';
import { ifMatchRevision, optionalBool, optionalInt, optionalString } from '../http/query.util.js';
import { Ctx } from '../http/request-context.guard.js';
import { dryRunSchema, policySchema, policyWriteSchema, revisionSchema } from '../http/response-schemas.js';

const DRY_RUN = {
  name: 'dryRun',
  required: false,
  description:
    'Validate and return the generated YAML and a diff against what is applied, without storing anything.',
};
const IF_MATCH = {
  name: 'If-Match',
  required: false,
  description: 'The revision you read; required for updates (412 when it is no longer current).',
};
const writeResponse = { oneOf: [policyWriteSchema, dryRunSchema] };

@ApiTags('policies')
@Controller('v1/policies')
export class PoliciesController {
  constructor(private readonly policies: PoliciesService) {}

  @Post()
  @ApiQuery(DRY_RUN)
  @ApiBody({ schema: openApi(policyBodySchema) })
  @ApiCreatedResponse({
    schema: writeResponse,
    description:
      'Stored with status Pending; the worker applies it and reports Applied or Error. A dry run answers 200.',
  })
  @ApiAuthenticated(409, 413, 422)
  @ChangeReasonHeader()
  async create(
    @Ctx() ctx: RequestContext,
    @Body() body: unknown,
    @Query('dryRun') dryRun: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result = await this.policies.create(ctx, body, { dryRun: optionalBool(dryRun, 'dryRun') });
    if ('dryRun' in result) void reply.status(200);
    else withEtag(reply, result).header('location', `/v1/policies/${result.policy.id}`);
    return result;
  }

  @Get()
  @ApiQuery({ name: 'serviceId', required: false })
  @ApiQuery({ name: 'kind', required: false })
  @ApiQuery({ name: 'namespace', required: false })
  @ApiQuery({ name: 'limit', required: false, description: 'Page size, 1-500 (default 50).' })
  @ApiQuery({ name: 'cursor', required: false })
  @ApiOkResponse({ schema: pageOf(policySchema) })
  @ApiAuthenticated()
  list(@Ctx() ctx: RequestContext, @Query() query: Record<string, string>) {
    return this.policies.list(ctx, {
      serviceId: optionalString(query['serviceId'], 'serviceId'),
      kind: optionalString(query['kind'], 'kind'),
      namespace: optionalString(query['namespace'], 'namespace'),
      limit: optionalInt(query['limit'], 'limit'),
      cursor: optionalString(query['cursor'], 'cursor', 500),
    });
  }

  @Get(':id')
  @ApiOkResponse({ schema: policySchema, description: 'The ETag header carries the revision, for If-Match.' })
  @ApiAuthenticated(404)
  async get(
    @Ctx() ctx: RequestContext,
    @Param('id') id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const policy = await this.policies.get(ctx, id);
    void reply.header('etag', `"${policy.revision}"`);
    return policy;
  }

  @Put(':id')
  @ApiQuery(DRY_RUN)
  @ApiHeader(IF_MATCH)
  @ApiBody({ schema: openApi(policyBodySchema) })
  @ApiOkResponse({ schema: writeResponse })
  @ApiAuthenticated(404, 412, 413, 422, 428)
  @ChangeReasonHeader()
  async update(
    @Ctx() ctx: RequestContext,
    @Param('id') id: string,
    @Body() body: unknown,
    @Headers('if-match') ifMatch: string | undefined,
    @Query('dryRun') dryRun: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result = await this.policies.update(ctx, id, body, {
      expectedRevision: ifMatchRevision(ifMatch),
      dryRun: optionalBool(dryRun, 'dryRun'),
    });
    if (!('dryRun' in result)) withEtag(reply, result);
    return result;
  }

  @Delete(':id')
  @HttpCode(200)
  @ApiQuery(DRY_RUN)
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({
    schema: {
      oneOf: [
        { type: 'object', properties: { deleted: { type: 'boolean' }, id: { type: 'string' } } },
        dryRunSchema,
      ],
    },
  })
  @ApiAuthenticated(404, 412)
  @ChangeReasonHeader()
  delete(
    @Ctx() ctx: RequestContext,
    @Param('id') id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Query('dryRun') dryRun: string | undefined,
  ) {
    return this.policies.delete(ctx, id, {
      expectedRevision: ifMatchRevision(ifMatch),
      dryRun: optionalBool(dryRun, 'dryRun'),
    });
  }

  @Get(':id/history')
  @ApiOkResponse({
    schema: { type: 'array', items: revisionSchema },
    description: 'Every revision, oldest first; kept after deletion.',
  })
  @ApiAuthenticated(404)
  history(@Ctx() ctx: RequestContext, @Param('id') id: string) {
    return this.policies.history(ctx, id);
  }
}

function withEtag(reply: FastifyReply, result: PolicyWriteResult): FastifyReply {
  return reply.header('etag', `"${result.policy.revision}"`);
}
