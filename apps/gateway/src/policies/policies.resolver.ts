import { Args, Context, ID, Int, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { PoliciesService } from '@heliomesh/core';
import type { Connection } from '../graphql/connection.types.js';
import { DEFAULT_FIRST, toConnection, useCasePage } from '../graphql/connection.util.js';
import { withoutNulls } from '../graphql/input.util.js';
import type { RequestScope } from '../graphql/request-scope.js';
import { ServiceModel } from '../services/service.models.js';
import { PolicyConnection, PolicyFilter, PolicyModel, PolicyRevisionModel } from './policy.models.js';

@Resolver(() => PolicyModel)
export class PoliciesResolver {
  constructor(private readonly useCases: PoliciesService) {}

  @Query(() => PolicyConnection, { description: "The tenant's policies, oldest first." })
  async policies(
    @Context('heliomesh') scope: RequestScope,
    @Args('filter', { type: () => PolicyFilter, nullable: true }) filter: PolicyFilter | null,
    @Args('first', { type: () => Int, nullable: true, defaultValue: DEFAULT_FIRST }) first: number,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
  ): Promise<Connection<PolicyModel>> {
    const page = await this.useCases.list(await scope.context(), {
      ...withoutNulls({ ...filter }),
      ...useCasePage({ first, after }),
    });
    // The use case's keyset: creation time, then id.
    return toConnection(page, (p) => ({ key: p.createdAt, id: p.id }));
  }

  @Query(() => PolicyModel, { nullable: true, description: "One policy; another tenant's id is NOT_FOUND." })
  async policy(
    @Context('heliomesh') scope: RequestScope,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<PolicyModel> {
    return this.useCases.get(await scope.context(), id);
  }

  @ResolveField(() => ServiceModel, { nullable: true, description: 'The service the policy targets.' })
  async service(
    @Parent() policy: PolicyModel,
    @Context('heliomesh') scope: RequestScope,
  ): Promise<ServiceModel | null> {
    if (policy.serviceId === null) return null;
    return (await scope.loaders.services.load(policy.serviceId)) ?? null;
  }

  @ResolveField(() => [PolicyRevisionModel], { description: 'Every revision, oldest first.' })
  history(
    @Parent() policy: PolicyModel,
    @Context('heliomesh') scope: RequestScope,
  ): Promise<PolicyRevisionModel[]> {
    return scope.loaders.policyHistory.load(policy.id);
  }
}
