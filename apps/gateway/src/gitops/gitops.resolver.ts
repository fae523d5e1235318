import { Args, Context, Field, Mutation, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { GitOpsService } from '@heliomesh/core';
import { DryRunResult } from '../graphql/common.models.js';
import { inArgument } from '../graphql/graphql-errors.util.js';
import type { RequestScope } from '../graphql/request-scope.js';

@ObjectType('ApplyBundleResult', {
  description: 'What a bundle changed (or would): `namespace/name` of each policy.',
})
export class ApplyBundleResultModel {
  @Field(() => [String])
  created!: string[];

  @Field(() => [String])
  configured!: string[];

  @Field(() => [String])
  unchanged!: string[];

  @Field(() => [String])
  deleted!: string[];

  @Field(() => [String], {
    description: 'Kept by prune: policies the platform wrote (rollout release pins).',
  })
  retained!: string[];

  @Field(() => DryRunResult, { nullable: true, description: 'Set for a dry run: nothing was stored.' })
  dryRun?: DryRunResult;
}

@Resolver()
export class GitOpsResolver {
  constructor(private readonly gitops: GitOpsService) {}

  @Query(() => String, {
    description:
      'Every Istio object Heliomesh generates for the tenant, as multi-document YAML (Argo CD, Flux).',
  })
  async gitOpsExport(@Context('heliomesh') scope: RequestScope): Promise<string> {
    return this.gitops.export(await scope.context());
  }

  @Mutation(() => ApplyBundleResultModel, {
    description:
      'Applies multi-document YAML of Heliomesh policies (apiVersion heliomesh.io/v1alpha1) as a whole or not at all.',
  })
  async applyBundle(
    @Context('heliomesh') scope: RequestScope,
    @Args('yaml') yaml: string,
    @Args('prune', {
      type: () => Boolean,
      defaultValue: false,
      description: "Delete the tenant's policies the bundle does not contain.",
    })
    prune: boolean,
    @Args('dryRun', { type: () => Boolean, defaultValue: false }) dryRun: boolean,
  ): Promise<ApplyBundleResultModel> {
    const ctx = await scope.context();
    // Bundle errors point into the YAML's documents ($.documents[i]...), under the yaml argument.
    return inArgument('yaml', () => this.gitops.apply(ctx, yaml, { prune, dryRun }));
  }
}
