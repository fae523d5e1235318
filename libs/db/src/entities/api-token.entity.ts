import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const TOKEN_ROLES = ['viewer', 'operator', 'admin'] as const;
export type TokenRole = (typeof TOKEN_ROLES)[number];

/** Only the SHA-256 of a token's secret is stored; the secret is shown once, at creation. */
@Entity({ name: 'api_tokens' })
export class ApiTokenEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** Null for platform tokens, which act across tenants (bootstrap admin). */
  @Column({ type: 'uuid', nullable: true })
  tenantId!: string | null;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  role!: TokenRole;

  @Column({ type: 'text', unique: true, select: false })
  tokenHash!: string;

  /** The first characters of the secret, so a user can tell tokens apart in a list. */
  @Column({ type: 'text' })
  tokenPrefix!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  expiresAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  lastUsedAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;
}
