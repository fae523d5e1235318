import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A tenant owns a namespace of a cluster; no two tenants can claim the same one. */
@Entity({ name: 'namespace_claims' })
export class NamespaceClaimEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  tenantId!: string;

  @Column({ type: 'uuid' })
  clusterId!: string;

  @Column({ type: 'text' })
  namespace!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
