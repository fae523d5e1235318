import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity({ name: 'tenants' })
export class TenantEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** A DNS label: it becomes a Kubernetes label value on every object we generate. */
  @Column({ type: 'text', unique: true })
  name!: string;

  @Column({ type: 'text', default: '' })
  displayName!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
