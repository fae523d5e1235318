import { Args, Context, ID, Int, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { decodeCursor, RolloutsService, type RolloutView } from '@heliomesh/core';
import { HeliomeshError } from '@heliomesh/util';
import type { Connection } from '../graphql/connection.types.js';
import { DEFAULT_FIRST, toConnection, useCasePage } from '../graphql/connection.util.js';
import { inArgument } from '../graphql/graphql-errors.util.js';
import { withoutNulls } from '../graphql/input.util.js';
import type { RequestScope } from '../graphql/request-scope.js';
import { ServiceModel } from '../services/service.models.js';
import {
  RolloutConnection,
  RolloutEventConnection,
  RolloutEventModel,
  RolloutFilter,
  RolloutMeasurementModel,
  RolloutModel,
  RolloutStepModel,
} from './rollout.models.js';
import { measurementsOf, planSteps } from './rollout-views.util.js';

const MAX_EVENTS = 1_000;

@Resolver(() => RolloutModel)
export class RolloutsResolver {
  constructor(private readonly useCases: RolloutsService) {}

  @Query(() => RolloutConnection, { description: "The tenant's rollouts, oldest first." })
  async rollouts(
    @Context('heliomesh') scope: RequestScope,
    @Args('filter', { type: () => RolloutFilter, nullable: true }) filter: RolloutFilter | null,
    @Args('first', { type: () => Int, nullable: true, defaultValue: DEFAULT_FIRST }) first: number,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
  ): Promise<Connection<RolloutModel>> {
    const { active, ...rest } = withoutNulls({ ...filter });
    const ctx = await scope.context();
    const page = await inArgument('filter', () =>
      this.useCases.list(ctx, {
        ...rest,
        ...(active === undefined ? {} : { active: String(active) }),
        ...useCasePage({ first, after }),
      }),
    );
    // The use case's keyset: creation time, then id.
    return toConnection(page, (r) => ({ key: r.createdAt, id: r.id }));
  }

  @Query(() => RolloutModel, {
    nullable: true,
    description: "One rollout; another tenant's id is NOT_FOUND.",
  })
  async rollout(
    @Context('heliomesh') scope: RequestScope,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<RolloutView> {
    return this.useCases.get(await scope.context(), id);
  }

  @ResolveField(() => [RolloutStepModel], {
    description: 'The plan every strategy expands into, step by step.',
  })
  steps(@Parent() rollout: RolloutView): RolloutStepModel[] {
    return planSteps(rollout);
  }

  @ResolveField(() => [RolloutMeasurementModel], {
    description: 'What the analysis runs measured, one row per metric and run, oldest first.',
  })
  async measurements(
    @Parent() rollout: RolloutView,
    @Context('heliomesh') scope: RequestScope,
    @Args('lastRuns', {
      type: () => Int,
      defaultValue: 20,
      description: 'How many of the latest analysis runs (at most 1000).',
    })
    lastRuns: number,
  ): Promise<RolloutMeasurementModel[]> {
    const limit = boundedEvents(lastRuns, 'lastRuns');
    const events = await scope.loaders
      .rolloutEvents({ type: 'analysis', newest: true, limit })
      .load(rollout.id);
    return events.flatMap(measurementsOf);
  }

  @ResolveField(() => RolloutEventConnection, { description: 'Every stored event, in order (seq).' })
  async events(
    @Parent() rollout: RolloutView,
    @Context('heliomesh') scope: RequestScope,
    @Args('first', { type: () => Int, nullable: true, defaultValue: 100 }) first: number,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
  ): Promise<Connection<RolloutEventModel>> {
    const limit = boundedEvents(first, 'first');
    const afterSeq = after ? Number(decodeCursor(after)?.key) : 0;
    if (!Number.isInteger(afterSeq) || afterSeq < 0)
      throw new HeliomeshError({
        code: 'CURSOR_INVALID',
        status: 400,
        message: 'The cursor is not one this API returned; start again without it.',
        path: ['after'],
      });
    const events = await scope.loaders.rolloutEvents({ afterSeq, limit: limit + 1 }).load(rollout.id);
    // Events page by sequence number: each cursor resumes right after its event.
    const connection = toConnection({ items: events.slice(0, limit) }, (e) => ({
      key: String(e.seq),
      id: e.rolloutId,
    }));
    return { ...connection, pageInfo: { ...connection.pageInfo, hasNextPage: events.length > limit } };
  }

  @ResolveField(() => ServiceModel, { nullable: true, description: 'The service being rolled out.' })
  async targetService(
    @Parent() rollout: RolloutView,
    @Context('heliomesh') scope: RequestScope,
  ): Promise<ServiceModel | null> {
    return (await scope.loaders.services.load(rollout.serviceId)) ?? null;
  }
}

function boundedEvents(n: number, argument: string): number {
  if (!Number.isInteger(n) || n < 1 || n > MAX_EVENTS)
    throw new HeliomeshError({
      code: 'LIMIT_INVALID',
      status: 400,
      message: `${argument} must be a whole number from 1 to ${MAX_EVENTS}.`,
      path: [argument],
    });
  return n;
}
