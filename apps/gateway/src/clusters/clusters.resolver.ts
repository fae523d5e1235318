import { Args, Context, Field, ID, Int, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { ClustersService } from '@heliomesh/core';
import { ConnectionType, type Connection } from '../graphql/connection.types.js';
import { DEFAULT_FIRST, pageInMemory } from '../graphql/connection.util.js';
import type { RequestScope } from '../graphql/request-scope.js';
import { DateTimeScalar, JsonScalar } from '../graphql/scalars.js';

@ObjectType('Cluster', {
  description: 'A registered Kubernetes cluster; its credentials never leave the server.',
})
export class ClusterModel {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field({ description: 'kubeconfig, in-cluster or sandbox.' })
  connection!: string;

  @Field(() => String, { nullable: true })
  server!: string | null;

  @Field(() => DateTimeScalar)
  createdAt!: string;

  @Field(() => DateTimeScalar, { nullable: true })
  lastCheckedAt!: string | null;

  @Field(() => JsonScalar, { nullable: true, description: 'The last connection test report.' })
  lastStatus!: Record<string, unknown> | null;
}
export const ClusterConnection = ConnectionType(ClusterModel, 'Cluster');

@Resolver(() => ClusterModel)
export class ClustersResolver {
  constructor(private readonly useCases: ClustersService) {}

  @Query(() => ClusterConnection, {
    description: 'Registered clusters, by name (every tenant can read them).',
  })
  async clusters(
    @Context('heliomesh') scope: RequestScope,
    @Args('first', { type: () => Int, nullable: true, defaultValue: DEFAULT_FIRST }) first: number,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
  ): Promise<Connection<ClusterModel>> {
    const list = await this.useCases.list(await scope.context());
    return pageInMemory(list, (c) => ({ key: c.name, id: c.id }), { first, after });
  }
}
