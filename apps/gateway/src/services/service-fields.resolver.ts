import { Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import type { CompiledService } from '@heliomesh/core';
import { Finding } from '../graphql/common.models.js';
import type { RequestScope } from '../graphql/request-scope.js';
import { PolicyModel } from '../policies/policy.models.js';
import { ExplainEntryModel, GeneratedConfigModel, ServiceModel } from './service.models.js';

/** A service compiles in a few milliseconds; a page of them shares one compile per cluster. */
const COMPILE_COST = 5;

/** Relations of a service, each batched across the whole page by the request's loaders. */
@Resolver(() => ServiceModel)
export class ServiceFieldsResolver {
  @ResolveField(() => [PolicyModel], { description: 'Policies that target this service, oldest first.' })
  policies(
    @Parent() service: ServiceModel,
    @Context('heliomesh') scope: RequestScope,
  ): Promise<PolicyModel[]> {
    return scope.loaders.policiesByService.load(service.id);
  }

  @ResolveField(() => GeneratedConfigModel, {
    complexity: COMPILE_COST,
    description: 'The Istio YAML generated from the current desired state.',
  })
  async generatedConfig(
    @Parent() service: ServiceModel,
    @Context('heliomesh') scope: RequestScope,
  ): Promise<GeneratedConfigModel> {
    return (await compiled(scope, service)).config as GeneratedConfigModel;
  }

  @ResolveField(() => [ExplainEntryModel], {
    complexity: COMPILE_COST,
    description: 'For each generated field, the policy (id, revision) or rollout that produced it.',
  })
  async explain(
    @Parent() service: ServiceModel,
    @Context('heliomesh') scope: RequestScope,
  ): Promise<ExplainEntryModel[]> {
    return (await compiled(scope, service)).explain.entries;
  }

  @ResolveField(() => [Finding], {
    complexity: COMPILE_COST,
    description: "The compiler's findings for this service's host (errors, warnings, notes).",
  })
  async findings(
    @Parent() service: ServiceModel,
    @Context('heliomesh') scope: RequestScope,
  ): Promise<Finding[]> {
    return (await compiled(scope, service)).config.findings as Finding[];
  }
}

async function compiled(scope: RequestScope, service: ServiceModel): Promise<CompiledService> {
  const result = await scope.loaders.compiled.load(service.id);
  // The parent was just read under the same tenant, so it compiles; an absent one was removed meanwhile.
  return (
    result ?? {
      config: { serviceId: service.id, host: '', yaml: '', emitted: false, findings: [] },
      explain: { serviceId: service.id, host: '', entries: [] },
    }
  );
}
