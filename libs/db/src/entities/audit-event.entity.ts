import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One row of the append-only, per-tenant hash chain. `seq`, `prevHash` and `hash` are set by a
 * database trigger, never by the application, so no writer can forge or skip a link.
 */
@Entity({ name: 'audit_events' })
export class AuditEventEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid' })
  tenantId!: string;

  @Column({ type: 'bigint' })
  seq!: string;

  @Column({ type: 'timestamptz' })
  occurredAt!: Date;

  @Column({ type: 'text' })
  actor!: string;

  @Column({ type: 'text' })
  action!: string;

  @Column({ type: 'text' })
  resourceKind!: string;

  @Column({ type: 'text', nullable: true })
  resourceId!: string | null;

  @Column({ type: 'text', nullable: true })
  requestId!: string | null;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  @Column({ type: 'jsonb' })
  data!: Record<string, unknown>;

  @Column({ type: 'text' })
  prevHash!: string;

  @Column({ type: 'text' })
  hash!: string;
}
