import { Args, Context, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { TokensService } from '@heliomesh/core';
import type { Connection } from '../graphql/connection.types.js';
import { DEFAULT_FIRST, pageInMemory } from '../graphql/connection.util.js';
import { inArgument } from '../graphql/graphql-errors.util.js';
import { withoutNulls } from '../graphql/input.util.js';
import type { RequestScope } from '../graphql/request-scope.js';
import { CreatedTokenModel, CreateTokenInput, TokenConnection, TokenModel } from './tenancy.models.js';

/** Token administration (admin role): the tenant's tokens, or platform tokens for a platform admin. */
@Resolver(() => TokenModel)
export class TokensResolver {
  constructor(private readonly useCases: TokensService) {}

  @Query(() => TokenConnection, {
    description: "The request tenant's tokens, oldest first (platform tokens when no tenant is named).",
  })
  async tokens(
    @Context('heliomesh') scope: RequestScope,
    @Args('first', { type: () => Int, nullable: true, defaultValue: DEFAULT_FIRST }) first: number,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
  ): Promise<Connection<TokenModel>> {
    const list = await this.useCases.list(await scope.context());
    return pageInMemory(list, (t) => ({ key: t.createdAt, id: t.id }), { first, after });
  }

  @Mutation(() => CreatedTokenModel, { description: 'Creates a token; the secret is in the answer, once.' })
  async createToken(
    @Context('heliomesh') scope: RequestScope,
    @Args('input') input: CreateTokenInput,
  ): Promise<CreatedTokenModel> {
    const ctx = await scope.context();
    return inArgument('input', () => this.useCases.create(ctx, withoutNulls({ ...input })));
  }

  @Mutation(() => TokenModel, {
    description: 'Revokes a token (idempotent); it stops working within seconds.',
  })
  async revokeToken(
    @Context('heliomesh') scope: RequestScope,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<TokenModel> {
    return this.useCases.revoke(await scope.context(), id);
  }
}
