import type { JsonObject } from './json.types.js';
import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Every phase a rollout can be in; the state machine that moves between them lives in
 * `@heliomesh/core`. Listed here because the table's CHECK constraint and partial indexes name them.
 */
export const ROLLOUT_PHASES = [
  'Initializing',
  'Progressing',
  'Paused',
  'Promoting',
  'Succeeded',
  'RollingBack',
  'RolledBack',
  'Failed',
  'Aborted',
] as const;
export type RolloutPhase = (typeof ROLLOUT_PHASES)[number];

/** Phases after which a rollout no longer drives traffic (a retry starts it again). */
export const TERMINAL_ROLLOUT_PHASES = ['Succeeded', 'RolledBack', 'Failed', 'Aborted'] as const;

export const ROLLOUT_STRATEGIES = ['canary', 'ab', 'blue-green'] as const;
export type RolloutStrategyKind = (typeof ROLLOUT_STRATEGIES)[number];

/** One progressive delivery of a service: its spec and the engine's state, versioned. */
@Entity({ name: 'rollouts' })
export class RolloutEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  tenantId!: string;

  @Column({ type: 'uuid' })
  clusterId!: string;

  @Column({ type: 'uuid' })
  serviceId!: string;

  @Column({ type: 'text' })
  namespace!: string;

  @Column({ type: 'text' })
  service!: string;

  @Column({ type: 'text' })
  strategy!: RolloutStrategyKind;

  /** The validated spec, defaults applied. */
  @Column({ type: 'jsonb' })
  spec!: JsonObject;

  @Column({ type: 'text' })
  stableVersion!: string;

  @Column({ type: 'text' })
  canaryVersion!: string;

  @Column({ type: 'text' })
  phase!: RolloutPhase;

  /** Why the rollout is paused, rolling back, failed or finished: `{ code, message }`. */
  @Column({ type: 'jsonb', nullable: true })
  phaseReason!: JsonObject | null;

  /** The phase `resume` returns to from Paused. */
  @Column({ type: 'text', nullable: true })
  resumePhase!: RolloutPhase | null;

  @Column({ type: 'integer' })
  stepIndex!: number;

  @Column({ type: 'timestamptz', nullable: true })
  stepStartedAt!: Date | null;

  /** Per-step progress: analysis runs so far, passes, gate results, bake start. */
  @Column({ type: 'jsonb' })
  stepState!: JsonObject;

  /** The route this rollout contributes to the compiler, or null before the first one. */
  @Column({ type: 'jsonb', nullable: true })
  route!: JsonObject | null;

  @Column({ type: 'integer' })
  canaryWeight!: number;

  @Column({ type: 'integer' })
  failedChecks!: number;

  @Column({ type: 'integer' })
  attempt!: number;

  /** Optimistic concurrency: every update is `WHERE version = <read>` and bumps it. */
  @Column({ type: 'integer' })
  version!: number;

  /** The number of the tick the engine expects next; a job with another number is stale. */
  @Column({ type: 'integer' })
  tick!: number;

  @Column({ type: 'timestamptz', nullable: true })
  nextTickAt!: Date | null;

  /** The last event sequence number used (events are numbered per rollout). */
  @Column({ type: 'integer' })
  eventSeq!: number;

  @Column({ type: 'bytea', nullable: true })
  webhookSecret!: Buffer | null;

  @Column({ type: 'text' })
  createdBy!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;
}

/** Everything a rollout did and measured, numbered per rollout, for replay and explanation. */
@Entity({ name: 'rollout_events' })
export class RolloutEventEntity {
  @PrimaryColumn({ type: 'uuid' })
  rolloutId!: string;

  @PrimaryColumn({ type: 'integer' })
  seq!: number;

  @Column({ type: 'uuid' })
  tenantId!: string;

  @Column({ type: 'integer' })
  tick!: number;

  @Column({ type: 'integer' })
  attempt!: number;

  @Column({ type: 'text' })
  type!: string;

  @Column({ type: 'text' })
  phase!: RolloutPhase;

  @Column({ type: 'integer' })
  stepIndex!: number;

  @Column({ type: 'integer' })
  canaryWeight!: number;

  @Column({ type: 'text' })
  actor!: string;

  @Column({ type: 'text' })
  message!: string;

  @Column({ type: 'jsonb' })
  data!: JsonObject;

  @Column({ type: 'timestamptz' })
  occurredAt!: Date;
}
