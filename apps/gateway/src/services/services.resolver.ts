import { Args, Context, ID, Int, Query, Resolver } from '@nestjs/graphql';
import { ServicesService } from '@heliomesh/core';
import type { Connection } from '../graphql/connection.types.js';
import { DEFAULT_FIRST, toConnection, useCasePage } from '../graphql/connection.util.js';
import { withoutNulls } from '../graphql/input.util.js';
import type { RequestScope } from '../graphql/request-scope.js';
import { ServiceConnection, ServiceFilter, ServiceModel } from './service.models.js';

@Resolver(() => ServiceModel)
export class ServicesResolver {
  constructor(private readonly useCases: ServicesService) {}

  @Query(() => ServiceConnection, {
    description: 'Discovered services of the tenant, by namespace and name.',
  })
  async services(
    @Context('heliomesh') scope: RequestScope,
    @Args('filter', { type: () => ServiceFilter, nullable: true }) filter: ServiceFilter | null,
    @Args('first', { type: () => Int, nullable: true, defaultValue: DEFAULT_FIRST }) first: number,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
  ): Promise<Connection<ServiceModel>> {
    const page = await this.useCases.list(await scope.context(), {
      ...withoutNulls({ ...filter }),
      ...useCasePage({ first, after }),
    });
    // The use case's keyset: namespace/name, then id.
    return toConnection(page, (s) => ({ key: `${s.namespace}/${s.name}`, id: s.id }));
  }

  @Query(() => ServiceModel, {
    nullable: true,
    description: "One service; another tenant's id is NOT_FOUND.",
  })
  async service(
    @Context('heliomesh') scope: RequestScope,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<ServiceModel> {
    return this.useCases.get(await scope.context(), id);
  }
}
