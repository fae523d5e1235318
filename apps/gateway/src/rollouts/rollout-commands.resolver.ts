import { Args, Context, ID, Mutation, Resolver, Subscription } from '@nestjs/graphql';
import { RolloutsService, type RolloutView } from '@heliomesh/core';
import { inArgument } from '../graphql/graphql-errors.util.js';
import type { RequestScope } from '../graphql/request-scope.js';
import { JsonScalar } from '../graphql/scalars.js';
import { RolloutModel, RolloutProgressModel, StartedRolloutModel } from './rollout.models.js';
import { RolloutProgressFeed } from './rollout-progress.service.js';

const REASON = {
  type: () => String,
  nullable: true,
  description: 'Recorded with the command in the audit log (defaults to X-Change-Reason).',
};

/** Starting and steering rollouts: the REST API's commands, with their bodies as arguments. */
@Resolver()
export class RolloutCommandsResolver {
  constructor(
    private readonly rollouts: RolloutsService,
    private readonly progress: RolloutProgressFeed,
  ) {}

  @Mutation(() => StartedRolloutModel, {
    description: 'Starts a rollout from a spec (the body of POST /v1/rollouts); the worker drives it.',
  })
  async startRollout(
    @Context('heliomesh') scope: RequestScope,
    @Args('spec', { type: () => JsonScalar }) spec: unknown,
  ): Promise<StartedRolloutModel> {
    const ctx = await scope.context();
    return inArgument('spec', () => this.rollouts.create(ctx, spec)) as Promise<StartedRolloutModel>;
  }

  @Mutation(() => RolloutModel, { description: 'Holds the rollout where it is (traffic stays as it is).' })
  async pauseRollout(
    @Context('heliomesh') scope: RequestScope,
    @Args('id', { type: () => ID }) id: string,
    @Args('reason', REASON) reason: string | null,
  ): Promise<RolloutView> {
    return this.rollouts.pause(await scope.context(), id, body(reason));
  }

  @Mutation(() => RolloutModel, { description: 'Continues a paused rollout.' })
  async resumeRollout(
    @Context('heliomesh') scope: RequestScope,
    @Args('id', { type: () => ID }) id: string,
    @Args('reason', REASON) reason: string | null,
  ): Promise<RolloutView> {
    return this.rollouts.resume(await scope.context(), id, body(reason));
  }

  @Mutation(() => RolloutModel, {
    description: 'Skips the current step, or every remaining one with full; skipAnalysis needs a reason.',
  })
  async promoteRollout(
    @Context('heliomesh') scope: RequestScope,
    @Args('id', { type: () => ID }) id: string,
    @Args('full', { type: () => Boolean, defaultValue: false }) full: boolean,
    @Args('skipAnalysis', { type: () => Boolean, defaultValue: false }) skipAnalysis: boolean,
    @Args('reason', REASON) reason: string | null,
  ): Promise<RolloutView> {
    return this.rollouts.promote(await scope.context(), id, { full, skipAnalysis, ...body(reason) });
  }

  @Mutation(() => RolloutModel, {
    description: 'Sends all traffic back to stable and ends the rollout as Aborted.',
  })
  async abortRollout(
    @Context('heliomesh') scope: RequestScope,
    @Args('id', { type: () => ID }) id: string,
    @Args('reason', REASON) reason: string | null,
  ): Promise<RolloutView> {
    return this.rollouts.abort(await scope.context(), id, body(reason));
  }

  @Mutation(() => RolloutModel, {
    description: 'Restarts a rolled-back, failed or aborted rollout as it was.',
  })
  async retryRollout(
    @Context('heliomesh') scope: RequestScope,
    @Args('id', { type: () => ID }) id: string,
    @Args('reason', REASON) reason: string | null,
  ): Promise<RolloutView> {
    return this.rollouts.retry(await scope.context(), id, body(reason));
  }

  @Subscription(() => RolloutProgressModel, {
    resolve: (progress: RolloutProgressModel) => progress,
    description:
      'Where the rollout stands now (kind "snapshot"), then every event: phase, weight, each measurement, ETA. Completes after it succeeds.',
  })
  async rolloutProgress(
    @Context('heliomesh') scope: RequestScope,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<AsyncIterableIterator<RolloutProgressModel>> {
    return this.progress.watch(await scope.context(), id);
  }
}

const body = (reason: string | null) => (reason === null ? {} : { reason });
