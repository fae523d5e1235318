import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiBody,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiQuery,
  ApiTags,
  type SchemaObject,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import {
  commandBodySchema,
  promoteSchema,
  type RequestContext,
  ROLLOUT_EVENT_TYPES,
  ROLLOUT_PHASES,
  rolloutSpecJsonSchema,
  rolloutSpecSchema,
  RolloutsService,
} from '@heliomesh/core';
import { ApiAuthenticated, ChangeReasonHeader } from '../http/api-docs.decorators.js';
import { openApi, pageOf } from '../http/openapi-schema.util.js';
import { optionalInt, optionalString } from '../http/query.util.js';
import { Ctx } from '../http/request-context.guard.js';

const str: SchemaObject = { type: 'string' };
const int: SchemaObject = { type: 'integer' };
const time: SchemaObject = { type: 'string', format: 'date-time' };
const obj = (properties: Record<string, SchemaObject>, required = Object.keys(properties)): SchemaObject => ({
  type: 'object',
  required,
  properties,
});
const anyObject: SchemaObject = { type: 'object', additionalProperties: true };
const phase: SchemaObject = { type: 'string', enum: [...ROLLOUT_PHASES] };

const rolloutSchema = obj({
  id: str,
  cluster: str,
  namespace: str,
  service: str,
  serviceId: str,
  strategy: { type: 'string', enum: ['canary', 'ab', 'blue-green'] },
  stable: str,
  canary: str,
  phase,
  phaseReason: { ...obj({ code: str, message: str, outcome: phase }, ['code', 'message']), nullable: true },
  step: obj({ index: int, total: int, description: str }),
  canaryWeight: int,
  route: {
    ...anyObject,
    nullable: true,
    description: 'The route the rollout drives: canaryWeight, mirrorPercent, match, sticky.',
  },
  failedChecks: int,
  attempt: int,
  version: int,
  spec: anyObject,
  webhooksSigned: { type: 'boolean' },
  nextTickAt: { ...time, nullable: true },
  eta: {
    ...time,
    nullable: true,
    description: 'Earliest expected end; null when finished or waiting for a human.',
  },
  createdBy: str,
  createdAt: time,
  updatedAt: time,
  finishedAt: { ...time, nullable: true },
});

const eventSchema = obj({
  rolloutId: str,
  seq: int,
  tick: int,
  attempt: int,
  type: { type: 'string', enum: [...ROLLOUT_EVENT_TYPES] },
  phase,
  stepIndex: int,
  canaryWeight: int,
  actor: str,
  message: str,
  data: {
    ...anyObject,
    description:
      'Analysis events: verdicts (resolved query, window, sample counts, values, judge output), decision, observed split.',
  },
  occurredAt: time,
});

const createdSchema = obj(
  {
    rollout: rolloutSchema,
    webhookSecret: {
      type: 'string',
      description: 'Signs webhook calls (X-Heliomesh-Signature); shown only in this response.',
    },
  },
  ['rollout'],
);

const COMMAND_BODY = { schema: openApi(commandBodySchema), required: false };

/** Progressive delivery: start a rollout, watch it, and steer it (operator role; viewers read). */
@ApiTags('rollouts')
@Controller('v1/rollouts')
export class RolloutsController {
  constructor(private readonly rollouts: RolloutsService) {}

  @Post()
  @ApiBody({ schema: openApi(rolloutSpecSchema) })
  @ApiCreatedResponse({
    schema: createdSchema,
    description: 'Started: the engine picks it up at once (phase Initializing).',
  })
  @ApiAuthenticated(409, 413, 422, 429)
  @ChangeReasonHeader()
  async create(
    @Ctx() ctx: RequestContext,
    @Body() body: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const created = await this.rollouts.create(ctx, body);
    void reply.header('location', `/v1/rollouts/${created.rollout.id}`);
    return created;
  }

  @Get()
  @ApiQuery({ name: 'serviceId', required: false })
  @ApiQuery({ name: 'namespace', required: false })
  @ApiQuery({ name: 'phase', required: false, enum: [...ROLLOUT_PHASES] })
  @ApiQuery({
    name: 'active',
    required: false,
    description: 'true: only rollouts still driving traffic; false: only finished ones.',
  })
  @ApiQuery({ name: 'limit', required: false, description: 'Page size, 1-500 (default 50).' })
  @ApiQuery({ name: 'cursor', required: false })
  @ApiOkResponse({ schema: pageOf(rolloutSchema) })
  @ApiAuthenticated()
  list(@Ctx() ctx: RequestContext, @Query() query: Record<string, string>) {
    return this.rollouts.list(ctx, {
      serviceId: optionalString(query['serviceId'], 'serviceId'),
      namespace: optionalString(query['namespace'], 'namespace'),
      phase: optionalString(query['phase'], 'phase'),
      active: optionalString(query['active'], 'active'),
      limit: optionalInt(query['limit'], 'limit'),
      cursor: optionalString(query['cursor'], 'cursor', 500),
    });
  }

  @Get('schema')
  @ApiOkResponse({
    schema: anyObject,
    description: 'The JSON Schema of a rollout body, for editors and CI checks.',
  })
  @ApiAuthenticated()
  schema() {
    return rolloutSpecJsonSchema();
  }

  @Get(':id')
  @ApiOkResponse({ schema: rolloutSchema })
  @ApiAuthenticated(404)
  get(@Ctx() ctx: RequestContext, @Param('id') id: string) {
    return this.rollouts.get(ctx, id);
  }

  @Get(':id/events')
  @ApiQuery({
    name: 'afterSeq',
    required: false,
    description: 'Only events after this sequence number (catch up after a stream gap).',
  })
  @ApiQuery({ name: 'limit', required: false, description: '1-1000 (default 100).' })
  @ApiOkResponse({ schema: { type: 'array', items: eventSchema }, description: 'Oldest first.' })
  @ApiAuthenticated(404)
  events(@Ctx() ctx: RequestContext, @Param('id') id: string, @Query() query: Record<string, string>) {
    return this.rollouts.events(ctx, id, {
      afterSeq: optionalInt(query['afterSeq'], 'afterSeq'),
      limit: optionalInt(query['limit'], 'limit'),
    });
  }

  @Post(':id/pause')
  @HttpCode(200)
  @ApiBody(COMMAND_BODY)
  @ApiOkResponse({
    schema: rolloutSchema,
    description: 'Paused with the split as it is, until resumed, promoted or aborted.',
  })
  @ApiAuthenticated(404, 409)
  @ChangeReasonHeader()
  pause(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() body: unknown) {
    return this.rollouts.pause(ctx, id, body ?? {});
  }

  @Post(':id/resume')
  @HttpCode(200)
  @ApiBody(COMMAND_BODY)
  @ApiOkResponse({ schema: rolloutSchema })
  @ApiAuthenticated(404, 409)
  @ChangeReasonHeader()
  resume(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() body: unknown) {
    return this.rollouts.resume(ctx, id, body ?? {});
  }

  @Post(':id/promote')
  @HttpCode(200)
  @ApiBody({ schema: openApi(promoteSchema), required: false })
  @ApiOkResponse({
    schema: rolloutSchema,
    description:
      'Completes the current step, or with full: true goes to promotion. Skipping any analysis needs skipAnalysis: true and a reason (audited).',
  })
  @ApiAuthenticated(404, 409, 422)
  @ChangeReasonHeader()
  promote(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() body: unknown) {
    return this.rollouts.promote(ctx, id, body ?? {});
  }

  @Post(':id/abort')
  @HttpCode(200)
  @ApiBody(COMMAND_BODY)
  @ApiOkResponse({ schema: rolloutSchema, description: 'Rolls back to stable and ends in Aborted.' })
  @ApiAuthenticated(404, 409)
  @ChangeReasonHeader()
  abort(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() body: unknown) {
    return this.rollouts.abort(ctx, id, body ?? {});
  }

  @Post(':id/retry')
  @HttpCode(200)
  @ApiBody(COMMAND_BODY)
  @ApiOkResponse({
    schema: rolloutSchema,
    description: 'Starts a rolled-back, failed or aborted rollout again from its first step, same spec.',
  })
  @ApiAuthenticated(404, 409, 429)
  @ChangeReasonHeader()
  retry(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() body: unknown) {
    return this.rollouts.retry(ctx, id, body ?? {});
  }
}
