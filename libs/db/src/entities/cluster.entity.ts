import type { JsonObject } from './json.types.js';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const CLUSTER_CONNECTIONS = ['kubeconfig', 'in-cluster', 'sandbox'] as const;
export type ClusterConnection = (typeof CLUSTER_CONNECTIONS)[number];

/** A Kubernetes cluster the platform reconciles to. Shared by tenants, who claim namespaces in it. */
@Entity({ name: 'clusters' })
export class ClusterEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text', unique: true })
  name!: string;

  @Column({ type: 'text' })
  connection!: ClusterConnection;

  /** The API server URL, for display and the sandbox. */
  @Column({ type: 'text', nullable: true })
  server!: string | null;

  @Column({ type: 'text', nullable: true })
  context!: string | null;

  /** The kubeconfig, encrypted (AES-256-GCM) with the platform's key; never returned by the API. */
  @Column({ type: 'bytea', nullable: true, select: false })
  credentials!: Buffer | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  lastCheckedAt!: Date | null;

  @Column({ type: 'jsonb', nullable: true })
  lastStatus!: JsonObject | null;
}
