import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ROLLOUT_PHASES } from '@heliomesh/core';
import { ConnectionType } from '../graphql/connection.types.js';
import { DateTimeScalar, JsonScalar } from '../graphql/scalars.js';

/** Rollout phases, named as in the REST API (Initializing, Progressing, ... Succeeded). */
export const RolloutPhase = Object.fromEntries(ROLLOUT_PHASES.map((p) => [p, p])) as {
  [P in (typeof ROLLOUT_PHASES)[number]]: P;
};
registerEnumType(RolloutPhase, { name: 'RolloutPhase' });

export enum RolloutStepState {
  DONE = 'done',
  CURRENT = 'current',
  PENDING = 'pending',
}
registerEnumType(RolloutStepState, { name: 'RolloutStepState' });

@ObjectType('RolloutPhaseReason', {
  description: 'Why a rollout is where it is (paused, rolling back, finished).',
})
export class RolloutPhaseReasonModel {
  @Field({
    description: 'manual, pause-step, provider-error, no-data, analysis-failed, frozen, aborted, ...',
  })
  code!: string;

  @Field()
  message!: string;

  @Field(() => String, { nullable: true, description: 'For RollingBack: the phase it ends in.' })
  outcome?: string | null;
}

@ObjectType('RolloutPosition')
export class RolloutPositionModel {
  @Field(() => Int)
  index!: number;

  @Field(() => Int)
  total!: number;

  @Field()
  description!: string;
}

@ObjectType('RolloutStep', { description: 'One step of the plan every strategy expands into.' })
export class RolloutStepModel {
  @Field(() => Int)
  index!: number;

  @Field({ description: 'route, pause or analysis.' })
  kind!: string;

  @Field()
  description!: string;

  @Field({ description: 'JSON path of the spec field the step came from.' })
  source!: string;

  @Field(() => RolloutStepState)
  state!: RolloutStepState;

  @Field(() => Int, { nullable: true, description: 'route steps: the canary share.' })
  canaryWeight!: number | null;

  @Field(() => Float, { nullable: true, description: 'route steps: the mirrored share.' })
  mirrorPercent!: number | null;

  @Field(() => Int, { nullable: true, description: 'pause steps: seconds, null to wait for a human.' })
  durationSeconds!: number | null;

  @Field(() => Int, { nullable: true, description: 'analysis steps: passing runs needed.' })
  runs!: number | null;
}

@ObjectType('RolloutMeasurement', { description: 'One metric judged by one analysis run.' })
export class RolloutMeasurementModel {
  @Field(() => Int, { description: 'Sequence number of the analysis event.' })
  seq!: number;

  @Field(() => DateTimeScalar)
  occurredAt!: string;

  @Field(() => Int)
  stepIndex!: number;

  @Field(() => Int)
  canaryWeight!: number;

  @Field()
  metric!: string;

  @Field({ description: 'threshold or compare.' })
  judge!: string;

  @Field()
  window!: string;

  @Field({ description: 'The resolved PromQL, or the built-in query name.' })
  query!: string;

  @Field(() => Float, { nullable: true })
  canaryValue!: number | null;

  @Field(() => Float, { nullable: true })
  canarySamples!: number | null;

  @Field(() => Float, { nullable: true })
  baselineValue!: number | null;

  @Field(() => Float, { nullable: true })
  baselineSamples!: number | null;

  @Field({ description: 'pass, fail, no-data or provider-error.' })
  outcome!: string;

  @Field()
  explanation!: string;

  @Field(() => Float, { nullable: true })
  pValue!: number | null;

  @Field(() => Float, { nullable: true })
  effectSize!: number | null;

  @Field(() => JsonScalar)
  threshold!: unknown;
}

@ObjectType('RolloutEvent', { description: 'One stored event of a rollout, numbered from 1.' })
export class RolloutEventModel {
  @Field(() => Int)
  seq!: number;

  @Field({ description: 'created, transition, step, route, analysis, gate, webhook, command, hold or pin.' })
  type!: string;

  @Field(() => RolloutPhase)
  phase!: string;

  @Field(() => Int)
  stepIndex!: number;

  @Field(() => Int)
  canaryWeight!: number;

  @Field(() => Int)
  attempt!: number;

  @Field()
  actor!: string;

  @Field()
  message!: string;

  @Field(() => JsonScalar)
  data!: Record<string, unknown>;

  @Field(() => DateTimeScalar)
  occurredAt!: string;
}
export const RolloutEventConnection = ConnectionType(RolloutEventModel, 'RolloutEvent');

@ObjectType('Rollout')
export class RolloutModel {
  @Field(() => ID)
  id!: string;

  @Field()
  cluster!: string;

  @Field()
  namespace!: string;

  @Field()
  service!: string;

  @Field(() => ID)
  serviceId!: string;

  @Field({ description: 'canary, ab or blue-green.' })
  strategy!: string;

  @Field()
  stable!: string;

  @Field()
  canary!: string;

  @Field(() => RolloutPhase)
  phase!: string;

  @Field(() => RolloutPhaseReasonModel, { nullable: true })
  phaseReason!: RolloutPhaseReasonModel | null;

  @Field(() => RolloutPositionModel, { description: 'The current step of the plan.' })
  step!: RolloutPositionModel;

  @Field(() => Int)
  canaryWeight!: number;

  @Field(() => JsonScalar, { nullable: true, description: 'The route the rollout drives now.' })
  route!: unknown;

  @Field(() => Int)
  failedChecks!: number;

  @Field(() => Int)
  attempt!: number;

  @Field(() => Int)
  version!: number;

  @Field(() => JsonScalar, { description: 'The spec as stored (defaults applied).' })
  spec!: Record<string, unknown>;

  @Field()
  webhooksSigned!: boolean;

  @Field(() => DateTimeScalar, { nullable: true })
  nextTickAt!: string | null;

  @Field(() => DateTimeScalar, {
    nullable: true,
    description: 'Earliest expected end; null while it waits for a human.',
  })
  eta!: string | null;

  @Field()
  createdBy!: string;

  @Field(() => DateTimeScalar)
  createdAt!: string;

  @Field(() => DateTimeScalar)
  updatedAt!: string;

  @Field(() => DateTimeScalar, { nullable: true })
  finishedAt!: string | null;
}
export const RolloutConnection = ConnectionType(RolloutModel, 'Rollout');

@ObjectType('StartedRollout')
export class StartedRolloutModel {
  @Field(() => RolloutModel)
  rollout!: RolloutModel;

  @Field(() => String, {
    nullable: true,
    description: 'Signs the webhook calls (HMAC-SHA256); shown only now.',
  })
  webhookSecret?: string | null;
}

@InputType()
export class RolloutFilter {
  @Field(() => ID, { nullable: true })
  serviceId?: string | null;

  @Field(() => String, { nullable: true })
  namespace?: string | null;

  @Field(() => RolloutPhase, { nullable: true })
  phase?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'true: still running; false: finished.' })
  active?: boolean | null;
}

@ObjectType('RolloutProgress', {
  description:
    'The current state (kind "snapshot", first) and then every event of a rollout, with where it stands.',
})
export class RolloutProgressModel {
  @Field(() => ID)
  rolloutId!: string;

  @Field(() => Int, { description: 'The event number; for the snapshot, the last event it includes.' })
  seq!: number;

  @Field({ description: 'snapshot, or the event type (transition, step, route, analysis, ...).' })
  kind!: string;

  @Field(() => RolloutPhase)
  phase!: string;

  @Field(() => Int)
  stepIndex!: number;

  @Field(() => Int, { description: 'Steps of the plan; promotion comes after the last.' })
  steps!: number;

  @Field(() => Int)
  canaryWeight!: number;

  @Field(() => Float, { nullable: true })
  mirrorPercent!: number | null;

  @Field(() => DateTimeScalar, {
    nullable: true,
    description: 'Earliest expected end; null while it waits for a human.',
  })
  eta!: string | null;

  @Field()
  message!: string;

  @Field()
  actor!: string;

  @Field(() => DateTimeScalar)
  occurredAt!: string;

  @Field(() => [RolloutMeasurementModel], { description: 'The metrics an analysis event judged.' })
  measurements!: RolloutMeasurementModel[];

  @Field(() => JsonScalar)
  data!: Record<string, unknown>;
}
