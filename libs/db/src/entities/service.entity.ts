import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

export interface ServicePortRecord {
  name?: string;
  port: number;
  targetPort?: number;
  protocol?: string;
}

/** A Kubernetes Service as discovered in a claimed namespace; never typed in by hand. */
@Entity({ name: 'services' })
export class ServiceEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  tenantId!: string;

  @Column({ type: 'uuid' })
  clusterId!: string;

  @Column({ type: 'text' })
  namespace!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'jsonb' })
  ports!: ServicePortRecord[];

  @Column({ type: 'jsonb', nullable: true })
  selector!: Record<string, string> | null;

  @Column({ type: 'timestamptz' })
  discoveredAt!: Date;

  /** Set when the Service disappeared from the cluster; policies on it then report an error. */
  @Column({ type: 'timestamptz', nullable: true })
  removedAt!: Date | null;
}

/** The pods behind a service that share a `version` label. */
@Entity({ name: 'service_versions' })
export class ServiceVersionEntity {
  @PrimaryColumn({ type: 'uuid' })
  serviceId!: string;

  @PrimaryColumn({ type: 'text' })
  name!: string;

  @Column({ type: 'uuid' })
  tenantId!: string;

  @Column({ type: 'jsonb' })
  labels!: Record<string, string>;

  @Column({ type: 'integer' })
  pods!: number;
}
