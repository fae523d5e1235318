import type { JsonObject } from './json.types.js';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** What Heliomesh last applied to a cluster: the object itself, its hash and where it came from. */
@Entity({ name: 'applied_objects' })
export class AppliedObjectEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  tenantId!: string;

  @Column({ type: 'uuid' })
  clusterId!: string;

  @Column({ type: 'uuid', nullable: true })
  serviceId!: string | null;

  @Column({ type: 'text' })
  apiVersion!: string;

  @Column({ type: 'text' })
  kind!: string;

  @Column({ type: 'text' })
  namespace!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  contentHash!: string;

  @Column({ type: 'jsonb' })
  object!: JsonObject;

  @Column({ type: 'jsonb' })
  sources!: Array<{ id: string; revision: number }>;

  @Column({ type: 'timestamptz' })
  appliedAt!: Date;
}
