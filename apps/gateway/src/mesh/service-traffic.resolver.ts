import { Args, Context, Int, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import type { RequestScope } from '../graphql/request-scope.js';
import { ServiceModel } from '../services/service.models.js';
import { ServiceHealthModel, ServiceMetricsModel, TrafficEdgesModel } from './mesh.models.js';
import {
  DEFAULT_WINDOW_SECONDS,
  serviceEdges,
  serviceHealth,
  serviceMetrics,
  windowOf,
} from './mesh-views.util.js';

/** The collector is asked once per namespace and window for a whole page of services. */
const COLLECTOR_COST = 2;

const WINDOW = {
  type: () => Int,
  defaultValue: DEFAULT_WINDOW_SECONDS,
  description: 'Seconds of traffic to look back over.',
};

/** Live traffic of a service, from the metrics collector. */
@Resolver(() => ServiceModel)
export class ServiceTrafficResolver {
  @ResolveField(() => ServiceMetricsModel, {
    complexity: COLLECTOR_COST,
    description: 'Request rate, success rate and latency quantiles per version.',
  })
  async metrics(
    @Parent() service: ServiceModel,
    @Context('heliomesh') scope: RequestScope,
    @Args('window', WINDOW) window: number,
  ): Promise<ServiceMetricsModel> {
    const windowSeconds = windowOf(window);
    const m = await scope.loaders.serviceStats.load({ namespace: service.namespace, windowSeconds });
    return serviceMetrics(m, service, windowSeconds);
  }

  @ResolveField(() => ServiceHealthModel, {
    complexity: COLLECTOR_COST,
    description: "Request health by Kiali's default tolerances, for the service and each version.",
  })
  async health(
    @Parent() service: ServiceModel,
    @Context('heliomesh') scope: RequestScope,
    @Args('window', WINDOW) window: number,
  ): Promise<ServiceHealthModel> {
    const windowSeconds = windowOf(window);
    const m = await scope.loaders.health.load({ namespace: service.namespace, windowSeconds });
    return serviceHealth(m, service, windowSeconds);
  }

  @ResolveField(() => TrafficEdgesModel, {
    complexity: COLLECTOR_COST,
    description: 'Who calls this service (any version).',
  })
  inbound(
    @Parent() service: ServiceModel,
    @Context('heliomesh') scope: RequestScope,
    @Args('window', WINDOW) window: number,
  ): Promise<TrafficEdgesModel> {
    return this.edges(service, scope, window, 'inbound');
  }

  @ResolveField(() => TrafficEdgesModel, {
    complexity: COLLECTOR_COST,
    description: "What this service's workloads call (by their app label).",
  })
  outbound(
    @Parent() service: ServiceModel,
    @Context('heliomesh') scope: RequestScope,
    @Args('window', WINDOW) window: number,
  ): Promise<TrafficEdgesModel> {
    return this.edges(service, scope, window, 'outbound');
  }

  private async edges(
    service: ServiceModel,
    scope: RequestScope,
    window: number,
    direction: 'inbound' | 'outbound',
  ): Promise<TrafficEdgesModel> {
    const windowSeconds = windowOf(window);
    const [m, owned] = await Promise.all([
      scope.loaders.edges.load({ namespace: service.namespace, windowSeconds }),
      scope.loaders.claimedNamespaces(),
    ]);
    return serviceEdges(m, service, direction, owned, windowSeconds);
  }
}
