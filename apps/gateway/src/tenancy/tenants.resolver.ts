import { Args, Context, Int, Query, Resolver } from '@nestjs/graphql';
import { TenantsService } from '@heliomesh/core';
import type { Connection } from '../graphql/connection.types.js';
import { DEFAULT_FIRST, pageInMemory } from '../graphql/connection.util.js';
import type { RequestScope } from '../graphql/request-scope.js';
import { TenantConnection, TenantModel } from './tenancy.models.js';

@Resolver(() => TenantModel)
export class TenantsResolver {
  constructor(private readonly useCases: TenantsService) {}

  @Query(() => TenantConnection, {
    description: 'Every tenant, by name (platform admins); any other token sees only its own.',
  })
  async tenants(
    @Context('heliomesh') scope: RequestScope,
    @Args('first', { type: () => Int, nullable: true, defaultValue: DEFAULT_FIRST }) first: number,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
  ): Promise<Connection<TenantModel>> {
    const list = await this.useCases.list(await scope.context());
    return pageInMemory(list, (t) => ({ key: t.name, id: t.id }), { first, after });
  }
}
