import { Args, Context, Int, Query, Resolver, Subscription } from '@nestjs/graphql';
import { HeliomeshError } from '@heliomesh/util';
import type { RequestScope } from '../graphql/request-scope.js';
import { HealthFeed } from './health-feed.service.js';
import { NamespaceHealthModel, TopologyModel } from './mesh.models.js';
import { DEFAULT_WINDOW_SECONDS, topologyView, windowOf } from './mesh-views.util.js';

const WINDOW = {
  type: () => Int,
  defaultValue: DEFAULT_WINDOW_SECONDS,
  description: 'Seconds of traffic to look back over.',
};

/** A namespace the tenant has not claimed answers like another tenant's id: it does not exist here. */
async function ownedNamespace(scope: RequestScope, namespace: string): Promise<Set<string>> {
  const owned = await scope.loaders.claimedNamespaces();
  if (!owned.has(namespace))
    throw new HeliomeshError({
      code: 'NOT_FOUND',
      status: 404,
      message: `No namespace "${namespace.slice(0, 64)}" is claimed by this tenant.`,
      path: ['namespace'],
    });
  return owned;
}

@Resolver()
export class TopologyResolver {
  constructor(private readonly healthFeed: HealthFeed) {}

  @Query(() => TopologyModel, {
    complexity: 5,
    description: "The namespace's service graph: nodes, edges with rates, error and mTLS shares, and health.",
  })
  async topology(
    @Context('heliomesh') scope: RequestScope,
    @Args('namespace') namespace: string,
    @Args('window', WINDOW) window: number,
  ): Promise<TopologyModel> {
    const windowSeconds = windowOf(window);
    const owned = await ownedNamespace(scope, namespace);
    const graph = await scope.loaders.topology.load({ namespace, windowSeconds });
    return topologyView(graph, namespace, owned, windowSeconds);
  }

  @Subscription(() => NamespaceHealthModel, {
    resolve: (state: NamespaceHealthModel) => state,
    description:
      "Request health of a namespace's services and versions: the current state first, then each change.",
  })
  async serviceHealth(
    @Context('heliomesh') scope: RequestScope,
    @Args('namespace') namespace: string,
    @Args('window', WINDOW) window: number,
  ): Promise<AsyncIterableIterator<NamespaceHealthModel>> {
    const windowSeconds = windowOf(window);
    await ownedNamespace(scope, namespace);
    return this.healthFeed.watch(namespace, windowSeconds);
  }
}
