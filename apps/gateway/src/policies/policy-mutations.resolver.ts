import { Args, Context, ID, Int, Mutation, Resolver } from '@nestjs/graphql';
import { type DryRunResult, PoliciesService, type PolicyWriteResult } from '@heliomesh/core';
import { inArgument } from '../graphql/graphql-errors.util.js';
import type { RequestScope } from '../graphql/request-scope.js';
import { PolicyChangeResult, PolicyDeleteResult, PolicyInput } from './policy.models.js';

const DRY_RUN = {
  type: () => Boolean,
  defaultValue: false,
  description: 'Validate and return the generated YAML and a diff against what is applied; store nothing.',
};

/** The policy write use cases with REST's inputs: the body as `input`, If-Match as `expectedRevision`. */
@Resolver()
export class PolicyMutationsResolver {
  constructor(private readonly policies: PoliciesService) {}

  @Mutation(() => PolicyChangeResult, {
    description: 'Stores a policy with status Pending; the worker applies it and reports Applied or Error.',
  })
  async createPolicy(
    @Context('heliomesh') scope: RequestScope,
    @Args('input') input: PolicyInput,
    @Args('dryRun', DRY_RUN) dryRun: boolean,
  ): Promise<PolicyChangeResult> {
    const ctx = await scope.context();
    return changeResult(await inArgument('input', () => this.policies.create(ctx, { ...input }, { dryRun })));
  }

  @Mutation(() => PolicyChangeResult, {
    description:
      'Replaces a policy. expectedRevision is the revision you read (REVISION_MISMATCH otherwise).',
  })
  async updatePolicy(
    @Context('heliomesh') scope: RequestScope,
    @Args('id', { type: () => ID }) id: string,
    @Args('expectedRevision', { type: () => Int }) expectedRevision: number,
    @Args('input') input: PolicyInput,
    @Args('dryRun', DRY_RUN) dryRun: boolean,
  ): Promise<PolicyChangeResult> {
    const ctx = await scope.context();
    return changeResult(
      await inArgument('input', () =>
        this.policies.update(ctx, id, { ...input }, { expectedRevision, dryRun }),
      ),
    );
  }

  @Mutation(() => PolicyDeleteResult, {
    description: 'Deletes a policy; its generated objects are pruned. The history stays readable.',
  })
  async deletePolicy(
    @Context('heliomesh') scope: RequestScope,
    @Args('id', { type: () => ID }) id: string,
    @Args('expectedRevision', { type: () => Int, nullable: true }) expectedRevision: number | null,
    @Args('dryRun', DRY_RUN) dryRun: boolean,
  ): Promise<PolicyDeleteResult> {
    const result = await this.policies.delete(await scope.context(), id, {
      ...(expectedRevision !== null ? { expectedRevision } : {}),
      dryRun,
    });
    return 'dryRun' in result ? { id, deleted: false, dryRun: result } : { id, deleted: true, dryRun: null };
  }
}

function changeResult(result: PolicyWriteResult | DryRunResult): PolicyChangeResult {
  if ('dryRun' in result) return { policy: null, warnings: [], dryRun: result } as PolicyChangeResult;
  return { policy: result.policy, warnings: result.warnings, dryRun: null } as PolicyChangeResult;
}
