import type { JsonObject } from './json.types.js';
import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

export const POLICY_STATUSES = ['Pending', 'Applied', 'Error'] as const;
export type PolicyStatus = (typeof POLICY_STATUSES)[number];

/** Why a policy is in Error: finding codes from the compiler, or the cluster's answer. */
export interface PolicyStatusReason {
  kind: 'findings' | 'cluster' | 'service-missing';
  message: string;
  findings?: Array<{ code: string; severity: string; message: string; path: string }>;
}

@Entity({ name: 'policies' })
export class PolicyEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  tenantId!: string;

  @Column({ type: 'uuid' })
  clusterId!: string;

  @Column({ type: 'uuid', nullable: true })
  serviceId!: string | null;

  @Column({ type: 'text' })
  namespace!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  kind!: string;

  @Column({ type: 'jsonb' })
  target!: JsonObject;

  @Column({ type: 'jsonb' })
  spec!: JsonObject;

  @Column({ type: 'integer' })
  revision!: number;

  /** The services this policy writes configuration on: its target and any full-link hops. */
  @Column({ type: 'uuid', array: true })
  touchedServiceIds!: string[];

  @Column({ type: 'text' })
  status!: PolicyStatus;

  @Column({ type: 'jsonb', nullable: true })
  statusReason!: PolicyStatusReason | null;

  @Column({ type: 'integer', nullable: true })
  appliedRevision!: number | null;

  @Column({ type: 'timestamptz' })
  statusUpdatedAt!: Date;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ type: 'text' })
  createdBy!: string;

  @Column({ type: 'text' })
  updatedBy!: string;
}

/** Every change of a policy keeps the spec it had, so history survives updates and deletion. */
@Entity({ name: 'policy_revisions' })
export class PolicyRevisionEntity {
  @PrimaryColumn({ type: 'uuid' })
  policyId!: string;

  @PrimaryColumn({ type: 'integer' })
  revision!: number;

  @Column({ type: 'uuid' })
  tenantId!: string;

  @Column({ type: 'text' })
  change!: 'create' | 'update' | 'delete';

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  kind!: string;

  @Column({ type: 'jsonb' })
  target!: JsonObject;

  @Column({ type: 'jsonb' })
  spec!: JsonObject;

  @Column({ type: 'text' })
  actor!: string;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
