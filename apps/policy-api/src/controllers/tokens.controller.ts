import { Body, Controller, Delete, Get, Param, Post } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { createTokenSchema, type RequestContext, TokensService } from '@heliomesh/core';
import { ApiAuthenticated, ChangeReasonHeader } from '../http/api-docs.decorators.js';
import { openApi } from '../http/openapi-schema.util.js';
import { Ctx } from '../http/request-context.guard.js';
import { createdTokenSchema, tokenSchema } from '../http/response-schemas.js';

@ApiTags('tokens')
@Controller('v1/tokens')
export class TokensController {
  constructor(private readonly tokens: TokensService) {}

  @Post()
  @ApiBody({ schema: openApi(createTokenSchema) })
  @ApiCreatedResponse({
    schema: createdTokenSchema,
    description: 'The secret is returned once; only its hash is stored.',
  })
  @ApiAuthenticated(422)
  @ChangeReasonHeader()
  create(@Ctx() ctx: RequestContext, @Body() body: unknown) {
    return this.tokens.create(ctx, body);
  }

  @Get()
  @ApiOkResponse({ schema: { type: 'array', items: tokenSchema } })
  @ApiAuthenticated()
  list(@Ctx() ctx: RequestContext) {
    return this.tokens.list(ctx);
  }

  @Delete(':id')
  @ApiOkResponse({ schema: tokenSchema, description: 'The token, now revoked (idempotent).' })
  @ApiAuthenticated(404)
  @ChangeReasonHeader()
  revoke(@Ctx() ctx: RequestContext, @Param('id') id: string) {
    return this.tokens.revoke(ctx, id);
  }
}
