import { Context, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { TenantsService } from '@heliomesh/core';
import type { RequestScope } from '../graphql/request-scope.js';
import { Role, TenantModel, ViewerModel } from './tenancy.models.js';

@Resolver(() => ViewerModel)
export class ViewerResolver {
  constructor(private readonly tenants: TenantsService) {}

  @Query(() => ViewerModel, { description: 'Who is asking: the token and the tenant the request acts in.' })
  async me(@Context('heliomesh') scope: RequestScope): Promise<ViewerModel> {
    const { auth, tenantId } = await scope.context();
    return {
      tokenId: auth.tokenId,
      tokenName: auth.tokenName,
      role: auth.role as Role,
      actor: auth.actor,
      platformToken: auth.tenantId === null,
      tenantId,
    };
  }

  @ResolveField(() => TenantModel, {
    nullable: true,
    description: "The tenant the request acts in: the token's own, or the one X-Heliomesh-Tenant names.",
  })
  async tenant(
    @Parent() viewer: ViewerModel,
    @Context('heliomesh') scope: RequestScope,
  ): Promise<TenantModel | null> {
    if (viewer.tenantId === null) return null;
    return this.tenants.get(await scope.context(), viewer.tenantId);
  }
}
